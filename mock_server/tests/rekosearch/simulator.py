"""RekoSearch's simulator as the cross-API tests see it (`mock_server.tests.apis`)."""

from typing import Any

from starlette.applications import Starlette

from mock_server.rekosearch import PROFILE, RekoSearchSettings, create_app
from mock_server.rekosearch.settings import DEFAULT_TOKEN
from mock_server.tests.apis import Call, Simulator


def probe(app: Starlette) -> str:
    return "/api/v1/jobs/get?job-id=2"


def calls(app: Starlette) -> dict[str, Call]:
    return {
        "jobs-get": Call("GET", "/api/v1/jobs/get?job-id=1"),
        "jobs-list": Call("GET", "/api/v1/jobs/list"),
        "jobs-get-object-url": Call("GET", "/api/v1/jobs/get-object-url?job-id=2&object-uuid=x.jpg"),
        "jobs-delete": Call("DELETE", "/api/v1/jobs/delete?job-id=3"),
    }


def summary(listed: Any) -> list[Any]:
    """The user's jobs (only a delete changes which there are)."""
    return sorted(job["job_id"] for job in listed["jobs"])


SIMULATOR = Simulator(
    profile=PROFILE,
    build=lambda faults: create_app(RekoSearchSettings(strict=True, faults=faults)),
    authorization=lambda credential: {"Authorization": credential},
    credential=DEFAULT_TOKEN,
    probe=probe,
    calls=calls,
    listing="jobs-list",
    summary=summary,
)
