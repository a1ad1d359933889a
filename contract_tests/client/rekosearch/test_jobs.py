"""generated_client.rekosearch.api.jobs: every operation, in all four forms, against respx.

Requests are checked against what the document says (method, path, the hyphenated query names `job-id` and
`object-uuid`, no body, the bare `Authorization: <token>` header); responses are the document's own examples,
validated against it before the client sees them, plus what the document does not promise but the way to RekoSearch
(CloudFront, API Gateway) can send: an undocumented 4xx/5xx, an HTML error page, a documented status with a body of
another shape, truncated JSON.
"""

from dataclasses import dataclass, field
from datetime import UTC
from http import HTTPStatus
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import (
    MODES,
    assert_kept_raw,
    call,
    contract_response,
    off_contract_response,
    parsed_of,
)
from contract_tests.documents import find_operation, load, operations, resolve, response_example
from generated_client.rekosearch import AuthenticatedClient, Client
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.dates import parse_date
from generated_client.rekosearch.errors import UnexpectedStatus
from generated_client.rekosearch.models import (
    ErrorResponse,
    JobDeleted,
    JobDetails,
    JobList,
    ObjectUrl,
    QueryParameterError,
)
from generated_client.rekosearch.types import Response

API = "rekosearch"
BASE_URL = "https://rekosearch.com"
TOKEN = "eyJraWQiOiJ0ZXN0IiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"
JOB_ID = 7
OBJECT_UUID = "0b6f2c1e-7d5a-4c1e-9a43-0c8f6a1e52b7.jpg"
ERROR_MODELS = {400: QueryParameterError, 404: QueryParameterError, 401: ErrorResponse, 500: ErrorResponse}


@dataclass(frozen=True)
class Operation:
    """How to call one operation, and the request the document says that call must send."""

    module: ModuleType
    operation_id: str
    method: str
    path: str
    result_type: type
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.operation_id


OPERATIONS = [
    Operation(jobs_get, "jobs-get", "GET", "/api/v1/jobs/get", JobDetails, {"job_id": JOB_ID}, {"job-id": str(JOB_ID)}),
    Operation(jobs_list, "jobs-list", "GET", "/api/v1/jobs/list", JobList),
    Operation(
        jobs_get_object_url,
        "jobs-get-object-url",
        "GET",
        "/api/v1/jobs/get-object-url",
        ObjectUrl,
        {"job_id": JOB_ID, "object_uuid": OBJECT_UUID},
        {"job-id": str(JOB_ID), "object-uuid": OBJECT_UUID},
    ),
    Operation(
        jobs_delete,
        "jobs-delete",
        "DELETE",
        "/api/v1/jobs/delete",
        JobDeleted,
        {"job_id": JOB_ID},
        {"job-id": str(JOB_ID)},
    ),
]


def test_the_table_covers_every_operation_of_the_document() -> None:
    documented = {operation.operation_id for operation in operations(load(API))}
    assert {operation.operation_id for operation in OPERATIONS} == documented


def _documented_examples() -> list[Any]:
    """(operation, status, body) for every example of every documented response."""
    cases = []
    document = load(API)
    for operation in OPERATIONS:
        for key, response in find_operation(API, operation.operation_id).spec["responses"].items():
            response, _ = resolve(document, response)
            for name, example in response["content"]["application/json"]["examples"].items():
                cases.append(pytest.param(operation, int(key), example["value"], id=f"{operation}-{key}-{name}"))
    return cases


@pytest.fixture(params=["authenticated-client", "plain-client-headers"])
def authenticated(request: pytest.FixtureRequest) -> Client:
    """The two ways to send the token bare: AuthenticatedClient with no prefix, or the header on a plain Client."""
    if request.param == "authenticated-client":
        return AuthenticatedClient(base_url=BASE_URL, token=TOKEN, prefix="")
    return Client(base_url=BASE_URL, headers={"Authorization": TOKEN})


@pytest.fixture
def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE_URL, token=TOKEN, prefix="")


@pytest.fixture
def router() -> respx.MockRouter:
    with respx.mock(base_url=BASE_URL, assert_all_called=True, assert_all_mocked=True) as mocked:
        yield mocked


def _route(router: respx.MockRouter, operation: Operation) -> respx.Route:
    return router.route(method=operation.method, path=operation.path)


def _success_body(operation: Operation) -> Any:
    return response_example(API, operation.operation_id, "200")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_request_is_what_the_document_says(
    router: respx.MockRouter, authenticated: Client, operation: Operation, mode: str
) -> None:
    route = _route(router, operation).mock(
        side_effect=contract_response(API, operation.operation_id, 200, _success_body(operation))
    )

    call(operation.module, mode, client=authenticated, **operation.kwargs)

    request = route.calls.last.request
    assert request.method == operation.method
    assert request.url.path == operation.path
    assert dict(request.url.params) == operation.query
    assert request.content == b""
    assert "Content-Type" not in request.headers
    # The token goes bare: no "Bearer " (or any other) prefix, and in no other header.
    assert request.headers["Authorization"] == TOKEN
    assert [name for name, value in request.headers.items() if TOKEN in value] == ["authorization"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("operation", "status", "body"), _documented_examples())
def test_documented_response_is_parsed_into_its_model(
    router: respx.MockRouter, client: AuthenticatedClient, operation: Operation, status: int, body: Any, mode: str
) -> None:
    _route(router, operation).mock(side_effect=contract_response(API, operation.operation_id, status, body))

    result = call(operation.module, mode, client=client, **operation.kwargs)

    parsed = parsed_of(result, mode)
    expected_type = operation.result_type if status == 200 else ERROR_MODELS[status]
    assert type(parsed) is expected_type
    assert parsed.to_dict() == body
    if mode.endswith("_detailed"):
        assert result.status_code == HTTPStatus(status)
        assert result.content == httpx.Response(status, json=body).content


OFF_CONTRACT = [
    pytest.param(
        502,
        b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
        b"<p>Generated by cloudfront (CloudFront)</p></body></html>",
        "text/html",
        id="502-cloudfront-html",
    ),
    pytest.param(503, b'{"message":"Service Unavailable"}', "application/json", id="503-api-gateway"),
    pytest.param(504, b"<html><body><h1>504 Gateway Timeout</h1></body></html>", "text/html", id="504-html"),
    pytest.param(429, b'{"message":"Too Many Requests"}', "application/json", id="429-throttled"),
    pytest.param(403, b"<html><body>Request blocked.</body></html>", "text/html", id="403-cloudfront-waf"),
    pytest.param(
        500, b"<html><body>Internal Server Error</body></html>", "text/html", id="500-html-in-documented-status"
    ),
    pytest.param(401, b'{"error":"invalid_token"}', "application/json", id="401-another-shape"),
    pytest.param(200, b'{"job_info": {"user_id": "3c8f6a1e", "job_', "application/json", id="200-truncated-json"),
    pytest.param(200, b"", "application/json", id="200-empty-body"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "content", "content_type"), OFF_CONTRACT)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_off_contract_response_keeps_status_and_body_without_crashing(
    router: respx.MockRouter,
    client: AuthenticatedClient,
    operation: Operation,
    status: int,
    content: bytes,
    content_type: str,
    mode: str,
) -> None:
    _route(router, operation).mock(side_effect=off_contract_response(status, content, content_type))

    result = call(operation.module, mode, client=client, **operation.kwargs)

    assert_kept_raw(result, mode, status, content, Response)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "content", "content_type"), OFF_CONTRACT)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_off_contract_response_raises_unexpected_status_when_asked(
    router: respx.MockRouter, operation: Operation, status: int, content: bytes, content_type: str, mode: str
) -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token=TOKEN, prefix="", raise_on_unexpected_status=True)
    _route(router, operation).mock(side_effect=off_contract_response(status, content, content_type))

    with pytest.raises(UnexpectedStatus) as raised:
        call(operation.module, mode, client=client, **operation.kwargs)

    assert raised.value.status_code == status
    assert raised.value.content == content


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
    route = router.get("/api/v1/jobs/get-object-url").mock(
        side_effect=contract_response(API, "jobs-get-object-url", 200, _success_body(OPERATIONS[2]))
    )

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
