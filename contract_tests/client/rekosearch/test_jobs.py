"""generated_client.rekosearch.api.jobs: every operation (rekosearch/operations.py), in all four forms, against respx.

Requests are checked against what the document says (method, path, the hyphenated query names `job-id` and
`object-uuid`, no body, the bare `Authorization: <token>` header); responses are the document's own examples,
validated against it before the client sees them. What the way to RekoSearch (CloudFront, API Gateway) can send beyond
the document, every operation is also sent in contract_tests/client/test_operations.py.
"""

from datetime import UTC
from http import HTTPStatus

import httpx
import pytest
import respx

from contract_tests.client.conftest import MODES, contract_response, off_contract_response
from contract_tests.client.operations import Documented, Operation
from contract_tests.client.rekosearch.operations import API, BASE_URL, JOB_ID, OPERATIONS, TOKEN
from contract_tests.documents import response_example
from generated_client.rekosearch import AuthenticatedClient, Client
from generated_client.rekosearch.api.jobs import jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.dates import parse_date
from generated_client.rekosearch.models import ErrorResponse, JobDetails, JobList, QueryParameterError

ERROR_MODELS = {400: QueryParameterError, 404: QueryParameterError, 401: ErrorResponse, 500: ErrorResponse}


@pytest.fixture(params=["authenticated-client", "plain-client-headers"])
def authenticated(request: pytest.FixtureRequest) -> Client:
    """The two ways to send the token bare: AuthenticatedClient with no prefix, or the header on a plain Client."""
    if request.param == "authenticated-client":
        return OPERATIONS.client()
    return Client(base_url=BASE_URL, headers={"Authorization": TOKEN})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_request_is_what_the_document_says(authenticated: Client, operation: Operation, mode: str) -> None:
    request = OPERATIONS.sent(operation, mode, authenticated)

    assert request.method == operation.method
    assert request.url.path == operation.path
    assert dict(request.url.params) == operation.query
    assert request.content == b""
    assert "Content-Type" not in request.headers
    # The token goes bare: no "Bearer " (or any other) prefix, and in no other header.
    assert request.headers["Authorization"] == TOKEN
    assert [name for name, value in request.headers.items() if TOKEN in value] == ["authorization"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("example", OPERATIONS.documented_examples())
def test_documented_response_is_parsed_into_its_model(example: Documented, mode: str) -> None:
    operation, status, _, body = example

    result, parsed = OPERATIONS.answered(example, mode)

    expected_type = operation.result_type if status == 200 else ERROR_MODELS[status]
    assert type(parsed) is expected_type
    assert parsed.to_dict() == body
    if mode.endswith("_detailed"):
        assert result.status_code == HTTPStatus(status)
        assert result.content == httpx.Response(status, json=body).content


def test_api_gateways_not_found_is_not_mistaken_for_a_missing_job(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    """A 404 without `affected_query_parameter` is API Gateway's "no such route", not jobs/get's "no such job"."""
    router.get("/api/v1/jobs/get").mock(
        side_effect=off_contract_response(404, b'{"message":"Not Found"}', "application/json")
    )

    result = jobs_get.sync_detailed(client=client, job_id=JOB_ID)

    assert result.status_code == 404
    assert result.parsed is None


def test_object_uuid_is_sent_percent_encoded_as_one_query_value(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    route = router.get("/api/v1/jobs/get-object-url").mock(side_effect=OPERATIONS.success("jobs-get-object-url"))

    jobs_get_object_url.sync(client=client, job_id=3, object_uuid="a b&c=d/é.png")

    request = route.calls.last.request
    assert request.url.params.get_list("object-uuid") == ["a b&c=d/é.png"]
    assert request.url.params.get_list("job-id") == ["3"]
    assert b"&c=" not in request.url.raw_path


def test_maps_keep_every_object_and_media_length_keeps_numbers_and_strings(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    processed = response_example(API, "jobs-get", "200", "processed")
    processing = response_example(API, "jobs-get", "200", "processing")
    router.get("/api/v1/jobs/get").mock(
        side_effect=[
            contract_response(API, "jobs-get", 200, processed)(httpx.Request("GET", BASE_URL)),
            contract_response(API, "jobs-get", 200, processing)(httpx.Request("GET", BASE_URL)),
        ]
    )

    first = jobs_get.sync(client=client, job_id=7)
    second = jobs_get.sync(client=client, job_id=8)

    assert isinstance(first, JobDetails)
    assert isinstance(second, JobDetails)
    info = first.job_info
    assert info.object_uuid_names.additional_properties == processed["job_info"]["object_uuid_names"]
    assert set(info.failed_to_process.additional_keys) <= set(info.object_uuid_names.additional_keys)
    links = first.results["0b6f2c1e-7d5a-4c1e-9a43-0c8f6a1e52b7.jpg"]
    assert links.full.startswith("https://")
    assert links.min_.split("?")[0].endswith(".min.json")
    assert info.media_length["0b6f2c1e-7d5a-4c1e-9a43-0c8f6a1e52b7.jpg"] == 1
    assert second.job_info.media_length["c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f.mp4"] == "291"
    assert second.job_info.job_name is None
    assert second.job_info.email is None
    assert second.results is not None
    assert second.results.additional_properties == {}


def test_the_dates_of_every_example_parse_to_utc(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    router.get("/api/v1/jobs/list").mock(
        side_effect=contract_response(API, "jobs-list", 200, response_example(API, "jobs-list", "200", "jobs"))
    )

    listed = jobs_list.sync(client=client)

    assert isinstance(listed, JobList)
    dates = [parse_date(job.date) for job in listed.jobs]
    assert {moment.tzinfo for moment in dates} == {UTC}
    assert dates == sorted(dates)
    assert dates[0].microsecond == 123456
    assert [job.status for job in listed.jobs] == ["success", "processing_40%", "queued"]


@pytest.mark.parametrize(
    "client",
    [
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN, prefix=""),
        Client(base_url=BASE_URL, headers={"Authorization": TOKEN}),
    ],
    ids=["authenticated", "plain-headers"],
)
def test_client_repr_never_shows_the_token(client: Client) -> None:
    shown = f"{client!r} {client!s}"
    assert TOKEN not in shown
    assert BASE_URL in shown
