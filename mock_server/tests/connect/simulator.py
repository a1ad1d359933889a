"""Connect's simulator as the cross-API tests see it (`mock_server.tests.apis`)."""

from typing import Any

from starlette.applications import Starlette

from mock_server.connect import PROFILE, ConnectSettings, create_app
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.seed import SHINY_APP
from mock_server.tests.apis import Call, Simulator


def probe(app: Starlette) -> str:
    key: str = app.state.demo_jobs[SHINY_APP][0]
    return f"/__api__/v1/content/{SHINY_APP}/jobs/{key}"


def calls(app: Starlette) -> dict[str, Call]:
    content = f"/__api__/v1/content/{SHINY_APP}"
    job = f"{content}/jobs/{app.state.demo_jobs[SHINY_APP][0]}"
    return {
        "GetJobs": Call("GET", f"{content}/jobs"),
        "GetJob": Call("GET", job),
        "KillJob": Call("DELETE", f"{content}/jobs/{app.state.demo_jobs[SHINY_APP][-1]}"),
        "JobDownloadLog": Call("GET", f"{job}/download"),
        "JobError": Call("GET", f"{job}/error"),
        "JobLogs": Call("GET", f"{job}/log"),
        "JobTailLog": Call("GET", f"{job}/tail"),
    }


def summary(listed: Any) -> list[Any]:
    """Each job, and whether it was killed (ended without an exit code; a running job exits by itself)."""
    return sorted((job["key"], job["end_time"] is not None and job["exit_code"] is None) for job in listed)


SIMULATOR = Simulator(
    profile=PROFILE,
    build=lambda faults: create_app(ConnectSettings(strict=True, faults=faults)),
    authorization=lambda credential: {"Authorization": f"Key {credential}"},
    credential=DEFAULT_KEYS[Role.OWNER],
    probe=probe,
    calls=calls,
    listing="GetJobs",
    summary=summary,
)
