"""The slurper's simulator as the cross-API tests see it (`mock_server.tests.apis`)."""

from typing import Any

from starlette.applications import Starlette

from mock_server.slurper import PROFILE, SlurperSettings, create_app
from mock_server.slurper.app import MAX_BODY_BYTES
from mock_server.slurper.auth import DEFAULT_TOKEN
from mock_server.slurper.seed import DEMO_ACCOUNT_ID
from mock_server.tests.apis import Call, Simulator


def probe(app: Starlette) -> str:
    job_id = app.state.demo_jobs[DEMO_ACCOUNT_ID][0]
    return f"/client/v4/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs/{job_id}"


def calls(app: Starlette) -> dict[str, Call]:
    account = f"/client/v4/accounts/{DEMO_ACCOUNT_ID}/slurper"
    completed, running = app.state.demo_jobs[DEMO_ACCOUNT_ID]
    body = {
        "source": {"vendor": "s3", "bucket": "b", "secret": {"accessKeyId": "k", "secretAccessKey": "s"}},
        "target": {"vendor": "r2", "bucket": "t", "secret": {"accessKeyId": "k", "secretAccessKey": "s"}},
    }
    # In an order in which each succeeds: abortAll last, as it leaves nothing to pause, resume or abort.
    return {
        "slurper-list-jobs": Call("GET", f"{account}/jobs"),
        "slurper-create-job": Call("POST", f"{account}/jobs", body),
        "slurper-get-job": Call("GET", f"{account}/jobs/{running}"),
        "slurper-get-job-logs": Call("GET", f"{account}/jobs/{running}/logs"),
        "slurper-get-job-progress": Call("GET", f"{account}/jobs/{running}/progress"),
        "slurper-pause-job": Call("PUT", f"{account}/jobs/{running}/pause"),
        "slurper-resume-job": Call("PUT", f"{account}/jobs/{running}/resume"),
        "slurper-abort-job": Call("PUT", f"{account}/jobs/{running}/abort"),
        "slurper-delete-job": Call("DELETE", f"{account}/jobs/{completed}"),
        "slurper-check-source-connectivity": Call("PUT", f"{account}/source/connectivity-precheck", body["source"]),
        "slurper-check-target-connectivity": Call("PUT", f"{account}/target/connectivity-precheck", body["target"]),
        "slurper-abort-all-jobs": Call("PUT", f"{account}/jobs/abortAll"),
    }


def summary(listed: Any) -> list[Any]:
    """Each job, and whether it was paused or aborted (a running job completes by itself)."""
    return sorted((job["id"], job["status"] in ("paused", "aborted") and job["status"]) for job in listed["result"])


SIMULATOR = Simulator(
    profile=PROFILE,
    build=lambda faults: create_app(SlurperSettings(strict=True, faults=faults)),
    authorization=lambda credential: {"Authorization": f"Bearer {credential}"},
    credential=DEFAULT_TOKEN,
    probe=probe,
    calls=calls,
    listing="slurper-list-jobs",
    summary=summary,
    body_limit=MAX_BODY_BYTES,
)
