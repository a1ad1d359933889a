"""A bounded lifecycle load against a running simulator, with its invariants checked as it goes.

`run_load(api, announcement, clients=32, duration=60, max_requests=...)` starts `clients` workers on one event loop,
each an httpx client of its own on loopback, each doing random lifecycle operations until the time or the request
budget runs out, then checking what it built. Which operations, and what must hold, is the API's own: its workers
(`ApiBench.workers`, `bench/apis/<api>.py`), on the machinery of `bench.workers`.

Every worker authenticates as the simulator's first announced identity (`Announcement.identity`). Every 5xx is
recorded with its request. `LoadResult` has the figures: requests, requests per second, latency
percentiles, statuses, 5xx and invariant violations.
"""

import asyncio
import random
import time

import httpx

from bench.apis import benches
from bench.workers import Budget, LoadResult, Worker
from mock_server.announcement import Announcement

CLIENTS = 32
REQUEST_TIMEOUT = 30.0


def credentials(announcement: Announcement) -> dict[str, str]:
    """The headers that authenticate against a simulator: its first announced identity's, which may do anything."""
    return dict(announcement.identity().headers)


async def run_load(
    api: str,
    announcement: Announcement,
    *,
    clients: int = CLIENTS,
    duration: float = 60.0,
    max_requests: int = 1_000_000,
    seed: int = 0,
) -> LoadResult:
    """Run the lifecycle load against a simulator that is already listening.

    Args:
        api: The API's name in the registry; its bench module makes the workers.
        announcement: The simulator's start-up line (base URL, credentials, demo data).
        clients: How many concurrent clients.
        duration: For how many seconds at most.
        max_requests: How many requests at most (all clients together).
        seed: Seeds every client's choices.

    Returns:
        The figures and what was found.
    """
    result = LoadResult(api, clients)
    budget = Budget(result, duration=duration, max_requests=max_requests)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    headers = credentials(announcement)
    sessions = [
        httpx.AsyncClient(base_url=announcement.base_url, headers=headers, timeout=REQUEST_TIMEOUT, limits=limits)
        for _ in range(clients)
    ]
    # Seeded, so that a run can be repeated; not a secret.
    workers = benches()[api].workers(budget, sessions, random.Random(seed), announcement)  # noqa: S311
    try:
        for worker in workers:
            await worker.setup()
        result.latencies.clear()
        result.statuses.clear()
        budget.start()
        started = time.monotonic()

        async def work(worker: Worker) -> None:
            while not budget.spent:
                await worker.step()

        await asyncio.gather(*(work(worker) for worker in workers))
        result.elapsed = time.monotonic() - started
        for worker in workers:
            await worker.verify()
    finally:
        for session in sessions:
            await session.aclose()
    return result
