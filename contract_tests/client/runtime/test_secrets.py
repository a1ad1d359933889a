"""Secret hygiene of every generated package: tokens and API keys never appear in repr()/str() of clients, in log
records (httpx, httpcore, httpx-retries, the package's own), or in exception messages. What is one API's own (the
slurper's `secretAccessKey` and `privateKey` in its models, its legacy key) is in
contract_tests/client/<api>/test_secrets.py."""

import asyncio
import logging

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import READS, Call, answer, everything_logged


@pytest.mark.parametrize("call", READS, ids=str)
def test_clients_never_show_their_credentials(call: Call) -> None:
    clients = [
        call.client(),
        call.client().with_retry(max_retries=0),
        call.client(headers={"X-Extra": call.credential}),
    ]
    for client in clients:
        for text in (repr(client), str(client)):
            assert call.credential not in text


@pytest.mark.parametrize("call", READS, ids=str)
def test_no_credential_reaches_a_log_record(call: Call, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(
            side_effect=[httpx.ReadError("reset"), answer(429, headers={"Retry-After": "1"}), answer(200, call.success)]
        )
        call.sync(call.client())
        router.route(method=call.method, url=call.url).mock(return_value=answer(401, call.error_body(401)))
        with pytest.raises(call.package.errors.AuthenticationError):
            asyncio.run(call.asyncio(call.client(raise_on_error=True)))

    logged = everything_logged(caplog)
    assert "httpx_retries" in logged or "httpx" in logged  # the loggers did record this traffic
    assert call.credential not in logged


@pytest.mark.parametrize("call", READS, ids=str)
def test_connection_errors_name_the_request_but_not_its_credentials(call: Call) -> None:
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(call.package.errors.APIConnectionError) as raised:
            call.sync(call.client(retry=call.package.RetryPolicy.disabled()))
    assert call.method in str(raised.value)
    assert call.credential not in str(raised.value)
    assert call.credential not in repr(raised.value)
