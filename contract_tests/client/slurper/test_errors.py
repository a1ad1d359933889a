"""The slurper's own typed errors: Cloudflare's `success: false` on a 200 is an error, `unwrap` checks the model it is
asked for, and `raise_on_unexpected_status` still means what openapi-python-client means by it (the errors every
package raises alike: contract_tests/client/runtime/test_errors.py)."""

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import ERROR_MODES, answer, raised_by
from contract_tests.client.slurper.calls import READ
from generated_client.slurper.models import JobResponse


@pytest.mark.parametrize("mode", ERROR_MODES)
def test_cloudflares_success_false_on_a_200_is_an_error(mode: str) -> None:
    call = READ
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


@pytest.mark.parametrize("mode", ERROR_MODES)
def test_cloudflares_success_false_with_a_result_is_an_error_too(mode: str) -> None:
    call = READ
    body = {**call.success, "success": False, "errors": [{"code": 10001, "message": "partial"}]}
    error = raised_by(call, answer(200, body), mode)
    assert type(error) is call.package.errors.UnsuccessfulResponse


def test_unwrap_checks_and_types_the_expected_model() -> None:
    call = READ
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(200, call.success))
        job = call.package.unwrap(call.sync(call.client()), JobResponse)
        assert job.result.id == call.success["result"]["id"]
        with pytest.raises(call.package.errors.UnexpectedStatus):
            call.package.unwrap(call.sync(call.client()), call.package.models.JobListResponse)


def test_raise_on_unexpected_status_keeps_its_meaning() -> None:
    """openapi-python-client's option still raises `UnexpectedStatus` for undocumented statuses only."""
    call = READ
    client = call.client(retry=call.package.RetryPolicy.disabled(), raise_on_unexpected_status=True)
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=httpx.Response(520, content=b"error 520"))
        with pytest.raises(call.package.errors.UnexpectedStatus) as raised:
            call.sync(client)
    assert raised.value.status_code == 520
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(404, call.error_body(404)))
        assert call.sync(client).status_code == 404
