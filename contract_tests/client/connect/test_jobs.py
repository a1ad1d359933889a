"""generated_client.connect.api.jobs: every operation, in all four forms, against respx.

Requests are checked against what the document says (method, path, `maxLogLines` and `filename` on the wire, the
`Authorization: Key <api key>` header); responses are the document's own examples in every media type it declares
(JSON, the text log file, the tail as the simulator frames it, the 204 without a body), validated against it before
the client sees them, plus what the document does not promise: an old server's plain-text 404, a proxy's HTML page,
Cloudflare's 520, another service's JSON error, truncated JSON, and the tail in every framing and media type the
sources leave open (contract_tests/client/runtime/framings.py).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
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
from contract_tests.client.runtime.framings import CASES, ENTRIES, Framed
from contract_tests.documents import find_operation, load, operations, resolve, response_example, response_problems
from generated_client.connect import AuthenticatedClient, Client, unwrap
from generated_client.connect.api.jobs import (
    get_job,
    get_jobs,
    job_download_log,
    job_error,
    job_logs,
    job_tail_log,
    kill_job,
)
from generated_client.connect.errors import (
    ENDPOINT_NOT_AVAILABLE,
    EndpointNotAvailable,
    NotFoundError,
    UnexpectedStatus,
    error_for_response,
)
from generated_client.connect.models import (
    APIError,
    JobItem,
    JobStatus,
    KillJobOrder,
    LogEntries,
    LogEntry,
    LoggedError,
    LogSource,
)
from generated_client.connect.types import Response

API = "connect"
BASE_URL = "https://connect.example.com/__api__"
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
KEY = "QBZ5jkKfmf9iT9k8"
API_KEY = "kWx3RZbQ9vB7sT2mLp4nYc8dHf6gJa1e"
JOB_PATH = f"/v1/content/{GUID}/jobs/{KEY}"
OLD_SERVER_404 = b"404 page not found\n"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


@dataclass(frozen=True)
class Operation:
    """How to call one operation, and the request the document says that call must send."""

    module: ModuleType
    operation_id: str
    method: str
    path: str
    args: tuple[Any, ...] = (GUID, KEY)
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.operation_id


OPERATIONS = [
    Operation(get_jobs, "GetJobs", "GET", f"/v1/content/{GUID}/jobs", args=(GUID,)),
    Operation(get_job, "GetJob", "GET", JOB_PATH),
    Operation(kill_job, "KillJob", "DELETE", JOB_PATH),
    Operation(
        job_download_log,
        "JobDownloadLog",
        "GET",
        f"{JOB_PATH}/download",
        kwargs={"filename": "dashboard-process.log"},
        query={"filename": "dashboard-process.log"},
    ),
    Operation(job_error, "JobError", "GET", f"{JOB_PATH}/error"),
    Operation(
        job_logs, "JobLogs", "GET", f"{JOB_PATH}/log", kwargs={"max_log_lines": 200}, query={"maxLogLines": "200"}
    ),
    Operation(job_tail_log, "JobTailLog", "GET", f"{JOB_PATH}/tail"),
]
BY_ID = {operation.operation_id: operation for operation in OPERATIONS}
# `default` covers every status the operation does not list; these two stand for it.
DEFAULT_STATUSES = (405, 503)


def test_the_table_covers_every_operation_of_the_document() -> None:
    documented = {operation.operation_id for operation in operations(load(API))}
    assert set(BY_ID) == documented


def _documented_examples() -> list[Any]:
    """(operation, status, media type, body) for every example of every documented response, and the bodiless 204."""
    cases = []
    document = load(API)
    for operation in OPERATIONS:
        for key, response in find_operation(API, operation.operation_id).spec["responses"].items():
            response, _ = resolve(document, response)
            statuses = DEFAULT_STATUSES if key == "default" else (int(key),)
            if not response.get("content"):
                cases += [
                    pytest.param(operation, status, None, None, id=f"{operation}-{status}") for status in statuses
                ]
            for media_type, media in response.get("content", {}).items():
                for name, example in media["examples"].items():
                    cases += [
                        pytest.param(operation, status, media_type, example["value"], id=f"{operation}-{status}-{name}")
                        for status in statuses
                    ]
    return cases


def _normalised(value: Any) -> Any:
    """JSON as the models give it back: timestamps as `datetime.isoformat()` (nanoseconds cut to microseconds)."""
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return datetime.fromisoformat(value).isoformat()
    return value


@pytest.fixture
def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE_URL, token=API_KEY, prefix="Key")


@pytest.fixture
def router() -> respx.MockRouter:
    with respx.mock(base_url=BASE_URL, assert_all_called=True, assert_all_mocked=True) as mocked:
        yield mocked


def _route(router: respx.MockRouter, operation: Operation) -> respx.Route:
    return router.route(method=operation.method, path=operation.path)


def _success(operation: Operation) -> Any:
    """A side effect answering with the first example of the operation's success."""
    response = find_operation(API, operation.operation_id).spec["responses"]["200"]
    media_type, media = next(iter(response["content"].items()))
    body = next(iter(media["examples"].values()))["value"]
    return contract_response(API, operation.operation_id, 200, body, media_type=media_type)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
@pytest.mark.parametrize("form", ["authenticated-client", "plain-client-with-header"])
def test_request_is_what_the_document_says(
    router: respx.MockRouter, operation: Operation, mode: str, form: str
) -> None:
    if form == "authenticated-client":
        client: Client = AuthenticatedClient(base_url=BASE_URL, token=API_KEY, prefix="Key")
    else:
        client = Client(base_url=BASE_URL, headers={"Authorization": f"Key {API_KEY}"})
    route = _route(router, operation).mock(side_effect=_success(operation))

    call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    request = route.calls.last.request
    assert request.method == operation.method
    assert request.url.path == f"/__api__{operation.path}"
    assert dict(request.url.params) == operation.query
    assert request.content == b""
    assert request.headers["Authorization"] == f"Key {API_KEY}"
    assert "Bearer" not in request.headers["Authorization"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("operation", "status", "media_type", "body"), _documented_examples())
def test_documented_response_is_parsed_into_its_model(
    router: respx.MockRouter,
    client: AuthenticatedClient,
    operation: Operation,
    status: int,
    media_type: str | None,
    body: Any,
    mode: str,
) -> None:
    _route(router, operation).mock(
        side_effect=contract_response(API, operation.operation_id, status, body, media_type=media_type or "")
    )

    result = call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    parsed = parsed_of(result, mode)
    if media_type == "text/plain" and status == 404:
        # An old server's 404: documented, but not as a model; the call keeps it without crashing (see below).
        assert parsed is None
    elif status == 204:
        assert parsed is None
    elif status >= 300:
        assert isinstance(parsed, APIError)
        assert parsed.to_dict() == body
    elif operation.operation_id in ("GetJobs", "JobTailLog"):
        assert isinstance(parsed, list)
        assert all(isinstance(item, JobItem | LogEntry) for item in parsed)
        assert _normalised([item.to_dict() for item in parsed]) == _normalised(body)
    elif operation.operation_id == "JobDownloadLog":
        assert parsed == body
    else:
        expected = {"GetJob": JobItem, "KillJob": KillJobOrder, "JobError": LoggedError, "JobLogs": LogEntries}
        assert isinstance(parsed, expected[operation.operation_id])
        assert _normalised(parsed.to_dict()) == _normalised(body)
    if mode.endswith("_detailed"):
        assert result.status_code == HTTPStatus(status)
        if body is None:
            assert result.content == b""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_an_old_server_404_is_reported_as_a_missing_endpoint(
    router: respx.MockRouter, client: AuthenticatedClient, operation: Operation, mode: str
) -> None:
    body = response_example(API, operation.operation_id, "404", media_type="text/plain")
    assert body.encode() == OLD_SERVER_404
    _route(router, operation).mock(
        side_effect=contract_response(API, operation.operation_id, 404, body, media_type="text/plain")
    )

    result = call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    if not mode.endswith("_detailed"):
        assert result is None
        return
    assert (result.status_code, result.content, result.parsed) == (404, OLD_SERVER_404, None)
    with pytest.raises(EndpointNotAvailable, match=ENDPOINT_NOT_AVAILABLE) as raised:
        unwrap(result)
    assert raised.value.status_code == 404
    assert raised.value.details is None


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_an_old_server_404_raises_unexpected_status_when_asked_and_is_recognisable(
    router: respx.MockRouter, operation: Operation
) -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token=API_KEY, prefix="Key", raise_on_unexpected_status=True)
    _route(router, operation).mock(side_effect=off_contract_response(404, OLD_SERVER_404, "text/plain; charset=utf-8"))

    with pytest.raises(UnexpectedStatus) as raised:
        operation.module.sync_detailed(*operation.args, client=client, **operation.kwargs)

    assert (raised.value.status_code, raised.value.content) == (404, OLD_SERVER_404)
    assert isinstance(error_for_response(raised.value.status_code, raised.value.content), EndpointNotAvailable)


def test_a_missing_job_is_not_a_missing_endpoint(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    body = response_example(API, "GetJob", "404")
    router.get(JOB_PATH).mock(side_effect=contract_response(API, "GetJob", 404, body))

    result = get_job.sync_detailed(GUID, KEY, client=client)

    assert isinstance(result.parsed, APIError)
    assert result.parsed.code == 4
    with pytest.raises(NotFoundError) as raised:
        unwrap(result)
    assert not isinstance(raised.value, EndpointNotAvailable)
    assert raised.value.details == result.parsed


OFF_CONTRACT = [
    pytest.param(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html", id="500-html"),
    pytest.param(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", id="502-proxy-html"),
    pytest.param(520, b"error code: 520", "text/plain", id="520-cloudflare"),
    pytest.param(503, b'{"message": "Service Unavailable"}', "application/json", id="503-foreign-json-error"),
    pytest.param(403, b"<html><body>Access denied by proxy</body></html>", "text/html", id="403-html"),
    pytest.param(200, b'{"id": "40096649", "key": "QBZ5jk', "application/json", id="200-truncated-json"),
]
# The download's 200 is text: any body is the log file, so a 200 is never off-contract for it.
TEXT_SUCCESS = {"JobDownloadLog"}


def _off_contract_cases() -> list[Any]:
    return [
        pytest.param(operation, *case.values, id=f"{operation}-{case.id}")
        for operation in OPERATIONS
        for case in OFF_CONTRACT
        if not (operation.operation_id in TEXT_SUCCESS and case.values[0] == 200)
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("operation", "status", "content", "content_type"), _off_contract_cases())
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
@pytest.mark.parametrize(("operation", "status", "content", "content_type"), _off_contract_cases())
def test_off_contract_response_raises_unexpected_status_when_asked(
    router: respx.MockRouter, operation: Operation, status: int, content: bytes, content_type: str, mode: str
) -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token=API_KEY, prefix="Key", raise_on_unexpected_status=True)
    _route(router, operation).mock(side_effect=off_contract_response(status, content, content_type))

    with pytest.raises(UnexpectedStatus) as raised:
        call(operation.module, mode, *operation.args, client=client, **operation.kwargs)

    assert raised.value.status_code == status
    assert raised.value.content == content


def test_max_log_lines_goes_out_by_its_wire_name_with_the_documented_default(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    route = router.get(f"{JOB_PATH}/log").mock(side_effect=_success(BY_ID["JobLogs"]))

    job_logs.sync(GUID, KEY, client=client)
    job_logs.sync(GUID, KEY, client=client, max_log_lines=1)

    first, second = (call.request.url for call in route.calls)
    assert first.params.multi_items() == [("maxLogLines", "5000")]
    assert second.params.multi_items() == [("maxLogLines", "1")]
    assert "max_log_lines" not in str(first)


def test_download_without_a_filename_sends_no_query(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(f"{JOB_PATH}/download").mock(side_effect=_success(BY_ID["JobDownloadLog"]))

    text = job_download_log.sync(GUID, KEY, client=client)

    assert route.calls.last.request.url.query == b""
    assert isinstance(text, str)
    assert "[rsc-session] Content GUID" in text


def test_identifiers_stay_strings_and_kill_order_ids_integers(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    router.get(f"/v1/content/{GUID}/jobs").mock(side_effect=_success(BY_ID["GetJobs"]))
    router.delete(JOB_PATH).mock(side_effect=_success(BY_ID["KillJob"]))

    jobs = get_jobs.sync(GUID, client=client)
    order = kill_job.sync(GUID, KEY, client=client)

    assert isinstance(jobs, list)
    active, finalized = jobs
    assert (active.id, active.app_id, active.pid, active.content_id) == ("40793914", "52389", "2611047", "52389")
    assert (active.status, finalized.status) == (JobStatus.ACTIVE, JobStatus.FINALIZED)
    assert finalized.end_time is None
    assert finalized.exit_code is None
    assert isinstance(order, KillJobOrder)
    assert (order.app_id, order.job_id) == (52389, 40793914)


def test_an_unknown_tag_does_not_break_the_client(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    job = dict(response_example(API, "GetJob", "200", "finalized"), tag="run_gradio_app")
    router.get(JOB_PATH).mock(side_effect=contract_response(API, "GetJob", 200, job))

    parsed = get_job.sync(GUID, KEY, client=client)

    assert isinstance(parsed, JobItem)
    assert parsed.tag == "run_gradio_app"


def test_a_job_without_an_error_is_a_204_with_nothing_parsed(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    router.get(f"{JOB_PATH}/error").mock(side_effect=contract_response(API, "JobError", 204, None))

    response = job_error.sync_detailed(GUID, KEY, client=client)

    assert (response.status_code, response.content, response.parsed) == (HTTPStatus.NO_CONTENT, b"", None)


def test_the_buffered_tail_parses_every_line_and_skips_blank_ones(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    entries = response_example(API, "JobTailLog", "200")
    lines = [httpx.Response(200, json=entry).content for entry in entries]
    content = b"\n".join([lines[0], b"", lines[1], b"   ", lines[2]]) + b"\n"
    router.get(f"{JOB_PATH}/tail").mock(return_value=httpx.Response(200, content=content))

    parsed = job_tail_log.sync(GUID, KEY, client=client)

    assert isinstance(parsed, list)
    assert [(entry.source, entry.data) for entry in parsed] == [(LogSource(e["source"]), e["data"]) for e in entries]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_buffered_tail_reads_every_framing_and_media_type(
    router: respx.MockRouter, client: AuthenticatedClient, case: Framed, mode: str
) -> None:
    if case.content_type is not None:
        assert response_problems(API, "JobTailLog", 200, case.content_type, ENTRIES) == []
    headers = {} if case.content_type is None else {"Content-Type": case.content_type}
    router.get(f"{JOB_PATH}/tail").mock(return_value=httpx.Response(200, content=case.body, headers=headers))

    parsed = parsed_of(call(job_tail_log, mode, GUID, KEY, client=client), mode)

    assert isinstance(parsed, list)
    assert [(entry.source.value, entry.data) for entry in parsed] == [(e["source"], e["data"]) for e in ENTRIES]


def test_path_parameters_are_percent_encoded(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(url__regex=r".*/jobs/[^/]+$").mock(
        side_effect=contract_response(API, "GetJob", 404, response_example(API, "GetJob", "404"))
    )

    get_job.sync("../../users", "key?x=1", client=client)

    assert route.calls.last.request.url.raw_path == b"/__api__/v1/content/..%2F..%2Fusers/jobs/key%3Fx%3D1"


def test_client_repr_never_shows_the_api_key() -> None:
    for client in (
        AuthenticatedClient(base_url=BASE_URL, token=API_KEY, prefix="Key"),
        Client(base_url=BASE_URL, headers={"Authorization": f"Key {API_KEY}"}),
    ):
        shown = f"{client!r} {client!s}"
        assert API_KEY not in shown
        assert BASE_URL in shown
