"""Connect's part of the cross-API runtime tests (`contract_tests.client.runtime.calls`): its client, a read of one
job and its kill, its error body, and what the tests hold its answers to."""

from typing import Any

from contract_tests.client.runtime.calls import ApiCalls, ApiClient, Call, ErrorExample, LeftOut
from contract_tests.documents import response_example
from generated_client import connect
from generated_client.connect.api.jobs import get_job, kill_job
from mock_server.announcement import Announcement

URL = "https://connect.example.com/__api__"
GUID = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
KEY = "QBZ5jkKfmf9iT9k8"
JOB_URL = f"{URL}/v1/content/{GUID}/jobs/{KEY}"


def error_body(status: int) -> dict[str, Any]:
    """Connect's error body."""
    return {"code": status, "error": f"failure {status}", "payload": None}


def read_demo_job(announcement: Announcement, client: Any) -> object:
    """Get the simulator's first demo content's first job."""
    tenant = announcement.tenants[0]
    return get_job.sync(tenant.id, str(tenant.jobs[0]), client=client)


CLIENT = ApiClient(
    "connect", connect, URL, credential="kWx3RZbQ9vB7sT2mLp4nYc8dHf6gJa1e", prefix="Key", error_body=error_body
)
CALLS = ApiCalls(
    client=CLIENT,
    read=Call(CLIENT, get_job, "GET", JOB_URL, (GUID, KEY), success=response_example("connect", "GetJob", "200")),
    writes=(
        Call(CLIENT, kill_job, "DELETE", JOB_URL, (GUID, KEY), success=response_example("connect", "KillJob", "200")),
    ),
    error_example=ErrorExample(
        409,
        {"code": 163, "error": "not active", "payload": None},
        details=lambda details: (details.code, details.error),
        expected=(163, "not active"),
        message="409 Conflict: Connect error 163: not active",
    ),
    assumed=LeftOut("GetJob", (), "queue_name", ("queue_name",)),
    unset_able=frozenset({("JobItem", "queue_name")}),
    read_demo_job=read_demo_job,
    lasting_faults=(("503", "ServerError"),),
)
