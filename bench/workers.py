"""What a lifecycle load is made of (`bench.load` runs it): the budget every request is counted against, the figures
it gathers (`LoadResult`), and the `Worker` each API's part of the bench (`bench/apis/<api>.py`) derives its own
from, with the invariants it holds that API's answers to.

Every 5xx is recorded with its request; a broken invariant is a violation, with what was seen.
"""

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mock_server.announcement import Announcement


@dataclass
class LoadResult:
    """What a load run did and found."""

    api: str
    clients: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        """How many requests were answered."""
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        """Answered requests per second of the run."""
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, percent: int) -> float:
        """A latency percentile, in seconds (0 without requests)."""
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1]


class Budget:
    """The bounds of a run: a deadline and a request count, whichever comes first; records every answer."""

    def __init__(self, result: LoadResult, *, duration: float, max_requests: int) -> None:
        self.result = result
        self.duration = duration
        self.deadline = time.monotonic() + duration
        self.remaining = max_requests

    def start(self) -> None:
        """Start the clock (after the workers' set-up, which the budget does not count)."""
        self.deadline = time.monotonic() + self.duration

    @property
    def spent(self) -> bool:
        return self.remaining <= 0 or time.monotonic() >= self.deadline

    async def call(self, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request and record its latency and status (and the request, for a 5xx)."""
        self.remaining -= 1
        started = time.perf_counter()
        response = await client.request(method, url, **kwargs)
        self.result.latencies.append(time.perf_counter() - started)
        self.result.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.result.server_errors.append(f"{method} {url} -> {response.status_code}: {response.text[:300]}")
        return response

    def violation(self, message: str) -> None:
        self.result.violations.append(message)


class Worker:
    """One client doing random lifecycle operations; each API's worker says which, and what must hold."""

    def __init__(self, budget: Budget, client: httpx.AsyncClient, chooser: random.Random) -> None:
        self.budget = budget
        self.client = client
        self.chooser = chooser

    async def setup(self) -> None:
        """Prepare what the worker needs (its account, its user)."""

    async def step(self) -> None:
        """Do one random operation and check its answer."""
        raise NotImplementedError

    async def verify(self) -> None:
        """Check what the worker built, once the load is over."""

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.budget.violation(message)

    def expect_status(self, response: httpx.Response, expected: int, what: str) -> bool:
        if response.status_code != expected and response.status_code < 500:
            self.budget.violation(f"{what}: expected {expected}, got {response.status_code}: {response.text[:200]}")
        return response.status_code == expected


Factory = Callable[[Budget, list[httpx.AsyncClient], random.Random, Announcement], list[Worker]]
"""Makes an API's workers, one per client, from the run's budget, its clients, its seeded chooser and the simulator's
start-up line (`ApiBench.workers`)."""


def child(chooser: random.Random) -> random.Random:
    """A worker's own chooser, seeded from the run's, so that a run can be repeated."""
    # Nothing here is a secret.
    return random.Random(chooser.random())  # noqa: S311
