"""The typed errors of every generated package (generator/runtime/errors.py, generator/runtime/<api>/error_details.py,
_responses.py): which exception each failure raises, and that it carries the status, the API's own error details and
the raw body; with `raise_on_error` (sync and async) and with `unwrap`."""

import asyncio
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import CONNECT_URL, CREATE_JOB, ERROR_BODIES, GUID, KEY, READS, Call, answer
from generated_client import connect
from generated_client.connect.api.jobs import job_error
from generated_client.slurper.models import JobResponse

STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (413, "ClientError"),
    (422, "BadRequestError"),
    (429, "RateLimitError"),
    (500, "ServerError"),
    (503, "ServerError"),
    (520, "ServerError"),
    (526, "ServerError"),
]


def raised_by(call: Call, response: httpx.Response, mode: str) -> Any:
    """The exception the call raises for `response`, with `raise_on_error` (sync or async) or through `unwrap`."""
    client = call.client(retry=call.package.RetryPolicy.disabled(), raise_on_error=mode != "unwrap")
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=response)
        with pytest.raises(call.package.errors.APIError) as raised:
            _failing_call(call, client, mode)
    return raised.value


def _failing_call(call: Call, client: Any, mode: str) -> None:
    if mode == "asyncio":
        asyncio.run(call.asyncio(client))
    elif mode == "sync":
        call.sync(client)
    else:
        call.package.unwrap(call.sync(client))


MODES = ("sync", "asyncio", "unwrap")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "kind"), STATUS_CLASSES)
@pytest.mark.parametrize("call", READS, ids=str)
def test_each_failure_raises_its_class_with_the_apis_error_details(
    call: Call, status: int, kind: str, mode: str
) -> None:
    body = ERROR_BODIES[call.api](status)
    error = raised_by(call, answer(status, body, headers={"X-Request-Id": "r-1"}), mode)

    errors = call.package.errors
    assert type(error) is getattr(errors, kind)
    assert isinstance(error, errors.APIStatusError)
    assert error.status_code == status
    assert error.body == body
    assert error.headers["X-Request-Id"] == "r-1"
    assert error.details is not None
    assert f"failure {status}" in str(error)
    assert str(status) in str(error)


def test_the_details_are_the_apis_own_error_model() -> None:
    slurper, connect, rekosearch = READS
    cloudflare = raised_by(slurper, answer(409, ERROR_BODIES["slurper"](409)), "sync")
    assert [(item.code, item.message) for item in cloudflare.details.errors] == [(10409, "failure 409")]
    assert str(cloudflare) == "409 Conflict: [10409] failure 409"

    posit = raised_by(connect, answer(409, {"code": 163, "error": "not active", "payload": None}), "sync")
    assert (posit.details.code, posit.details.error) == (163, "not active")
    assert str(posit) == "409 Conflict: Connect error 163: not active"

    reko_body = {"message": "The job does not exist", "affected_query_parameter": "job-id: number"}
    reko = raised_by(rekosearch, answer(404, reko_body), "sync")
    assert (reko.details.message, reko.details.affected_query_parameter) == (
        "The job does not exist",
        "job-id: number",
    )
    assert str(reko) == "404 Not Found: The job does not exist (job-id: number)"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("call", READS, ids=str)
def test_a_404_that_is_not_the_apis_error_means_the_endpoint_is_missing(call: Call, mode: str) -> None:
    page = httpx.Response(404, content=b"404 page not found\n", headers={"Content-Type": "text/plain"})
    error = raised_by(call, page, mode)

    errors = call.package.errors
    assert type(error) is errors.EndpointNotAvailable
    assert isinstance(error, errors.NotFoundError)
    assert errors.ENDPOINT_NOT_AVAILABLE in str(error)
    assert error.details is None
    assert error.content == b"404 page not found\n"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "content", "content_type"),
    [
        (502, b"<html><body>502 Bad Gateway</body></html>", "text/html"),
        (520, b"error code: 520", "text/plain"),
        (500, b"", "text/plain"),
    ],
)
@pytest.mark.parametrize("call", READS, ids=str)
def test_a_body_that_is_not_the_apis_error_is_kept_raw(
    call: Call, status: int, content: bytes, content_type: str, mode: str
) -> None:
    error = raised_by(call, httpx.Response(status, content=content, headers={"Content-Type": content_type}), mode)

    assert type(error) is call.package.errors.ServerError
    assert (error.status_code, error.content, error.body, error.details) == (status, content, None, None)
    assert (content.decode()[:20] if content else "(empty body)") in str(error)


@pytest.mark.parametrize("mode", MODES)
def test_cloudflares_success_false_on_a_200_is_an_error(mode: str) -> None:
    call = READS[0]
    body = {
        "success": False,
        "errors": [{"code": 7003, "message": "No route for the URI"}],
        "messages": [],
        "result": None,
    }
    error = raised_by(call, answer(200, body), mode)

    assert type(error) is call.package.errors.UnsuccessfulResponse
    assert error.status_code == 200
    assert error.details.errors[0].code == 7003
    assert "[7003] No route for the URI" in str(error)


@pytest.mark.parametrize("mode", MODES)
def test_cloudflares_success_false_with_a_result_is_an_error_too(mode: str) -> None:
    call = READS[0]
    body = {**call.success, "success": False, "errors": [{"code": 10001, "message": "partial"}]}
    error = raised_by(call, answer(200, body), mode)
    assert type(error) is call.package.errors.UnsuccessfulResponse


@pytest.mark.parametrize("call", [*READS, CREATE_JOB], ids=str)
def test_a_success_comes_back_as_its_model(call: Call) -> None:
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(call.success_status, call.success))
        strict = call.sync(call.client(raise_on_error=True))
        plain = call.package.unwrap(call.sync(call.client()))
    assert strict.parsed is not None
    assert plain == strict.parsed


def test_unwrap_checks_and_types_the_expected_model() -> None:
    call = READS[0]
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(200, call.success))
        job = call.package.unwrap(call.sync(call.client()), JobResponse)
        assert job.result.id == call.success["result"]["id"]
        with pytest.raises(call.package.errors.UnexpectedStatus):
            call.package.unwrap(call.sync(call.client()), call.package.models.JobListResponse)


def test_a_connect_204_without_error_unwraps_to_none() -> None:
    with respx.mock() as router:
        router.get(f"{CONNECT_URL}/v1/content/{GUID}/jobs/{KEY}/error").mock(return_value=httpx.Response(204))
        client = connect.AuthenticatedClient(base_url=CONNECT_URL, token="k", prefix="Key")
        assert connect.unwrap(job_error.sync_detailed(GUID, KEY, client=client)) is None
        strict = connect.AuthenticatedClient(base_url=CONNECT_URL, token="k", prefix="Key", raise_on_error=True)
        assert job_error.sync(GUID, KEY, client=strict) is None


def test_raise_on_unexpected_status_keeps_its_meaning() -> None:
    """openapi-python-client's option still raises `UnexpectedStatus` for undocumented statuses only."""
    call = READS[0]
    client = call.client(retry=call.package.RetryPolicy.disabled(), raise_on_unexpected_status=True)
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=httpx.Response(520, content=b"error 520"))
        with pytest.raises(call.package.errors.UnexpectedStatus) as raised:
            call.sync(client)
    assert raised.value.status_code == 520
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(404, ERROR_BODIES["slurper"](404)))
        assert call.sync(client).status_code == 404
