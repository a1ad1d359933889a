"""The generated clients against simulators that inject faults (mock_server/faults.py: a seeded fraction of requests
gets a 429 with Retry-After, a 503, a Cloudflare 520 page, a dropped connection or a stalled answer, decided before the
request is run, so a fault never changes state).

When the faults never stop, each kind surfaces as its typed error once the retries run out, for every API of the
registry (the kinds each API's `calls` names). That a whole job lifecycle of each API completes through the clients'
retries, exactly once (no pause, kill or delete done twice, no job lost or duplicated), and that a stalled server never
holds a client past its timeout, is each API's own: `contract_tests/client/<api>/test_faults.py`. Waits between
retries are recorded by the `waits` fixture, not slept."""

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.client.conftest import faulty_client
from contract_tests.client.runtime.calls import api_calls
from mock_server.announcement import Announcement

LASTING = [
    ((name, "1", kind), expected) for name, calls in api_calls().items() for kind, expected in calls.lasting_faults
]


@pytest.mark.parametrize(("simulator", "expected"), LASTING, indirect=["simulator"], ids=str)
def test_when_the_faults_never_stop_the_typed_error_surfaces_after_the_retries(
    simulator: Announcement, expected: str, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    calls = api_calls()[simulator.api]
    client = opened(faulty_client(calls.client, simulator))

    with pytest.raises(calls.client.package.errors.APIError) as raised:
        calls.read_demo_job(simulator, client)

    assert type(raised.value).__name__ == expected
    assert len(waits) == client.retry.max_retries  # every retry was made, then the error surfaced
    if expected == "RateLimitError":
        assert raised.value.retry_after == 1.0
        assert waits == [1.0] * client.retry.max_retries
    if expected == "ServerError" and "520" in str(raised.value):
        assert raised.value.details is None  # Cloudflare's HTML page, kept raw
        assert b"Error code 520" in raised.value.content
