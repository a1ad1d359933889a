"""One read and one write of each API, as the runtime tests (retries, typed errors, secrets) call them: the same
behaviour is promised by all three generated packages, so each such test runs against each of them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx

from contract_tests.documents import request_example, response_example
from generated_client import connect, rekosearch, slurper
from generated_client.connect.api.jobs import get_job as connect_get_job
from generated_client.connect.api.jobs import kill_job as connect_kill_job
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get
from generated_client.slurper.api.r2_super_slurper import slurper_create_job, slurper_get_job

SLURPER_URL = "https://api.cloudflare.com/client/v4"
CONNECT_URL = "https://connect.example.com/__api__"
REKOSEARCH_URL = "https://rekosearch.com"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
JOB = "2f1c0b1e-7d5a-4c1e-9a43-0c8f6a1e52b7"
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
KEY = "QBZ5jkKfmf9iT9k8"
CREDENTIALS = {
    "slurper": "cf-token-0123456789abcdef0123456789abcdef",
    "connect": "kWx3RZbQ9vB7sT2mLp4nYc8dHf6gJa1e",
    "rekosearch": "eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg",
}


@dataclass(frozen=True)
class Call:
    """One operation of one API: how to call it, where it goes, and a documented success body."""

    api: str
    package: ModuleType
    module: ModuleType
    method: str
    url: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    success_status: int = 200
    success: Any = None

    def __str__(self) -> str:
        return f"{self.api}-{self.method}"

    def client(self, **options: Any) -> Any:
        """The package's AuthenticatedClient, authenticated as the API wants, with `options`."""
        token = CREDENTIALS[self.api]
        if self.api == "slurper":
            return self.package.AuthenticatedClient(base_url=SLURPER_URL, token=token, **options)
        if self.api == "connect":
            return self.package.AuthenticatedClient(base_url=CONNECT_URL, token=token, prefix="Key", **options)
        return self.package.AuthenticatedClient(base_url=REKOSEARCH_URL, token=token, prefix="", **options)

    def sync(self, client: Any) -> Any:
        return self.module.sync_detailed(*self.args, client=client, **self.kwargs)

    async def asyncio(self, client: Any) -> Any:
        return await self.module.asyncio_detailed(*self.args, client=client, **self.kwargs)


READS = [
    Call(
        "slurper",
        slurper,
        slurper_get_job,
        "GET",
        f"{SLURPER_URL}/accounts/{ACCOUNT}/slurper/jobs/{JOB}",
        (ACCOUNT, JOB),
        success=response_example("slurper", "slurper-get-job", "200"),
    ),
    Call(
        "connect",
        connect,
        connect_get_job,
        "GET",
        f"{CONNECT_URL}/v1/content/{GUID}/jobs/{KEY}",
        (GUID, KEY),
        success=response_example("connect", "GetJob", "200"),
    ),
    Call(
        "rekosearch",
        rekosearch,
        jobs_get,
        "GET",
        f"{REKOSEARCH_URL}/api/v1/jobs/get",
        kwargs={"job_id": 7},
        success=response_example("rekosearch", "jobs-get", "200"),
    ),
]
# An idempotent write of each API (PUT or DELETE), and the slurper's one POST, which creates a job.
WRITES = [
    Call(
        "connect",
        connect,
        connect_kill_job,
        "DELETE",
        f"{CONNECT_URL}/v1/content/{GUID}/jobs/{KEY}",
        (GUID, KEY),
        success=response_example("connect", "KillJob", "200"),
    ),
    Call(
        "rekosearch",
        rekosearch,
        jobs_delete,
        "DELETE",
        f"{REKOSEARCH_URL}/api/v1/jobs/delete",
        kwargs={"job_id": 7},
        success=response_example("rekosearch", "jobs-delete", "200"),
    ),
]
CREATE_JOB = Call(
    "slurper",
    slurper,
    slurper_create_job,
    "POST",
    f"{SLURPER_URL}/accounts/{ACCOUNT}/slurper/jobs",
    (ACCOUNT,),
    {"body": slurper.models.CreateJobRequest.from_dict(request_example("slurper", "slurper-create-job"))},
    success_status=201,
    success=response_example("slurper", "slurper-create-job", "201"),
)
# Each API's own error body, for the statuses every operation can answer with.
ERROR_BODIES: dict[str, Callable[[int], Any]] = {
    "slurper": lambda status: {
        "success": False,
        "errors": [{"code": 10000 + status, "message": f"failure {status}"}],
        "messages": [],
        "result": None,
    },
    "connect": lambda status: {"code": status, "error": f"failure {status}", "payload": None},
    "rekosearch": lambda status: {"message": f"failure {status}"},
}


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    """A response with a JSON body (or none)."""
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)
