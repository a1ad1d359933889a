"""What each slurper operation does, by operationId: read the validated request, drive the state machine, and give
back the HTTP status and the `result` of the success envelope.
"""

from collections.abc import Callable
from typing import Any

from mock_server.openapi import ParsedRequest
from mock_server.slurper.connectivity import check_connectivity
from mock_server.slurper.jobs import DEFAULT_PAGE_LIMIT, SuperSlurper

Route = Callable[[SuperSlurper, ParsedRequest], tuple[int, Any]]


def list_jobs(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """GET /accounts/{account_id}/slurper/jobs."""
    return 200, slurper.list_jobs(_account(request), **_page(request))


def create_job(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """POST /accounts/{account_id}/slurper/jobs."""
    return 201, {"id": slurper.create_job(_account(request), request.body)}


def abort_all_jobs(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """PUT /accounts/{account_id}/slurper/jobs/abortAll."""
    slurper.abort_all_jobs(_account(request))
    return 200, "All jobs aborted"


def get_job(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """GET /accounts/{account_id}/slurper/jobs/{job_id}."""
    return 200, slurper.get_job(_account(request), _job(request))


def delete_job(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """DELETE /accounts/{account_id}/slurper/jobs/{job_id}."""
    slurper.delete_job(_account(request), _job(request))
    return 200, "Job deleted"


def get_job_logs(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """GET /accounts/{account_id}/slurper/jobs/{job_id}/logs."""
    return 200, slurper.list_job_logs(_account(request), _job(request), **_page(request))


def get_job_progress(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """GET /accounts/{account_id}/slurper/jobs/{job_id}/progress."""
    return 200, slurper.get_job_progress(_account(request), _job(request))


def move_job(operation: str, done: str) -> Route:
    """PUT /accounts/{account_id}/slurper/jobs/{job_id}/<operation>: pause, resume or abort.

    Args:
        operation: The operation, a move of `mock_server.slurper.jobs.MOVES`.
        done: The `result` of its success.
    """

    def route(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
        slurper.move_job(_account(request), _job(request), operation)
        return 200, done

    return route


def check_bucket_connectivity(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
    """PUT /accounts/{account_id}/slurper/source/connectivity-precheck and .../target/connectivity-precheck."""
    return 200, {"connectivityStatus": check_connectivity(request.body).value}


ROUTES: dict[str, Route] = {
    "slurper-list-jobs": list_jobs,
    "slurper-create-job": create_job,
    "slurper-abort-all-jobs": abort_all_jobs,
    "slurper-get-job": get_job,
    "slurper-delete-job": delete_job,
    "slurper-abort-job": move_job("abort", "Job aborted"),
    "slurper-get-job-logs": get_job_logs,
    "slurper-pause-job": move_job("pause", "Job paused"),
    "slurper-get-job-progress": get_job_progress,
    "slurper-resume-job": move_job("resume", "Job resumed"),
    "slurper-check-source-connectivity": check_bucket_connectivity,
    "slurper-check-target-connectivity": check_bucket_connectivity,
}


def _account(request: ParsedRequest) -> str:
    return str(request.path_params["account_id"])


def _job(request: ParsedRequest) -> str:
    return str(request.path_params["job_id"])


def _page(request: ParsedRequest) -> dict[str, int]:
    # The document gives `limit` no default; 20 is what Cloudflare's paged lists use.
    return {"limit": request.query.get("limit", DEFAULT_PAGE_LIMIT), "offset": request.query.get("offset", 0)}
