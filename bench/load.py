"""A bounded lifecycle load against a running simulator, with its invariants checked as it goes.

`run_load(api, announcement, clients=32, duration=60, max_requests=...)` starts `clients` workers on one event loop,
each an httpx client of its own on loopback, each doing random lifecycle operations until the time or the request
budget runs out, then checking what it built. What is checked, per API:

- slurper: every worker has an account of its own, so it knows the exact state of each of its jobs (a job moves on
  only when it is observed, and every observation reports the state it left the job in). Every answer must be the
  one that state calls for (a pause of a paused job is 409, a create past the cap 409, a deleted job 404, ...); a
  listing holds each live job exactly once, with the status the worker expects; progress counters never go back and
  add up (`transferred + failed + skipped <= objects`, equal once completed); at the end, each job's log is a path
  the state machine allows with one entry per successful transition, one per skipped or failed object, and no
  object twice.
- Connect: the workers share the demo content, the announced tenants (the simulator starts jobs by itself, fast: see
  `SIMULATOR_OPTIONS`);
  a job is listed once, never disappears, never goes back in status, is killed at most once, and its log only grows,
  in order, with no entry twice; a finalized job's tail and download hold exactly its log.
- RekoSearch: every worker is a user of its own (`POST /_simulator/users`); a listing holds exactly the user's live
  jobs, once each; a job's status never goes back; a deleted job is gone (404) for good; every job and link belongs
  to the user.

Every worker authenticates as the simulator's first announced identity (`Announcement.identity`). Every 5xx is
recorded with its request. `LoadResult` has the figures: requests, requests per second, latency
percentiles, statuses, 5xx and invariant violations.
"""

import asyncio
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from mock_server.announcement import Announcement

CLIENTS = 32
SLURPER_MAX_ACTIVE = 3
SLURPER_JOBS_KEPT = 6
# The Connect simulator's jobs, sped up so that jobs start, exit and are finalized many times in a run.
SIMULATOR_OPTIONS = {
    "connect": ("--line-interval", "0.05", "--job-lines", "20", "--finalize-delay", "0.5"),
    # Each RekoSearch worker is a user of its own, made with the simulator's opt-in set-up endpoint.
    "rekosearch": ("--new-user-endpoint",),
}
REQUEST_TIMEOUT = 30.0
LIFECYCLE = {"pause": "migrationPause", "resume": "migrationResume", "abort": "migrationAbort"}


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


# The slurper


def lifecycle_problems(log_types: list[str], successes: Counter[str]) -> tuple[list[str], str]:
    """Check a slurper job's log is a path its state machine allows, with one entry per successful transition.

    Args:
        log_types: The log types of the job's lifecycle entries (object entries left out), oldest first.
        successes: How many pause, resume and abort requests succeeded.

    Returns:
        What is wrong (empty when nothing is), and the status the log leads to.
    """
    problems = []
    if not log_types or log_types[0] != "migrationStart" or log_types.count("migrationStart") != 1:
        problems.append(f"the log does not start with one migrationStart: {log_types[:5]}")
    status = "running"
    moves = {
        "migrationPause": (("running",), "paused"),
        "migrationResume": (("paused",), "running"),
        "migrationAbort": (("running", "paused"), "aborted"),
        "migrationComplete": (("running",), "completed"),
    }
    for entry in log_types[1:]:
        allowed, after = moves.get(entry, ((), status))
        if status not in allowed:
            problems.append(f"{entry} while {status}: {log_types}")
        status = after
    for action, log_type in LIFECYCLE.items():
        if log_types.count(log_type) != successes[action]:
            problems.append(f"{successes[action]} successful {action}s, {log_types.count(log_type)} log entries")
    return problems, status


@dataclass
class _SlurperJob:
    status: str = "running"
    successes: Counter[str] = field(default_factory=Counter)
    counted: int = 0
    objects: int | None = None


class SlurperWorker(Worker):
    """A worker with an account of its own (see the module docstring)."""

    OPERATIONS = ("create", "get", "progress", "logs", "list", "pause", "resume", "abort", "delete", "precheck")
    WEIGHTS = (3, 4, 4, 2, 2, 4, 4, 1, 2, 1)

    def __init__(self, budget: Budget, client: httpx.AsyncClient, chooser: random.Random, index: int) -> None:
        super().__init__(budget, client, chooser)
        self.jobs_path = f"/accounts/load-{index}/slurper/jobs"
        self.jobs: dict[str, _SlurperJob] = {}
        self.deleted: list[str] = []

    async def step(self) -> None:
        operation = self.chooser.choices(self.OPERATIONS, self.WEIGHTS)[0]
        final = sorted(job_id for job_id, job in self.jobs.items() if job.status in ("aborted", "completed"))
        if len(self.jobs) >= SLURPER_JOBS_KEPT and final:
            # Keeps the account's state, and so the simulator's memory, bounded.
            await self._on_job("delete", self.chooser.choice(final))
        elif operation == "create" or not self.jobs:
            await self._create()
        elif operation == "list":
            await self._list()
        elif operation == "precheck":
            body = {"vendor": "r2", "bucket": "b", "secret": {"accessKeyId": "id", "secretAccessKey": "secret"}}
            path = self.jobs_path.replace("/jobs", "/target/connectivity-precheck")
            response = await self.budget.call(self.client, "PUT", path, json=body)
            self.expect_status(response, 200, "target precheck")
        elif operation == "delete" and self.deleted and self.chooser.random() < 0.2:
            gone = self.chooser.choice(self.deleted)
            response = await self.budget.call(self.client, "GET", f"{self.jobs_path}/{gone}")
            self.expect_status(response, 404, "get of a deleted job")
        else:
            await self._on_job(operation, self.chooser.choice(sorted(self.jobs)))

    async def _create(self) -> None:
        body = {
            "overwrite": self.chooser.random() < 0.5,
            "source": {"vendor": "s3", "bucket": "load", "secret": {"accessKeyId": "id", "secretAccessKey": "secret"}},
            "target": {"vendor": "r2", "bucket": "load", "secret": {"accessKeyId": "id", "secretAccessKey": "secret"}},
        }
        active = sum(job.status in ("running", "paused") for job in self.jobs.values())
        response = await self.budget.call(self.client, "POST", self.jobs_path, json=body)
        expected = 201 if active < SLURPER_MAX_ACTIVE else 409
        if self.expect_status(response, expected, f"create with {active} active jobs") and expected == 201:
            job_id = response.json()["result"]["id"]
            self.expect(job_id not in self.jobs and job_id not in self.deleted, f"job id {job_id} handed out twice")
            self.jobs[job_id] = _SlurperJob()

    async def _list(self) -> None:
        response = await self.budget.call(self.client, "GET", self.jobs_path, params={"limit": 50})
        if not self.expect_status(response, 200, "list"):
            return
        listed = [job["id"] for job in response.json()["result"]]
        self.expect(len(listed) == len(set(listed)), f"a job is listed twice: {listed}")
        self.expect(set(listed) == set(self.jobs), f"listed {sorted(listed)}, expected {sorted(self.jobs)}")
        for reported in response.json()["result"]:
            if reported["id"] in self.jobs:
                self._observed(reported["id"], reported["status"], "list")

    def _observed(self, job_id: str, status: str, how: str) -> None:
        job = self.jobs[job_id]
        allowed = {job.status, "completed"} if job.status == "running" else {job.status}
        self.expect(status in allowed, f"{how} of job {job_id}: status {status}, expected one of {sorted(allowed)}")
        job.status = status

    async def _on_job(self, operation: str, job_id: str) -> None:
        job = self.jobs[job_id]
        path = f"{self.jobs_path}/{job_id}"
        if operation == "get":
            response = await self.budget.call(self.client, "GET", path)
            if self.expect_status(response, 200, "get"):
                self._observed(job_id, response.json()["result"]["status"], "get")
        elif operation == "progress":
            await self._progress(job_id, path)
        elif operation == "logs":
            response = await self.budget.call(self.client, "GET", f"{path}/logs", params={"limit": 1})
            if self.expect_status(response, 200, "logs") and job.status == "running":
                # A look at the log is an observation too: it may have completed the job.
                await self._progress(job_id, path)
        elif operation == "delete":
            response = await self.budget.call(self.client, "DELETE", path)
            final = job.status in ("aborted", "completed")
            if self.expect_status(response, 200 if final else 409, f"delete of a {job.status} job") and final:
                del self.jobs[job_id]
                self.deleted.append(job_id)
        else:
            allowed = {"pause": ("running",), "resume": ("paused",), "abort": ("running", "paused")}[operation]
            response = await self.budget.call(self.client, "PUT", f"{path}/{operation}")
            expected = 200 if job.status in allowed else 409
            if self.expect_status(response, expected, f"{operation} of a {job.status} job") and expected == 200:
                job.successes[operation] += 1
                job.status = {"pause": "paused", "resume": "running", "abort": "aborted"}[operation]

    async def _progress(self, job_id: str, path: str) -> None:
        response = await self.budget.call(self.client, "GET", f"{path}/progress")
        if not self.expect_status(response, 200, "progress"):
            return
        progress = response.json()["result"]
        job = self.jobs[job_id]
        counted = progress["transferredObjects"] + progress["failedObjects"] + progress["skippedObjects"]
        objects = progress["objects"]
        self.expect(job.objects in (None, objects), f"job {job_id}: objects changed from {job.objects} to {objects}")
        self.expect(counted >= job.counted, f"job {job_id}: counters went back from {job.counted} to {counted}")
        self.expect(counted <= progress["objects"], f"job {job_id}: {counted} objects counted of {progress['objects']}")
        if progress["status"] == "completed":
            self.expect(counted == progress["objects"], f"completed job {job_id}: {counted} of {progress['objects']}")
        job.objects, job.counted = progress["objects"], counted
        self._observed(job_id, progress["status"], "progress")

    async def verify(self) -> None:
        for job_id in sorted(self.jobs):
            path = f"{self.jobs_path}/{job_id}"
            # Every look at a running job moves it on, so it is run to its end first: then its log stands still.
            for _ in range(1000):
                response = await self.client.get(path)
                if not self.expect_status(response, 200, "get at the end"):
                    return
                self._observed(job_id, response.json()["result"]["status"], "get at the end")
                if self.jobs[job_id].status != "running":
                    break
            entries: list[dict[str, Any]] = []
            while True:
                response = await self.client.get(f"{path}/logs", params={"limit": 50, "offset": len(entries)})
                if not self.expect_status(response, 200, "logs at the end") or not response.json()["result"]:
                    break
                entries += response.json()["result"]
            progress = (await self.client.get(f"{path}/progress")).json()["result"]
            problems, status = lifecycle_problems(
                [entry["logType"] for entry in entries if entry["objectKey"] is None], self.jobs[job_id].successes
            )
            for problem in problems:
                self.budget.violation(f"job {job_id}: {problem}")
            self.expect(status == progress["status"], f"job {job_id}: the log leads to {status}, not {progress}")
            keys = [entry["objectKey"] for entry in entries if entry["objectKey"] is not None]
            self.expect(len(keys) == len(set(keys)), f"job {job_id}: an object is in the log twice")
            counted = progress["failedObjects"] + progress["skippedObjects"]
            self.expect(len(keys) == counted, f"job {job_id}: {len(keys)} object log entries, {counted} counted")


# Connect


@dataclass
class ConnectShared:
    """What every Connect worker has seen, so that each answer can be held to it."""

    guids: list[str]
    keys: dict[str, list[str]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    kills: Counter[str] = field(default_factory=Counter)


class ConnectWorker(Worker):
    """A worker on the shared demo content (see the module docstring)."""

    OPERATIONS = ("list", "get", "kill", "log", "error", "download", "tail")
    WEIGHTS = (3, 5, 1, 3, 1, 1, 1)

    def __init__(
        self, budget: Budget, client: httpx.AsyncClient, chooser: random.Random, shared: ConnectShared
    ) -> None:
        super().__init__(budget, client, chooser)
        self.shared = shared

    async def setup(self) -> None:
        for guid in self.shared.guids:
            await self.list_jobs(guid)

    async def step(self) -> None:
        guid = self.chooser.choice(self.shared.guids)
        operation = self.chooser.choices(self.OPERATIONS, self.WEIGHTS)[0]
        if operation == "list" or not self.shared.keys.get(guid):
            await self.list_jobs(guid)
            return
        key = self.chooser.choice(self.shared.keys[guid])
        path = f"/v1/content/{guid}/jobs/{key}"
        status_before = self.shared.status.get(key, 0)
        if operation == "get":
            response = await self.budget.call(self.client, "GET", path)
            if self.expect_status(response, 200, "GetJob"):
                self._status(key, response.json()["status"], status_before)
        elif operation == "kill":
            response = await self.budget.call(self.client, "DELETE", path)
            if response.status_code == 200:
                self.shared.kills[key] += 1
                self.expect(self.shared.kills[key] == 1, f"job {key} killed {self.shared.kills[key]} times")
                self.expect(status_before == 0, f"job {key} killed after it was seen with status {status_before}")
            else:
                self.expect_status(response, 409, "KillJob of a job that is not active")
        elif operation == "log":
            await self._log(key, path)
        elif operation == "error":
            response = await self.budget.call(self.client, "GET", f"{path}/error")
            self.expect(response.status_code in (200, 204), f"JobError: {response.status_code}")
        elif status_before == 2:
            await self._finalized_text(key, path, operation)

    async def list_jobs(self, guid: str) -> None:
        known = list(self.shared.keys.get(guid, []))
        response = await self.budget.call(self.client, "GET", f"/v1/content/{guid}/jobs")
        if not self.expect_status(response, 200, "GetJobs"):
            return
        listed = [job["key"] for job in response.json()]
        self.expect(len(listed) == len(set(listed)), f"a job is listed twice under {guid}")
        lost = set(known) - set(listed)
        self.expect(not lost, f"jobs {sorted(lost)} of {guid} disappeared")
        self.shared.keys[guid] = sorted(set(listed) | set(self.shared.keys.get(guid, [])))
        for job in response.json():
            self._status(job["key"], job["status"], self.shared.status.get(job["key"], 0))

    def _status(self, key: str, status: int, before: int) -> None:
        self.expect(status >= before, f"job {key} went back from status {before} to {status}")
        self.shared.status[key] = max(status, self.shared.status.get(key, 0))

    async def _log(self, key: str, path: str) -> list[dict[str, Any]]:
        before = self.shared.entries.get(key, 0)
        response = await self.budget.call(self.client, "GET", f"{path}/log")
        if not self.expect_status(response, 200, "JobLogs"):
            return []
        entries: list[dict[str, Any]] = response.json()["entries"]
        self.expect(len(entries) >= before, f"job {key}: the log shrank from {before} to {len(entries)} entries")
        stamps = [entry["timestamp"] for entry in entries]
        self.expect(stamps == sorted(stamps), f"job {key}: log entries out of order")
        self.expect(len({(e["timestamp"], e["data"]) for e in entries}) == len(entries), f"job {key}: entry twice")
        self.shared.entries[key] = max(len(entries), before)
        return entries

    async def _finalized_text(self, key: str, path: str, operation: str) -> None:
        entries = await self._log(key, path)
        response = await self.budget.call(self.client, "GET", f"{path}/{operation}")
        if not self.expect_status(response, 200, f"{operation} of a finalized job"):
            return
        lines = response.text.splitlines()
        self.expect(
            len(lines) == len(entries), f"job {key}: {len(lines)} lines in its {operation}, {len(entries)} logged"
        )


# RekoSearch

_FAILED = "failed_credits_restored"


def _rank(status: str) -> int:
    if status == "queued":
        return 0
    if status.startswith("processing"):
        percent = status.removeprefix("processing").strip("_%")
        return 1 + (int(percent) // 10 if percent else 0)
    return 100 if status == "success" else -1


class RekoSearchWorker(Worker):
    """A worker that is a user of its own (see the module docstring)."""

    OPERATIONS = ("list", "get", "url", "delete", "missing")
    WEIGHTS = (3, 6, 2, 1, 1)

    def __init__(self, budget: Budget, client: httpx.AsyncClient, chooser: random.Random) -> None:
        super().__init__(budget, client, chooser)
        self.user_id = ""
        self.status: dict[int, str] = {}
        self.deleted: set[int] = set()

    async def setup(self) -> None:
        response = await self.client.post("/_simulator/users")
        user = response.json()
        self.user_id = user["user_id"]
        self.client.headers["Authorization"] = user["token"]
        self.status = {job_id: "" for job_id in user["jobs"]}
        self.deleted = set()

    async def step(self) -> None:
        if not self.status:
            await self.setup()
        operation = self.chooser.choices(self.OPERATIONS, self.WEIGHTS)[0]
        job_id = self.chooser.choice(sorted(self.status))
        if operation == "list":
            response = await self.budget.call(self.client, "GET", "/api/v1/jobs/list")
            if self.expect_status(response, 200, "jobs/list"):
                listed = [job["job_id"] for job in response.json()["jobs"]]
                self.expect(listed == sorted(self.status), f"listed {listed}, expected {sorted(self.status)}")
                for job in response.json()["jobs"]:
                    self._observed(job["job_id"], job["status"])
        elif operation == "get":
            response = await self.budget.call(self.client, "GET", "/api/v1/jobs/get", params={"job-id": job_id})
            if self.expect_status(response, 200, "jobs/get"):
                info = response.json()["job_info"]
                self.expect(info["user_id"] == self.user_id, f"job {job_id} of another user: {info['user_id']}")
                self._observed(job_id, info["status"])
        elif operation == "url":
            params = {"job-id": job_id, "object-uuid": f"{self.chooser.getrandbits(32):08x}.jpg"}
            response = await self.budget.call(self.client, "GET", "/api/v1/jobs/get-object-url", params=params)
            if self.expect_status(response, 200, "jobs/get-object-url"):
                owner = unquote(urlsplit(response.json()["url"]).path.split("/")[1])
                self.expect(owner == self.user_id, f"a link into another user's files: {owner}")
        elif operation == "delete":
            response = await self.budget.call(self.client, "DELETE", "/api/v1/jobs/delete", params={"job-id": job_id})
            if self.expect_status(response, 200, "jobs/delete"):
                del self.status[job_id]
                self.deleted.add(job_id)
        elif self.deleted:
            gone = self.chooser.choice(sorted(self.deleted))
            response = await self.budget.call(self.client, "GET", "/api/v1/jobs/get", params={"job-id": gone})
            self.expect_status(response, 404, "jobs/get of a deleted job")

    def _observed(self, job_id: int, status: str) -> None:
        before = self.status.get(job_id, "")
        if before:
            failed_changed = (before == _FAILED) != (status == _FAILED)
            self.expect(not failed_changed and _rank(status) >= _rank(before), f"job {job_id}: {before} -> {status}")
        self.status[job_id] = status


# Running it


Factory = Callable[[Budget, list[httpx.AsyncClient], random.Random, Announcement], list[Worker]]


def _slurper_workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    return [SlurperWorker(budget, client, _child(chooser), index) for index, client in enumerate(clients)]


def _connect_workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    shared = ConnectShared(guids=[tenant.id for tenant in announcement.tenants])
    return [ConnectWorker(budget, client, _child(chooser), shared) for client in clients]


def _rekosearch_workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    return [RekoSearchWorker(budget, client, _child(chooser)) for client in clients]


def _child(chooser: random.Random) -> random.Random:
    # Seeded from the run's seed, so that a run can be repeated; nothing here is a secret.
    return random.Random(chooser.random())  # noqa: S311


WORKERS: dict[str, Factory] = {
    "slurper": _slurper_workers,
    "connect": _connect_workers,
    "rekosearch": _rekosearch_workers,
}


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
        api: slurper, connect or rekosearch.
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
    workers = WORKERS[api](budget, sessions, random.Random(seed), announcement)  # noqa: S311
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
