"""RekoSearch's part of the cross-API runtime tests (`contract_tests.client.runtime.calls`): its client, a read of one
job and its deletion, its error body, and what the tests hold its answers to."""

from types import ModuleType
from typing import Any

from contract_tests.client.runtime.calls import ApiCalls, ApiClient, Call, ErrorExample, LeftOut
from contract_tests.documents import response_example
from generated_client import rekosearch
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get
from mock_server.announcement import Announcement

URL = "https://rekosearch.com"


def error_body(status: int) -> dict[str, Any]:
    """RekoSearch's error body."""
    return {"message": f"failure {status}"}


def read_demo_job(announcement: Announcement, client: Any) -> object:
    """Get the simulator's first demo user's first job."""
    return jobs_get.sync(client=client, job_id=int(announcement.tenants[0].jobs[0]))


def job_call(module: ModuleType, method: str, action: str, operation_id: str) -> Call:
    """The operation on job 7, `/api/v1/jobs/<action>?job-id=7`, and the document's example of its success."""
    return Call(
        CLIENT,
        module,
        method,
        f"{URL}/api/v1/jobs/{action}",
        kwargs={"job_id": 7},
        success=response_example("rekosearch", operation_id, "200"),
    )


CLIENT = ApiClient(
    "rekosearch",
    rekosearch,
    URL,
    credential="eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg",
    prefix="",
    error_body=error_body,
)
CALLS = ApiCalls(
    client=CLIENT,
    read=job_call(jobs_get, "GET", "get", "jobs-get"),
    writes=(job_call(jobs_delete, "DELETE", "delete", "jobs-delete"),),
    error_example=ErrorExample(
        404,
        {"message": "The job does not exist", "affected_query_parameter": "job-id: number"},
        details=lambda details: (details.message, details.affected_query_parameter),
        expected=("The job does not exist", "job-id: number"),
        message="404 Not Found: The job does not exist (job-id: number)",
    ),
    assumed=LeftOut("jobs-get", ("job_info",), "status", ("job_info", "status")),
    unset_able=frozenset({("JobSummary", "status_meaning")}),
    read_demo_job=read_demo_job,
    lasting_faults=(("429", "RateLimitError"),),
)
