"""Declared echoes (contract_tests/server/echo.py, `x-echo` in the documents) read the way the documents mean them:
each names a value of an answer and what it must repeat, `*` reaches every item, text and its number are one value,
and a link echo's read is the request the link makes."""

import httpx
import pytest

from contract_tests.documents import load
from contract_tests.server import echo
from generator import provenance
from generator.provenance import ProvenanceError

JOB = "2f1c0b1e-7d5a-4c1e-9a43-0c8f6a1e52b7"
JOB_URL = f"https://api.example/client/v4/accounts/acc/slurper/jobs/{JOB}"


def _declared(api: str, operation_id: str, response: str) -> provenance.Echo:
    return next(
        each for each in provenance.echoes(load(api)) if each.operation_id == operation_id and each.response == response
    )


def _exchange(operation_id: str, body: object, **parts: object) -> echo.Exchange:
    return echo.Exchange(operation_id=operation_id, url=JOB_URL, response_body=body, **parts)  # type: ignore[arg-type]


def test_every_api_declares_echoes_on_its_reads_and_their_marks_are_sourced_or_assumed() -> None:
    for api in ("slurper", "connect", "rekosearch"):
        declared = provenance.echoes(load(api))
        assert declared, api
        assert {each.mark.kind for each in declared} <= {"sourced", "assumed"}
        assert all(each.name in provenance.facts(load(api)) for each in declared)


def test_an_answer_about_another_job_breaks_the_echo_of_the_path() -> None:
    declared = _declared("slurper", "slurper-get-job", "$response.body#/result/id")
    asked = _exchange("slurper-get-job", {"result": {"id": "another"}}, path={"account_id": "acc", "job_id": JOB})

    assert echo.broken(declared, asked, asked) == [
        f"$response.body#/result/id is 'another', but $request.path.job_id is {JOB!r}"
    ]
    assert echo.broken(declared, asked, _exchange("slurper-get-job", {"result": {"id": JOB}}, path=asked.path)) == []


def test_a_star_reaches_every_item_and_an_item_without_the_value_states_nothing() -> None:
    declared = _declared("slurper", "slurper-get-job-logs", "$response.body#/result/*/job")
    log = {"result": [{"job": JOB}, {"logType": "migrationStart"}, {"job": "another"}]}
    asked = _exchange("slurper-get-job-logs", log, path={"job_id": JOB})

    assert echo.broken(declared, asked, asked) == [
        f"$response.body#/result/2/job is 'another', but $request.path.job_id is {JOB!r}"
    ]


def test_text_and_its_number_are_one_value_but_not_a_boolean() -> None:
    declared = _declared("rekosearch", "jobs-get", "$response.body#/job_info/job_id")

    def asked(job_id: object) -> echo.Exchange:
        return _exchange("jobs-get", {"job_info": {"job_id": job_id}}, query={"job-id": "7"})

    assert echo.broken(declared, asked(7), asked(7)) == []
    assert echo.broken(declared, asked(8), asked(8)) != []
    assert echo.broken(declared, asked(True), asked(True)) != []


def test_contains_reads_a_percent_encoded_url() -> None:
    declared = _declared("rekosearch", "jobs-get-object-url", "$response.body#/url")
    asked = _exchange(
        "jobs-get-object-url",
        {"url": "https://b.example/u1/7/a%20b.png?X-Amz-Expires=60"},
        query={"object-uuid": "a b.png"},
    )

    assert declared.relation == "contains"
    assert echo.broken(declared, asked, asked) == []
    other = _exchange("jobs-get-object-url", {"url": "https://b.example/u1/7/c.png"}, query=asked.query)
    assert echo.broken(declared, other, other) != []


def test_a_link_echo_reads_the_linked_answer_against_the_request_it_follows() -> None:
    [declared] = [
        each
        for each in provenance.echoes(load("slurper"))
        if each.link == "GetJob" and each.response == "$response.body#/result/source/bucket"
    ]
    created = echo.Exchange(
        operation_id="slurper-create-job",
        url="https://api.example/client/v4/accounts/acc/slurper/jobs",
        path={"account_id": "acc"},
        headers={"authorization": "Bearer t", "content-type": "application/json"},
        request_body={"source": {"bucket": "media-archive"}},
        status=201,
        response_body={"result": {"id": JOB}},
    )

    request = echo.follow("slurper", declared, created)

    assert request is not None
    assert (request.method, str(request.url)) == ("GET", JOB_URL)
    assert request.headers["authorization"] == "Bearer t"
    read = _exchange("slurper-get-job", {"result": {"source": {"bucket": "another-bucket"}}})
    assert echo.broken(declared, created, read) == [
        "$response.body#/result/source/bucket is 'another-bucket', but $request.body#/source/bucket is 'media-archive'"
    ]


def test_from_httpx_matches_the_operation_below_a_base_path() -> None:
    request = httpx.Request("GET", f"{JOB_URL}/logs?limit=5", headers={"Authorization": "Bearer t"})
    response = httpx.Response(200, json={"result": []}, request=request)

    exchange = echo.from_httpx("slurper", response)

    assert exchange is not None
    assert (exchange.operation_id, dict(exchange.path), dict(exchange.query)) == (
        "slurper-get-job-logs",
        {"account_id": "acc", "job_id": JOB},
        {"limit": "5"},
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"response": "$response.body#/id", "request": "$request.path.key"}, "sourced: <citation>"),
        ({"response": "$request.path.key", "request": "$request.path.key", "assumed": "x"}, "what the server answered"),
        ({"response": "$response.body#/id", "request": "$whatever", "assumed": "x"}, "runtime expression"),
        (
            {"response": "$response.body#/id", "request": "$request.path.key", "relation": "like", "assumed": "x"},
            "relation",
        ),
    ],
)
def test_a_malformed_echo_is_refused(entry: dict[str, str], message: str) -> None:
    document = {"paths": {"/jobs/{key}": {"get": {"operationId": "GetJob", "x-echo": [entry], "responses": {}}}}}

    with pytest.raises(ProvenanceError, match=message):
        provenance.echoes(document)
