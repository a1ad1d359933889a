"""The slurper's part of the cross-API runtime tests (`contract_tests.client.runtime.calls`): its client, a read of
one job and the POST that creates one, its error body, and what the tests hold its answers to."""

from typing import Any

from contract_tests.client.runtime.calls import ApiCalls, ApiClient, Call, ErrorExample, LeftOut
from contract_tests.documents import request_example, response_example
from generated_client import slurper
from generated_client.slurper.api.r2_super_slurper import slurper_create_job, slurper_get_job
from generated_client.slurper.models import CreateJobRequest
from mock_server.announcement import Announcement

URL = "https://api.cloudflare.com/client/v4"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
JOB = "2f1c0b1e-7d5a-4c1e-9a43-0c8f6a1e52b7"


def error_body(status: int) -> dict[str, Any]:
    """Cloudflare's failure envelope with one error."""
    return {
        "success": False,
        "errors": [{"code": 10000 + status, "message": f"failure {status}"}],
        "messages": [],
        "result": None,
    }


def read_demo_job(announcement: Announcement, client: Any) -> object:
    """Get the simulator's first demo job."""
    tenant = announcement.tenants[0]
    return slurper_get_job.sync(tenant.id, str(tenant.jobs[0]), client=client)


CLIENT = ApiClient(
    "slurper",
    slurper,
    URL,
    credential="cf-token-0123456789abcdef0123456789abcdef",
    prefix="Bearer",
    error_body=error_body,
)
READ = Call(
    CLIENT,
    slurper_get_job,
    "GET",
    f"{URL}/accounts/{ACCOUNT}/slurper/jobs/{JOB}",
    (ACCOUNT, JOB),
    success=response_example("slurper", "slurper-get-job", "200"),
)
CREATE_JOB = Call(
    CLIENT,
    slurper_create_job,
    "POST",
    f"{URL}/accounts/{ACCOUNT}/slurper/jobs",
    (ACCOUNT,),
    {"body": CreateJobRequest.from_dict(request_example("slurper", "slurper-create-job"))},
    success_status=201,
    success=response_example("slurper", "slurper-create-job", "201"),
)
CALLS = ApiCalls(
    client=CLIENT,
    read=READ,
    creates=(CREATE_JOB,),
    error_example=ErrorExample(
        409,
        error_body(409),
        details=lambda details: [(item.code, item.message) for item in details.errors],
        expected=[(10409, "failure 409")],
        message="409 Conflict: [10409] failure 409",
    ),
    assumed=LeftOut("slurper-get-job", ("result",), "createdAt", ("result", "created_at")),
    guaranteed=LeftOut("slurper-get-job", (), "success", ("success",)),
    unset_able=frozenset({("JobProgress", "created_at"), ("Job", "status")}),
    # A union's tag and a request's assumed requiredness: required all the same.
    kept_required=frozenset({("JobS3Source", "vendor"), ("CreateJobRequest", "source")}),
    read_demo_job=read_demo_job,
    lasting_faults=(
        ("503", "ServerError"),
        ("520", "ServerError"),
        ("429", "RateLimitError"),
        ("drop", "APIConnectionError"),
        ("stall", "APITimeoutError"),
    ),
)
