"""The typed errors of every generated package (generator/runtime/errors.py, generator/runtime/<api>/error_details.py,
_responses.py): which exception each failure raises, and that it carries the status, the API's own error details and
the raw body; with `raise_on_error` (sync and async) and with `unwrap`. What is one API's own (Cloudflare's
`success: false`, Connect's 204) is in contract_tests/client/<api>/test_errors.py."""

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import CREATES, ERROR_MODES, READS, Call, answer, api_calls, raised_by

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


@pytest.mark.parametrize("mode", ERROR_MODES)
@pytest.mark.parametrize(("status", "kind"), STATUS_CLASSES)
@pytest.mark.parametrize("call", READS, ids=str)
def test_each_failure_raises_its_class_with_the_apis_error_details(
    call: Call, status: int, kind: str, mode: str
) -> None:
    body = call.error_body(status)
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


@pytest.mark.parametrize("api", api_calls())
def test_the_details_are_the_apis_own_error_model(api: str) -> None:
    calls = api_calls()[api]
    example = calls.error_example

    error = raised_by(calls.read, answer(example.status, example.body), "sync")

    assert example.details(error.details) == example.expected
    assert str(error) == example.message


@pytest.mark.parametrize("mode", ERROR_MODES)
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


@pytest.mark.parametrize("mode", ERROR_MODES)
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


@pytest.mark.parametrize("call", [*READS, *CREATES], ids=str)
def test_a_success_comes_back_as_its_model(call: Call) -> None:
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(call.success_status, call.success))
        strict = call.sync(call.client(raise_on_error=True))
        plain = call.package.unwrap(call.sync(call.client()))
    assert strict.parsed is not None
    assert plain == strict.parsed
