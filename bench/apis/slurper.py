"""The slurper's part of the bench (`ApiBench`): what the client table times, the lifecycle load's workers, and the
GET the throughput comparison measures.

The lifecycle load: every worker has an account of its own, so it knows the exact state of each of its jobs (a job
moves on only when it is observed, and every observation reports the state it left the job in). Every answer must be
the one that state calls for (a pause of a paused job is 409, a create past the cap 409, a deleted job 404, ...); a
listing holds each live job exactly once, with the status the worker expects; progress counters never go back and
add up (`transferred + failed + skipped <= objects`, equal once completed); at the end, each job's log is a path the
state machine allows with one entry per successful transition, one per skipped or failed object, and no object twice.
"""

import copy
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.apis import ApiBench, Get, case
from bench.bodies import distinct_id, millis, response_example, schema_enum
from bench.cases import Api, Case
from bench.workers import Budget, Worker, child
from generated_client import slurper
from generated_client.slurper.api.r2_super_slurper import slurper_get_job, slurper_get_job_logs, slurper_list_jobs
from generated_client.slurper.models import JobListResponse, JobLogListResponse, JobResponse
from mock_server.announcement import Announcement

# The document's parameter examples.
ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
JOB_ID = "5b7e9c40-1d2a-4e6f-8a3b-9c0d1e2f3a4b"
# The simulator's cap of running and paused jobs per account, and how many jobs a load worker keeps.
MAX_ACTIVE = 3
JOBS_KEPT = 6
LIFECYCLE = {"pause": "migrationPause", "resume": "migrationResume", "abort": "migrationAbort"}


# The client table


def job_body() -> dict[str, Any]:
    """slurper-get-job's example: one paused job copying between two R2 buckets."""
    body: dict[str, Any] = response_example("slurper", "slurper-get-job", "r2Source")
    return body


def jobs_body(count: int) -> dict[str, Any]:
    """A slurper-list-jobs body of `count` jobs, newest first.

    Sources take turns between the document's S3, GCS and R2 jobs; statuses cycle through every `JobStatus` on
    another period, so every vendor meets every status; final jobs have a `finishedAt`, active ones null.
    """
    body: dict[str, Any] = response_example("slurper", "slurper-list-jobs", "jobs")
    templates = [*body["result"], job_body()["result"]]
    statuses = schema_enum("slurper", "JobStatus")
    newest = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    jobs = []
    for index in range(count):
        job = copy.deepcopy(templates[index % len(templates)])
        created = newest - timedelta(minutes=37 * index, milliseconds=211 * index)
        status = statuses[index % len(statuses)]
        job["id"] = distinct_id("slurper job", index)
        job["createdAt"] = millis(created)
        job["status"] = status
        job["finishedAt"] = millis(created + timedelta(minutes=83)) if status in ("aborted", "completed") else None
        job["overwrite"] = index % 3 != 0
        job["source"]["bucket"] = f"{job['source']['bucket']}-{index % 17}"
        job["target"]["bucket"] = f"{job['target']['bucket']}-{index % 17}"
        jobs.append(job)
    body["result"] = jobs
    return body


def logs_body(count: int) -> dict[str, Any]:
    """A slurper-get-job-logs body of `count` entries: the document's `migrationStart`, then one entry per object,
    each of another object-level `LogType` in turn (the document's example message where it is that example's type).
    """
    body: dict[str, Any] = response_example("slurper", "slurper-get-job-logs", "logs")
    started, skipped = body["result"]
    object_types = [log_type for log_type in schema_enum("slurper", "LogType") if log_type.startswith("import")]
    start = datetime.fromisoformat(started["createdAt"])
    entries = [started]
    for index in range(1, count):
        entry = copy.deepcopy(skipped)
        log_type = object_types[index % len(object_types)]
        entry["createdAt"] = millis(start + timedelta(seconds=1.7 * index))
        entry["logType"] = log_type
        entry["objectKey"] = f"photos/2026/01/raw-{index:04d}.cr3"
        if log_type != skipped["logType"]:
            entry["message"] = f"{log_type}: {entry['objectKey']}"
        entries.append(entry)
    body["result"] = entries
    return body


SLURPER = Api("slurper", slurper.AuthenticatedClient, prefix="Bearer")
_JOBS = f"/accounts/{ACCOUNT_ID}/slurper/jobs"
CASES: tuple[Case[Any], ...] = (
    case(
        SLURPER,
        lambda client: slurper_get_job.sync(ACCOUNT_ID, JOB_ID, client=client),
        "get",
        "get a job",
        Get("slurper-get-job", f"{_JOBS}/{JOB_ID}"),
        body=job_body,
        parsed=JobResponse,
        target=1.5,
    ),
    case(
        SLURPER,
        lambda client: slurper_list_jobs.sync(ACCOUNT_ID, client=client, limit=50, offset=0),
        "list",
        "list 50 jobs",
        Get("slurper-list-jobs", _JOBS, {"limit": 50, "offset": 0}),
        body=lambda: jobs_body(50),
        parsed=JobListResponse,
    ),
    case(
        SLURPER,
        lambda client: slurper_get_job_logs.sync(ACCOUNT_ID, JOB_ID, client=client, limit=50, offset=0),
        "logs",
        "50 log entries",
        Get("slurper-get-job-logs", f"{_JOBS}/{JOB_ID}/logs", {"limit": 50, "offset": 0}),
        body=lambda: logs_body(50),
        parsed=JobLogListResponse,
    ),
    # The document caps `limit` at 50, so this request sends none (the page size is then the server's choice); the
    # body is a 1,000-job page all the same, which the response schema allows.
    case(
        SLURPER,
        lambda client: slurper_list_jobs.sync(ACCOUNT_ID, client=client),
        "page",
        "a 1,000-job page",
        Get("slurper-list-jobs", _JOBS),
        body=lambda: jobs_body(1000),
        parsed=JobListResponse,
        target=3.0,
    ),
)


# The lifecycle load


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
class _Job:
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
        self.jobs: dict[str, _Job] = {}
        self.deleted: list[str] = []

    async def step(self) -> None:
        operation = self.chooser.choices(self.OPERATIONS, self.WEIGHTS)[0]
        final = sorted(job_id for job_id, job in self.jobs.items() if job.status in ("aborted", "completed"))
        if len(self.jobs) >= JOBS_KEPT and final:
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
        expected = 201 if active < MAX_ACTIVE else 409
        if self.expect_status(response, expected, f"create with {active} active jobs") and expected == 201:
            job_id = response.json()["result"]["id"]
            self.expect(job_id not in self.jobs and job_id not in self.deleted, f"job id {job_id} handed out twice")
            self.jobs[job_id] = _Job()

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


def workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    """A worker per client, each on an account of its own."""
    return [SlurperWorker(budget, client, child(chooser), index) for index, client in enumerate(clients)]


def one_job(announcement: Announcement) -> str:
    """A GET of the first demo account's first job (completed)."""
    tenant = announcement.tenants[0]
    return f"/accounts/{tenant.id}/slurper/jobs/{tenant.jobs[0]}"


BENCH = ApiBench("slurper", cases=CASES, workers=workers, one_job=one_job)
