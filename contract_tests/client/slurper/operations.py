"""The slurper's operations as its tests call them (`contract_tests.client.operations`): every operation of
`generated_client.slurper.api.r2_super_slurper`, the request each must send, and the answers no document promises but
the real network sends: an undocumented 5xx, Cloudflare's 520, a proxy's HTML page, truncated JSON."""

from collections.abc import Callable
from functools import partial
from typing import Any

from contract_tests.client.operations import OffContract, Operation, Operations
from contract_tests.documents import request_example
from generated_client.slurper import AuthenticatedClient, models

API = "slurper"
BASE_URL = "https://api.cloudflare.com/client/v4"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
JOB = "2f1c0b1e-7d5a-4c1e-9a43-0c8f6a1e52b7"
TOKEN = "test-api-token-0123456789"
JOBS = f"/accounts/{ACCOUNT}/slurper/jobs"
JOB_PATH = f"{JOBS}/{JOB}"
# The path parameters of an operation on the job.
ON_JOB = (ACCOUNT, JOB)


def precheck(side: str, body: Callable[[dict[str, Any]], object]) -> Operation:
    """slurper-check-<side>-connectivity: a PUT of the document's example `side` (the source or the target), the
    call's body made from it by `body` (the generated model's `from_dict`)."""
    operation_id = f"slurper-check-{side}-connectivity"
    example = request_example(API, operation_id)
    return Operation(
        operation_id,
        "PUT",
        f"/accounts/{ACCOUNT}/slurper/{side}/connectivity-precheck",
        (ACCOUNT,),
        result_type=models.ConnectivityPrecheckResponse,
        kwargs={"body": body(example)},
        json=example,
    )


OPERATIONS = Operations(
    api=API,
    base_url=BASE_URL,
    operations=(
        Operation(
            "slurper-list-jobs",
            "GET",
            JOBS,
            (ACCOUNT,),
            kwargs={"limit": 20, "offset": 40},
            query={"limit": "20", "offset": "40"},
            result_type=models.JobListResponse,
        ),
        Operation(
            "slurper-create-job",
            "POST",
            JOBS,
            (ACCOUNT,),
            success=201,
            result_type=models.JobCreateResponse,
            kwargs={"body": models.CreateJobRequest.from_dict(request_example(API, "slurper-create-job", "fromS3"))},
            json=request_example(API, "slurper-create-job", "fromS3"),
        ),
        Operation(
            "slurper-abort-all-jobs", "PUT", f"{JOBS}/abortAll", (ACCOUNT,), result_type=models.JobActionResponse
        ),
        Operation("slurper-get-job", "GET", JOB_PATH, ON_JOB, result_type=models.JobResponse),
        Operation("slurper-delete-job", "DELETE", JOB_PATH, ON_JOB, result_type=models.JobActionResponse),
        Operation("slurper-abort-job", "PUT", f"{JOB_PATH}/abort", ON_JOB, result_type=models.JobActionResponse),
        Operation(
            "slurper-get-job-logs",
            "GET",
            f"{JOB_PATH}/logs",
            ON_JOB,
            kwargs={"limit": 50, "offset": 0},
            query={"limit": "50", "offset": "0"},
            result_type=models.JobLogListResponse,
        ),
        Operation("slurper-pause-job", "PUT", f"{JOB_PATH}/pause", ON_JOB, result_type=models.JobActionResponse),
        Operation(
            "slurper-get-job-progress", "GET", f"{JOB_PATH}/progress", ON_JOB, result_type=models.JobProgressResponse
        ),
        Operation("slurper-resume-job", "PUT", f"{JOB_PATH}/resume", ON_JOB, result_type=models.JobActionResponse),
        precheck("source", models.S3Source.from_dict),
        precheck("target", models.R2Target.from_dict),
    ),
    off_contract=(
        OffContract(
            "500-json",
            500,
            b'{"success":false,"errors":[{"code":10000,"message":"Internal error"}]}',
            "application/json",
        ),
        OffContract("520-cloudflare", 520, b"error code: 520", "text/plain"),
        OffContract("502-proxy-html", 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        OffContract(
            "403-html-in-documented-range", 403, b"<html><body>Access denied by proxy</body></html>", "text/html"
        ),
        OffContract(
            "200-truncated-json", 200, b'{"success": true, "errors": [], "messages": [], "resu', "application/json"
        ),
    ),
    client=partial(AuthenticatedClient, base_url=BASE_URL, token=TOKEN),
    # A 4XX example stands for these.
    statuses={"4XX": (400, 403, 404, 429)},
)
