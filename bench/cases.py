"""The operations the client benchmarks call: each through its generated function and as a raw httpx request.

A case names the request raw httpx sends (the floor) and the generated call that must send the same one; the bench
checks that both do, against the document, before it times anything (`bench.clients`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from bench import bodies
from generated_client import connect, rekosearch, slurper
from generated_client.connect.api.jobs import get_jobs
from generated_client.rekosearch.api.jobs import jobs_get
from generated_client.rekosearch.models import JobDetails
from generated_client.slurper.api.r2_super_slurper import slurper_get_job, slurper_get_job_logs, slurper_list_jobs
from generated_client.slurper.models import JobListResponse, JobLogListResponse, JobResponse

# A fake credential: the in-process transport answers whatever is sent.
TOKEN = "bench-token"  # noqa: S105
# The documents' parameter examples.
SLURPER_ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
SLURPER_JOB_ID = "5b7e9c40-1d2a-4e6f-8a3b-9c0d1e2f3a4b"
CONNECT_GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
REKOSEARCH_JOB_ID = 7

ClientT = TypeVar("ClientT")


@dataclass(frozen=True)
class Api(Generic[ClientT]):
    """How the bench talks to one API.

    Attributes:
        name: The document, `openapi/<name>.yaml`.
        authenticated_client: The generated package's `AuthenticatedClient`.
        prefix: What goes before the token in the `Authorization` header ("" for a bare token).
    """

    name: str
    authenticated_client: Callable[..., ClientT]
    prefix: str

    def client(self, transport: httpx.BaseTransport) -> ClientT:
        """The generated client, through the public constructor, on `transport`."""
        return self.authenticated_client(
            base_url=bodies.server_url(self.name), token=TOKEN, prefix=self.prefix, httpx_args={"transport": transport}
        )

    def headers(self) -> dict[str, str]:
        """The credential header the generated client sends, for the floor to send too."""
        return {"Authorization": f"{self.prefix} {TOKEN}" if self.prefix else TOKEN}


SLURPER = Api("slurper", slurper.AuthenticatedClient, prefix="Bearer")
CONNECT = Api("connect", connect.AuthenticatedClient, prefix="Key")
REKOSEARCH = Api("rekosearch", rekosearch.AuthenticatedClient, prefix="")


@dataclass(frozen=True)
class Case(Generic[ClientT]):
    """One operation, benchmarked through the generated client and through raw httpx + json.

    Attributes:
        key: A short name for the command line (`python -m bench --profile KEY`).
        name: What the table's row says.
        api: The API; its document holds the operation and its response.
        operation_id: The operation both requests must be for.
        path: The GET request's path, relative to the document's server URL.
        params: Its query parameters.
        body: Builds the 200 response's JSON body; it is encoded once and served for every call.
        call: The generated function, called with the generated client.
        parsed: What the call must return; anything else would mean the bench timed a failure.
        target: The largest client/floor ratio the issue accepts, where it sets one.
    """

    key: str
    name: str
    api: Api[ClientT]
    operation_id: str
    path: str
    params: Mapping[str, str | int]
    body: Callable[[], Any]
    call: Callable[[ClientT], object]
    parsed: type
    target: float | None = None


_SLURPER_JOBS = f"/accounts/{SLURPER_ACCOUNT_ID}/slurper/jobs"

CASES: tuple[Case[Any], ...] = (
    Case(
        key="slurper-get",
        name="slurper: get a job",
        api=SLURPER,
        operation_id="slurper-get-job",
        path=f"{_SLURPER_JOBS}/{SLURPER_JOB_ID}",
        params={},
        body=bodies.slurper_job,
        call=lambda client: slurper_get_job.sync(SLURPER_ACCOUNT_ID, SLURPER_JOB_ID, client=client),
        parsed=JobResponse,
        target=1.5,
    ),
    Case(
        key="slurper-list",
        name="slurper: list 50 jobs",
        api=SLURPER,
        operation_id="slurper-list-jobs",
        path=_SLURPER_JOBS,
        params={"limit": 50, "offset": 0},
        body=lambda: bodies.slurper_jobs(50),
        call=lambda client: slurper_list_jobs.sync(SLURPER_ACCOUNT_ID, client=client, limit=50, offset=0),
        parsed=JobListResponse,
    ),
    Case(
        key="slurper-logs",
        name="slurper: 50 log entries",
        api=SLURPER,
        operation_id="slurper-get-job-logs",
        path=f"{_SLURPER_JOBS}/{SLURPER_JOB_ID}/logs",
        params={"limit": 50, "offset": 0},
        body=lambda: bodies.slurper_logs(50),
        call=lambda client: slurper_get_job_logs.sync(
            SLURPER_ACCOUNT_ID, SLURPER_JOB_ID, client=client, limit=50, offset=0
        ),
        parsed=JobLogListResponse,
    ),
    # The document caps `limit` at 50, so this request sends none (the page size is then the server's choice); the
    # body is a 1,000-job page all the same, which the response schema allows.
    Case(
        key="slurper-page",
        name="slurper: a 1,000-job page",
        api=SLURPER,
        operation_id="slurper-list-jobs",
        path=_SLURPER_JOBS,
        params={},
        body=lambda: bodies.slurper_jobs(1000),
        call=lambda client: slurper_list_jobs.sync(SLURPER_ACCOUNT_ID, client=client),
        parsed=JobListResponse,
        target=3.0,
    ),
    Case(
        key="connect-list",
        name="connect: list 50 jobs",
        api=CONNECT,
        operation_id="GetJobs",
        path=f"/v1/content/{CONNECT_GUID}/jobs",
        params={},
        body=lambda: bodies.connect_jobs(50),
        call=lambda client: get_jobs.sync(CONNECT_GUID, client=client),
        parsed=list,
    ),
    Case(
        key="rekosearch-get",
        name="rekosearch: get a job",
        api=REKOSEARCH,
        operation_id="jobs-get",
        path="/api/v1/jobs/get",
        params={"job-id": REKOSEARCH_JOB_ID},
        body=bodies.rekosearch_job,
        call=lambda client: jobs_get.sync(client=client, job_id=REKOSEARCH_JOB_ID),
        parsed=JobDetails,
    ),
)
