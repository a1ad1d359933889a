"""generated_client.slurper.api.r2_super_slurper: every operation, in all four forms, against respx.

Requests are checked against what the document says (method, path, query, JSON body, both auth schemes); responses
are the document's own examples, validated against it before the client sees them, plus what the document does not
promise but the real network sends: an undocumented 5xx, Cloudflare's 520, a proxy's HTML page, truncated JSON.
"""

from dataclasses import dataclass, field
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
    sent_json,
)
from contract_tests.documents import find_operation, load, operations, request_example, resolve
from generated_client.slurper import AuthenticatedClient, Client
from generated_client.slurper.api.r2_super_slurper import (
    slurper_abort_all_jobs,
    slurper_abort_job,
    slurper_check_source_connectivity,
    slurper_check_target_connectivity,
    slurper_create_job,
    slurper_delete_job,
    slurper_get_job,
    slurper_get_job_logs,
    slurper_get_job_progress,
    slurper_list_jobs,
    slurper_pause_job,
    slurper_resume_job,
)
from generated_client.slurper.errors import UnexpectedStatus
from generated_client.slurper.models import (
    ConnectivityPrecheckResponse,
    CreateJobRequest,
    FailureResponse,
    GCSSource,
    JobActionResponse,
    JobCreateResponse,
    JobListResponse,
    JobLogListResponse,
    JobProgressResponse,
    JobResponse,
    R2Target,
    S3Source,
)
from generated_client.slurper.types import Response

API = "slurper"
BASE_URL = "https://api.cloudflare.com/client/v4"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
JOB = "2f1c0b1e-7d5a-4c1e-9a43-0c8f6a1e52b7"
TOKEN = "test-api-token-0123456789"
EMAIL = "ops@example.com"
GLOBAL_KEY = "144c9defac04969c7bfad8efaa8ea194"


@dataclass(frozen=True)
class Operation:
    """How to call one operation, and the request the document says that call must send."""

    module: ModuleType
    operation_id: str
    method: str
    path: str
    success: int
    result_type: type
    args: tuple[Any, ...] = (ACCOUNT,)
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None

    def __str__(self) -> str:
        return self.operation_id


def _create_body() -> CreateJobRequest:
    return CreateJobRequest.from_dict(request_example(API, "slurper-create-job", "fromS3"))


OPERATIONS = [
    Operation(
        slurper_list_jobs,
        "slurper-list-jobs",
        "GET",
        f"/accounts/{ACCOUNT}/slurper/jobs",
        200,
        JobListResponse,
        kwargs={"limit": 20, "offset": 40},
        query={"limit": "20", "offset": "40"},
    ),
    Operation(
        slurper_create_job,
        "slurper-create-job",
        "POST",
        f"/accounts/{ACCOUNT}/slurper/jobs",
        201,
        JobCreateResponse,
        kwargs={"body": _create_body()},
        json=request_example(API, "slurper-create-job", "fromS3"),
    ),
    Operation(
        slurper_abort_all_jobs,
        "slurper-abort-all-jobs",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/jobs/abortAll",
        200,
        JobActionResponse,
    ),
    Operation(
        slurper_get_job,
        "slurper-get-job",
        "GET",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}",
        200,
        JobResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_delete_job,
        "slurper-delete-job",
        "DELETE",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}",
        200,
        JobActionResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_abort_job,
        "slurper-abort-job",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}/abort",
        200,
        JobActionResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_get_job_logs,
        "slurper-get-job-logs",
        "GET",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}/logs",
        200,
        JobLogListResponse,
        args=(ACCOUNT, JOB),
        kwargs={"limit": 50, "offset": 0},
        query={"limit": "50", "offset": "0"},
    ),
    Operation(
        slurper_pause_job,
        "slurper-pause-job",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}/pause",
        200,
        JobActionResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_get_job_progress,
        "slurper-get-job-progress",
        "GET",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}/progress",
        200,
        JobProgressResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_resume_job,
        "slurper-resume-job",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/jobs/{JOB}/resume",
        200,
        JobActionResponse,
        args=(ACCOUNT, JOB),
    ),
    Operation(
        slurper_check_source_connectivity,
        "slurper-check-source-connectivity",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/source/connectivity-precheck",
        200,
        ConnectivityPrecheckResponse,
        kwargs={"body": S3Source.from_dict(request_example(API, "slurper-check-source-connectivity"))},
        json=request_example(API, "slurper-check-source-connectivity"),
    ),
    Operation(
        slurper_check_target_connectivity,
        "slurper-check-target-connectivity",
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/target/connectivity-precheck",
        200,
        ConnectivityPrecheckResponse,
        kwargs={"body": R2Target.from_dict(request_example(API, "slurper-check-target-connectivity"))},
        json=request_example(API, "slurper-check-target-connectivity"),
    ),
]


def test_the_table_covers_every_operation_of_the_document() -> None:
    documented = {operation.operation_id for operation in operations(load(API))}
    assert {operation.operation_id for operation in OPERATIONS} == documented


def _documented_examples() -> list[Any]:
    """(operation, status, example name, body) for every example of every documented response."""
    cases = []
    document = load(API)
    statuses_for_ranges = {"4XX": (400, 403, 404, 429)}
    for operation in OPERATIONS:
        for key, response in find_operation(API, operation.operation_id).spec["responses"].items():
            response, _ = resolve(document, response)
            for name, example in response["content"]["application/json"]["examples"].items():
                statuses = statuses_for_ranges[key] if key in statuses_for_ranges else (int(key),)
                for status in statuses:
                    cases.append(pytest.param(operation, status, example["value"], id=f"{operation}-{status}-{name}"))
    return cases


@pytest.fixture(params=["api_token", "email_and_key"])
def auth(request: pytest.FixtureRequest) -> tuple[AuthenticatedClient, dict[str, str]]:
    """A client for each of the two schemes, with the headers it must send."""
    if request.param == "api_token":
        return AuthenticatedClient(base_url=BASE_URL, token=TOKEN), {"Authorization": f"Bearer {TOKEN}"}
    client = AuthenticatedClient(
        base_url=BASE_URL, token=GLOBAL_KEY, prefix="", auth_header_name="X-Auth-Key", headers={"X-Auth-Email": EMAIL}
    )
    return client, {"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY}


@pytest.fixture
def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE_URL, token=TOKEN)


@pytest.fixture
def router() -> respx.MockRouter:
    with respx.mock(base_url=BASE_URL, assert_all_called=True, assert_all_mocked=True) as mocked:
        yield mocked


def _route(router: respx.MockRouter, operation: Operation) -> respx.Route:
    return router.route(method=operation.method, path=operation.path)


def _success_body(operation: Operation) -> Any:
    response = find_operation(API, operation.operation_id).spec["responses"][str(operation.success)]
    return next(iter(response["content"]["application/json"]["examples"].values()))["value"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_request_is_what_the_document_says(
    router: respx.MockRouter, auth: tuple[AuthenticatedClient, dict[str, str]], operation: Operation, mode: str
) -> None:
    client, auth_headers = auth
    route = _route(router, operation).mock(
        side_effect=contract_response(API, operation.operation_id, operation.success, _success_body(operation))
    )

    call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    request = route.calls.last.request
    assert request.method == operation.method
    assert request.url.path == f"/client/v4{operation.path}"
    assert dict(request.url.params) == operation.query
    assert sent_json(request) == operation.json
    if operation.json is not None:
        assert request.headers["Content-Type"] == "application/json"
    for name, value in auth_headers.items():
        assert request.headers[name] == value
    other_scheme = {"Authorization", "X-Auth-Key", "X-Auth-Email"} - set(auth_headers)
    assert other_scheme.isdisjoint(request.headers)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("operation", "status", "body"), _documented_examples())
def test_documented_response_is_parsed_into_its_model(
    router: respx.MockRouter, client: AuthenticatedClient, operation: Operation, status: int, body: Any, mode: str
) -> None:
    _route(router, operation).mock(side_effect=contract_response(API, operation.operation_id, status, body))

    result = call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    parsed = parsed_of(result, mode)
    expected_type = operation.result_type if status == operation.success else FailureResponse
    assert isinstance(parsed, expected_type)
    assert parsed.to_dict() == body
    if mode.endswith("_detailed"):
        assert result.status_code == HTTPStatus(status)
        assert result.content == httpx.Response(status, json=body).content


OFF_CONTRACT = [
    pytest.param(
        500,
        b'{"success":false,"errors":[{"code":10000,"message":"Internal error"}]}',
        "application/json",
        id="500-json",
    ),
    pytest.param(520, b"error code: 520", "text/plain", id="520-cloudflare"),
    pytest.param(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", id="502-proxy-html"),
    pytest.param(
        403, b"<html><body>Access denied by proxy</body></html>", "text/html", id="403-html-in-documented-range"
    ),
    pytest.param(
        200, b'{"success": true, "errors": [], "messages": [], "resu', "application/json", id="200-truncated-json"
    ),
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

    result = call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    assert_kept_raw(result, mode, status, content, Response)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "content", "content_type"), OFF_CONTRACT)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_off_contract_response_raises_unexpected_status_when_asked(
    router: respx.MockRouter, operation: Operation, status: int, content: bytes, content_type: str, mode: str
) -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token=TOKEN, raise_on_unexpected_status=True)
    _route(router, operation).mock(side_effect=off_contract_response(status, content, content_type))

    with pytest.raises(UnexpectedStatus) as raised:
        call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    assert raised.value.status_code == status
    assert raised.value.content == content


def test_520_keeps_its_number(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(
        side_effect=off_contract_response(520, b"error code: 520", "text/plain")
    )

    result = slurper_list_jobs.sync_detailed(ACCOUNT, client=client)

    assert result.status_code == 520
    assert not isinstance(result.status_code, HTTPStatus)


def test_path_parameters_are_percent_encoded(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(url__regex=r".*/slurper/jobs/[^/]+$").mock(
        side_effect=contract_response(
            API,
            "slurper-get-job",
            404,
            {
                "success": False,
                "errors": [{"code": 10404, "message": "Job not found"}],
                "messages": [],
                "result": None,
            },
        )
    )

    slurper_get_job.sync("acc/../other", "job id?", client=client)

    assert route.calls.last.request.url.raw_path == b"/client/v4/accounts/acc%2F..%2Fother/slurper/jobs/job%20id%3F"


def test_omitted_paging_parameters_are_not_sent(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(
        side_effect=contract_response(API, "slurper-list-jobs", 200, _success_body(OPERATIONS[0]))
    )

    slurper_list_jobs.sync(ACCOUNT, client=client)

    assert route.calls.last.request.url.query == b""


def test_create_job_sends_overwrite_true_by_default(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.post(f"/accounts/{ACCOUNT}/slurper/jobs").mock(
        side_effect=contract_response(API, "slurper-create-job", 201, _success_body(OPERATIONS[1]))
    )
    example = request_example(API, "slurper-create-job", "fromGcs")
    body = CreateJobRequest(source=GCSSource.from_dict(example["source"]), target=R2Target.from_dict(example["target"]))

    created = slurper_create_job.sync(ACCOUNT, client=client, body=body)

    assert isinstance(created, JobCreateResponse)
    assert created.result.id == JOB
    assert sent_json(route.calls.last.request)["overwrite"] is True
    assert sent_json(route.calls.last.request)["source"]["vendor"] == "gcs"


def test_job_source_variant_is_chosen_by_vendor(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    body = _success_body(OPERATIONS[0])
    router.get(f"/accounts/{ACCOUNT}/slurper/jobs").mock(
        side_effect=contract_response(API, "slurper-list-jobs", 200, body)
    )

    jobs = slurper_list_jobs.sync(ACCOUNT, client=client)

    assert isinstance(jobs, JobListResponse)
    assert [type(job.source).__name__ for job in jobs.result] == ["JobS3Source", "JobGCSSource"]


def test_plain_client_with_legacy_headers_works(router: respx.MockRouter) -> None:
    client = Client(base_url=BASE_URL, headers={"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY})
    route = router.put(f"/accounts/{ACCOUNT}/slurper/jobs/abortAll").mock(
        side_effect=contract_response(API, "slurper-abort-all-jobs", 200, _success_body(OPERATIONS[2]))
    )

    result = slurper_abort_all_jobs.sync(ACCOUNT, client=client)

    assert isinstance(result, JobActionResponse)
    assert route.calls.last.request.headers["X-Auth-Key"] == GLOBAL_KEY


@pytest.mark.parametrize(
    "client",
    [
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN),
        AuthenticatedClient(
            base_url=BASE_URL,
            token=GLOBAL_KEY,
            prefix="",
            auth_header_name="X-Auth-Key",
            headers={"X-Auth-Email": EMAIL},
        ),
        Client(base_url=BASE_URL, headers={"X-Auth-Email": EMAIL, "X-Auth-Key": GLOBAL_KEY}),
    ],
    ids=["token", "email-key", "plain-headers"],
)
def test_client_repr_never_shows_credentials(client: Client) -> None:
    shown = f"{client!r} {client!s}"
    assert TOKEN not in shown
    assert GLOBAL_KEY not in shown
    assert BASE_URL in shown
