"""generated_client.connect.api.jobs: every operation (connect/operations.py), in all four forms, against respx.

Requests are checked against what the document says (method, path, `maxLogLines` and `filename` on the wire, the
`Authorization: Key <api key>` header); responses are the document's own examples in every media type it declares
(JSON, the text log file, the tail as the simulator frames it, the 204 without a body), validated against it before
the client sees them, plus what the document does not promise: an old server's plain-text 404, and the tail in every
framing and media type the sources leave open (contract_tests/client/runtime/framings.py). A proxy's HTML page,
Cloudflare's 520, another service's JSON error and truncated JSON every operation is also sent in
contract_tests/client/test_operations.py.
"""

import re
from datetime import datetime
from http import HTTPStatus
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import MODES, call, contract_response, off_contract_response, parsed_of
from contract_tests.client.connect.operations import API, API_KEY, BASE_URL, GUID, JOB_PATH, KEY, OPERATIONS
from contract_tests.client.operations import Documented, Operation
from contract_tests.client.runtime.framings import CASES, ENTRIES, Framed
from contract_tests.documents import response_example, response_problems
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
from generated_client.connect.models import APIError, JobItem, JobStatus, KillJobOrder, LogEntry, LogSource

OLD_SERVER_404 = b"404 page not found\n"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _normalised(value: Any) -> Any:
    """JSON as the models give it back: timestamps as `datetime.isoformat()` (nanoseconds cut to microseconds)."""
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return datetime.fromisoformat(value).isoformat()
    return value


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
@pytest.mark.parametrize("form", ["authenticated-client", "plain-client-with-header"])
def test_request_is_what_the_document_says(operation: Operation, mode: str, form: str) -> None:
    if form == "authenticated-client":
        client: Client = OPERATIONS.client()
    else:
        client = Client(base_url=BASE_URL, headers={"Authorization": f"Key {API_KEY}"})
    request = OPERATIONS.sent(operation, mode, client)

    assert request.method == operation.method
    assert request.url.path == f"/__api__{operation.path}"
    assert dict(request.url.params) == operation.query
    assert request.content == b""
    assert request.headers["Authorization"] == f"Key {API_KEY}"
    assert "Bearer" not in request.headers["Authorization"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("example", OPERATIONS.documented_examples())
def test_documented_response_is_parsed_into_its_model(example: Documented, mode: str) -> None:
    operation, status, media_type, body = example

    result, parsed = OPERATIONS.answered(example, mode)

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
        assert isinstance(parsed, operation.result_type)
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
    operation.route(router).mock(
        side_effect=contract_response(API, operation.operation_id, 404, body, media_type="text/plain")
    )

    result = OPERATIONS.call(operation, mode, client)

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
    client = OPERATIONS.client(raise_on_unexpected_status=True)
    operation.route(router).mock(side_effect=off_contract_response(404, OLD_SERVER_404, "text/plain; charset=utf-8"))

    with pytest.raises(UnexpectedStatus) as raised:
        OPERATIONS.call(operation, "sync_detailed", client)

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


def test_max_log_lines_goes_out_by_its_wire_name_with_the_documented_default(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    route = router.get(f"{JOB_PATH}/log").mock(side_effect=OPERATIONS.success("JobLogs"))

    job_logs.sync(GUID, KEY, client=client)
    job_logs.sync(GUID, KEY, client=client, max_log_lines=1)

    first, second = (call.request.url for call in route.calls)
    assert first.params.multi_items() == [("maxLogLines", "5000")]
    assert second.params.multi_items() == [("maxLogLines", "1")]
    assert "max_log_lines" not in str(first)


def test_download_without_a_filename_sends_no_query(router: respx.MockRouter, client: AuthenticatedClient) -> None:
    route = router.get(f"{JOB_PATH}/download").mock(side_effect=OPERATIONS.success("JobDownloadLog"))

    text = job_download_log.sync(GUID, KEY, client=client)

    assert route.calls.last.request.url.query == b""
    assert isinstance(text, str)
    assert "[rsc-session] Content GUID" in text


def test_identifiers_stay_strings_and_kill_order_ids_integers(
    router: respx.MockRouter, client: AuthenticatedClient
) -> None:
    router.get(f"/v1/content/{GUID}/jobs").mock(side_effect=OPERATIONS.success("GetJobs"))
    router.delete(JOB_PATH).mock(side_effect=OPERATIONS.success("KillJob"))

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
