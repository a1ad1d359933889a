"""Connect's part of the bench (`ApiBench`): what the client table times, the lifecycle load's workers, and the GET
the throughput comparison measures.

The lifecycle load: the workers share the demo content, the announced tenants (the simulator starts jobs by itself,
fast: see `SIMULATOR_OPTIONS`); a job is listed once, never disappears, never goes back in status, is killed at most
once, and its log only grows, in order, with no entry twice; a finalized job's tail and download hold exactly its log.
"""

import copy
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.apis import ApiBench, Get, case
from bench.bodies import response_example, seconds
from bench.cases import Api, Case
from bench.workers import Budget, Worker, child
from generated_client import connect
from generated_client.connect.api.jobs import get_jobs
from mock_server.announcement import Announcement

# The document's parameter example.
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
# The simulator's jobs, sped up so that jobs start, exit and are finalized many times in a run.
SIMULATOR_OPTIONS = ("--line-interval", "0.05", "--job-lines", "20", "--finalize-delay", "0.5")
_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


# The client table


def _distinct_key(index: int) -> str:
    digest = hashlib.sha256(f"connect job {index}".encode()).digest()
    return "".join(_KEY_ALPHABET[byte % len(_KEY_ALPHABET)] for byte in digest[:16])


def jobs_body(count: int) -> list[dict[str, Any]]:
    """A GetJobs body of `count` jobs: the document's running and finalized Shiny app processes and its scheduled
    report rendered off-host, in turn, each with its own id, key, process ids and times (nulls stay null)."""
    listed: list[dict[str, Any]] = response_example("connect", "GetJobs", "activeAndFinalized")
    templates = [*listed, response_example("connect", "GetJob", "scheduledOffHost")]
    newest = datetime(2025, 1, 14, 9, 2, 11, tzinfo=UTC)
    jobs = []
    for index in range(count):
        job = copy.deepcopy(templates[index % len(templates)])
        started = newest - timedelta(hours=19 * index, seconds=7 * index)
        job["id"] = str(40793914 - 977 * index)
        job["key"] = _distinct_key(index)
        job["pid"] = str(2611047 - 31 * index)
        if job["ppid"] is not None:
            job["ppid"] = str(2611032 - 31 * index)
        job["start_time"] = seconds(started)
        job["last_heartbeat_time"] = seconds(started + timedelta(minutes=38, seconds=55))
        if job["end_time"] is not None:
            job["end_time"] = seconds(started + timedelta(minutes=39))
        if job["queued_time"] is not None:
            job["queued_time"] = seconds(started - timedelta(seconds=4))
        jobs.append(job)
    return jobs


CONNECT = Api("connect", connect.AuthenticatedClient, prefix="Key")
CASES: tuple[Case[Any], ...] = (
    case(
        CONNECT,
        lambda client: get_jobs.sync(GUID, client=client),
        "list",
        "list 50 jobs",
        Get("GetJobs", f"/v1/content/{GUID}/jobs"),
        body=lambda: jobs_body(50),
        parsed=list,
    ),
)


# The lifecycle load


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


def workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    """A worker per client, all on the announced content."""
    shared = ConnectShared(guids=[tenant.id for tenant in announcement.tenants])
    return [ConnectWorker(budget, client, child(chooser), shared) for client in clients]


def one_job(announcement: Announcement) -> str:
    """A GET of the first demo content's first job (finalized)."""
    tenant = announcement.tenants[0]
    return f"/v1/content/{tenant.id}/jobs/{tenant.jobs[0]}"


BENCH = ApiBench("connect", cases=CASES, workers=workers, one_job=one_job, simulator_options=SIMULATOR_OPTIONS)
