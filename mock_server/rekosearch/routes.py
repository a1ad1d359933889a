"""What each RekoSearch operation does, by operationId: read the validated request, drive the state machine, and
give back the HTTP status and the body.
"""

from collections.abc import Callable
from typing import Any

from mock_server.openapi import ParsedRequest
from mock_server.rekosearch.jobs import RekoSearchJobs, User

Route = Callable[[RekoSearchJobs, User, ParsedRequest], tuple[int, Any]]


def get_job(jobs: RekoSearchJobs, user: User, request: ParsedRequest) -> tuple[int, Any]:
    """GET /api/v1/jobs/get."""
    return 200, jobs.get_job(user, _job_id(request))


def list_jobs(jobs: RekoSearchJobs, user: User, request: ParsedRequest) -> tuple[int, Any]:
    """GET /api/v1/jobs/list."""
    return 200, {"jobs": jobs.list_jobs(user)}


def get_object_url(jobs: RekoSearchJobs, user: User, request: ParsedRequest) -> tuple[int, Any]:
    """GET /api/v1/jobs/get-object-url."""
    return 200, {"url": jobs.object_url(user, _job_id(request), str(request.query["object-uuid"]))}


def delete_job(jobs: RekoSearchJobs, user: User, request: ParsedRequest) -> tuple[int, Any]:
    """DELETE /api/v1/jobs/delete."""
    jobs.delete_job(user, _job_id(request))
    return 200, {"message": "Ok"}


ROUTES: dict[str, Route] = {
    "jobs-get": get_job,
    "jobs-list": list_jobs,
    "jobs-get-object-url": get_object_url,
    "jobs-delete": delete_job,
}


def _job_id(request: ParsedRequest) -> int:
    return int(request.query["job-id"])
