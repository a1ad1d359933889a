"""RekoSearch's part of the bench (`ApiBench`): what the client table times, the lifecycle load's workers, and the GET
the throughput comparison measures.

The lifecycle load: every worker is a user of its own (`POST /_simulator/users`, which the simulator opens with
`--new-user-endpoint`); a listing holds exactly the user's live jobs, once each; a job's status never goes back; a
deleted job is gone (404) for good; every job and link belongs to the user.
"""

import random
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from bench.apis import ApiBench, Get, case
from bench.bodies import response_example
from bench.cases import Api, Case
from bench.workers import Budget, Worker, child
from generated_client import rekosearch
from generated_client.rekosearch.api.jobs import jobs_get
from generated_client.rekosearch.models import JobDetails
from mock_server.announcement import Announcement

# The document's parameter example.
JOB_ID = 7
# Each load worker is a user of its own, made with the simulator's opt-in set-up endpoint.
SIMULATOR_OPTIONS = ("--new-user-endpoint",)


# The client table


def job_body() -> dict[str, Any]:
    """jobs-get's example: a finished job of three photos with the links to its results, one photo failed."""
    body: dict[str, Any] = response_example("rekosearch", "jobs-get", "processed")
    return body


REKOSEARCH = Api("rekosearch", rekosearch.AuthenticatedClient, prefix="")
CASES: tuple[Case[Any], ...] = (
    case(
        REKOSEARCH,
        lambda client: jobs_get.sync(client=client, job_id=JOB_ID),
        "get",
        "get a job",
        Get("jobs-get", "/api/v1/jobs/get", {"job-id": JOB_ID}),
        body=job_body,
        parsed=JobDetails,
    ),
)


# The lifecycle load


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


def workers(
    budget: Budget, clients: list[httpx.AsyncClient], chooser: random.Random, announcement: Announcement
) -> list[Worker]:
    """A worker per client, each a user of its own."""
    return [RekoSearchWorker(budget, client, child(chooser)) for client in clients]


def one_job(announcement: Announcement) -> str:
    """A GET of the first demo user's first job (failed, so without result links)."""
    return f"/api/v1/jobs/get?job-id={announcement.tenants[0].jobs[0]}"


BENCH = ApiBench("rekosearch", cases=CASES, workers=workers, one_job=one_job, simulator_options=SIMULATOR_OPTIONS)
