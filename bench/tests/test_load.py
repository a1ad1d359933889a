"""The short version of `make bench-servers`' lifecycle load (bench/load.py): 32 concurrent clients for a few seconds
against each simulator, a real process on loopback in strict mode. Nothing may give way: no 5xx, no broken invariant,
no traceback or credential in the simulator's output. The figures are printed, never asserted."""

import asyncio

import pytest

from bench.apis import benches
from bench.load import CLIENTS, run_load
from bench.processes import rss_bytes
from generator.registry import api_names
from mock_server.launcher import launch

SECONDS = 3.0
MAX_REQUESTS = 20_000


@pytest.mark.parametrize("api", api_names())
def test_a_short_lifecycle_load_breaks_nothing(api: str) -> None:
    with launch(api, *benches()[api].simulator_options, strict=True) as server:
        before = rss_bytes(server.pid)
        result = asyncio.run(run_load(api, server.announcement, duration=SECONDS, max_requests=MAX_REQUESTS))
        after = rss_bytes(server.pid)
    print(
        f"{api}: {result.requests} requests from {CLIENTS} clients in {result.elapsed:.1f} s "
        f"({result.requests_per_second:.0f}/s), p50 {result.percentile(50) * 1000:.1f} ms, "
        f"p99 {result.percentile(99) * 1000:.1f} ms, statuses {dict(result.statuses)}, "
        f"RSS {before / 2**20:.1f} -> {after / 2**20:.1f} MiB"
    )
    assert result.server_errors == []
    assert result.violations == []
    assert result.requests > CLIENTS, "the load ran"
    assert "Traceback" not in server.stderr
    assert not [secret for secret in server.announcement.secrets if secret in server.stderr]
