"""Retries and timeouts of every generated package (generator/runtime/retries.py, client.py), with faults
injected at the transport: connection resets, read timeouts, a 429 storm with `Retry-After`, 5xx and 520-527,
truncated JSON. The waits are recorded by the `waits` fixture instead of slept."""

import asyncio
import email.utils
import time
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import CREATES, READS, WRITES, Call, answer

SYNC_AND_ASYNC = ("sync", "asyncio")


def run(call: Call, mode: str, client: Any) -> Any:
    if mode == "asyncio":
        return asyncio.run(call.asyncio(client))
    return call.sync(client)


def ok(call: Call) -> httpx.Response:
    return answer(call.success_status, call.success)


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 520, 522, 524, 527])
@pytest.mark.parametrize("call", READS + WRITES, ids=str)
def test_a_retryable_status_is_retried_until_it_succeeds(
    call: Call, status: int, mode: str, waits: list[float]
) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.route(method=call.method, url=call.url).mock(
            side_effect=[answer(status, call.error_body(status)), answer(status), ok(call)]
        )
        response = run(call, mode, call.client())

    assert response.status_code == call.success_status
    assert response.parsed is not None
    assert route.call_count == 3
    # Exponential backoff (0.5 s, then 1 s) with up to 25% jitter taken off.
    assert len(waits) == 2
    assert 0.375 <= waits[0] <= 0.5
    assert 0.75 <= waits[1] <= 1.0


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize(
    "fault",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
    ],
    ids=type,
)
@pytest.mark.parametrize("call", READS, ids=str)
def test_a_connection_fault_is_retried(call: Call, fault: Exception, mode: str, waits: list[float]) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.route(method=call.method, url=call.url).mock(side_effect=[fault, fault, ok(call)])
        response = run(call, mode, call.client())

    assert response.status_code == call.success_status
    assert route.call_count == 3
    assert len(waits) == 2


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize("call", READS, ids=str)
def test_when_retries_run_out_the_typed_error_says_what_happened(call: Call, mode: str) -> None:
    errors = call.package.errors
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(side_effect=httpx.ReadTimeout("timed out"))
        with pytest.raises(errors.APITimeoutError, match="timed out") as raised:
            run(call, mode, call.client())
    assert route.call_count == 3
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert raised.value.method == "GET"

    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(errors.APIConnectionError, match="refused") as refused:
            run(call, mode, call.client())
    assert not isinstance(refused.value, errors.APITimeoutError)

    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(503, call.error_body(503)))
        with pytest.raises(errors.ServerError) as server:
            run(call, mode, call.client(raise_on_error=True))
    assert server.value.status_code == 503
    assert server.value.details is not None


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize("call", READS, ids=str)
def test_a_429_storm_waits_as_retry_after_says_then_raises_rate_limited(
    call: Call, mode: str, waits: list[float]
) -> None:
    storm = answer(429, call.error_body(429), headers={"Retry-After": "3"})
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(return_value=storm)
        with pytest.raises(call.package.errors.RateLimitError) as raised:
            run(call, mode, call.client(raise_on_error=True))

    assert route.call_count == 3
    assert waits == [3.0, 3.0]
    assert raised.value.retry_after == 3.0
    assert raised.value.status_code == 429


@pytest.mark.parametrize("call", READS, ids=str)
def test_retry_after_as_an_http_date_and_its_cap(call: Call, waits: list[float]) -> None:
    in_ten_seconds = email.utils.formatdate(time.time() + 10, usegmt=True)
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(
            side_effect=[
                answer(503, headers={"Retry-After": in_ten_seconds}),
                answer(429, headers={"Retry-After": "86400"}),
                ok(call),
            ]
        )
        response = call.sync(call.client())

    assert response.status_code == call.success_status
    assert 8.0 <= waits[0] <= 10.0
    assert waits[1] == 60.0  # a day asked for, the cap given


@pytest.mark.parametrize("call", READS, ids=str)
def test_a_retry_sends_exactly_the_same_request(call: Call) -> None:
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(
            side_effect=[httpx.ReadError("reset"), answer(503), ok(call)]
        )
        call.sync(call.client(headers={"X-Request-Purpose": "retry-test"}))

    sent = [(r.method, str(r.url), sorted(r.headers.multi_items()), r.content) for r, _ in route.calls]
    assert len(sent) == 3
    assert sent[0] == sent[1] == sent[2]


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize("call", CREATES, ids=str)
def test_the_job_creating_post_is_not_retried_unless_asked(call: Call, mode: str, waits: list[float]) -> None:
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(return_value=answer(503))
        response = run(call, mode, call.client())
    assert response.status_code == 503
    assert route.call_count == 1
    assert waits == []

    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(
            side_effect=[httpx.RemoteProtocolError("dropped"), answer(503), ok(call)]
        )
        response = run(call, mode, call.client().with_retry(retry_non_idempotent=True))
    assert response.status_code == call.success_status
    assert route.call_count == 3
    bodies = {request.content for request, _ in route.calls}
    assert len(bodies) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
@pytest.mark.parametrize("call", READS, ids=str)
def test_a_client_error_is_not_retried(call: Call, status: int, waits: list[float]) -> None:
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(
            return_value=answer(status, call.error_body(status))
        )
        call.sync(call.client())
    assert route.call_count == 1
    assert waits == []


@pytest.mark.parametrize("mode", SYNC_AND_ASYNC)
@pytest.mark.parametrize("call", READS, ids=str)
def test_truncated_json_is_not_retried_and_is_reported_with_its_body(call: Call, mode: str) -> None:
    truncated = b'{"success": true, "result": {"id": "5b7e'
    with respx.mock() as router:
        route = router.route(method=call.method, url=call.url).mock(
            return_value=httpx.Response(200, content=truncated, headers={"Content-Type": "application/json"})
        )
        response = run(call, mode, call.client())
        assert (response.status_code, response.content, response.parsed) == (200, truncated, None)
        with pytest.raises(call.package.errors.UnexpectedStatus) as raised:
            run(call, mode, call.client(raise_on_error=True))
    assert route.call_count == 2
    assert raised.value.content == truncated


@pytest.mark.parametrize("call", READS, ids=str)
def test_retries_are_configured_per_client_and_per_call_and_can_be_turned_off(call: Call, waits: list[float]) -> None:
    policy = call.package.RetryPolicy
    cases = [
        (call.client(retry=policy(max_retries=5)), 6),
        (call.client().with_retry(max_retries=0), 1),
        (call.client(retry=policy.disabled()), 1),
        (call.client(retry=policy.disabled()).with_retry(max_retries=1), 2),
    ]
    for client, attempts in cases:
        with respx.mock() as router:
            route = router.route(method=call.method, url=call.url).mock(return_value=answer(502))
            assert call.sync(client).status_code == 502
        assert route.call_count == attempts


@pytest.mark.parametrize("call", READS, ids=str)
def test_the_waits_of_one_request_can_be_capped_in_all(call: Call, waits: list[float]) -> None:
    client = call.client(retry=call.package.RetryPolicy(max_retries=4, max_total_wait=5.0))
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=answer(429, headers={"Retry-After": "2"}))
        call.sync(client)
    assert sum(waits) == pytest.approx(5.0)
    assert waits[:2] == [2.0, 2.0]


@pytest.mark.parametrize("call", READS, ids=str)
def test_timeouts_have_explicit_defaults_and_can_be_overridden(call: Call) -> None:
    default = call.client()
    assert default.get_httpx_client().timeout == httpx.Timeout(60.0, connect=5.0)
    assert httpx.Timeout(60.0, connect=5.0) == call.package.DEFAULT_TIMEOUT

    tight = call.client(timeout=httpx.Timeout(2.0, connect=0.5))
    assert tight.get_httpx_client().timeout == httpx.Timeout(2.0, connect=0.5)
    assert asyncio.run(_async_timeout(tight)) == httpx.Timeout(2.0, connect=0.5)


async def _async_timeout(client: Any) -> httpx.Timeout:
    async with client as opened:
        timeout: httpx.Timeout = opened.get_async_httpx_client().timeout
        return timeout


def test_a_negative_retry_count_is_refused() -> None:
    for call in READS:
        with pytest.raises(ValueError, match="max_retries"):
            call.package.RetryPolicy(max_retries=-1)


@pytest.mark.parametrize("call", READS, ids=str)
def test_a_transport_given_by_the_user_is_wrapped_by_the_retries(call: Call, waits: list[float]) -> None:
    seen: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(len(seen))
        return answer(503) if len(seen) < 3 else ok(call)

    client = call.client(httpx_args={"transport": httpx.MockTransport(flaky)})
    assert call.sync(client).status_code == call.success_status
    assert seen == [0, 1, 2]
