"""Shared fixtures: a strict app in-process of the simulator a folder's tests are about (`simulator`: the slurper's
here; each API's folder of tests overrides it, its `settings` and its state fixtures), with an authenticated and an
anonymous async client for it; and the slurper's own helpers."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.settings import SimulatorSettings
from mock_server.slurper import SlurperSettings
from mock_server.slurper.auth import DEFAULT_EMAIL, DEFAULT_KEY, DEFAULT_TOKEN
from mock_server.slurper.jobs import SuperSlurper
from mock_server.tests.apis import Simulator, json_error
from mock_server.tests.clocks import ManualClock, SteppingClock
from mock_server.tests.slurper.simulator import SIMULATOR

TOKEN_HEADERS = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
EMAIL_KEY_HEADERS = {"X-Auth-Email": DEFAULT_EMAIL, "X-Auth-Key": DEFAULT_KEY}


def s3_job_request(bucket: str = "media-archive", **source: Any) -> dict[str, Any]:
    """A valid create-job body copying from S3 into R2.

    Args:
        bucket: The source bucket.
        **source: Extra or replaced source fields.

    Returns:
        The body.
    """
    return {
        "overwrite": True,
        "source": {
            "vendor": "s3",
            "bucket": bucket,
            "secret": {"accessKeyId": "AKIAMOCKSOURCE", "secretAccessKey": "mock-source-secret"},
            **source,
        },
        "target": {
            "vendor": "r2",
            "bucket": "target-bucket",
            "secret": {"accessKeyId": "mock-r2-key-id", "secretAccessKey": "mock-r2-secret"},
        },
    }


def assert_failure(response: httpx.Response, status: int, code: int) -> str:
    """Check a response is the failure envelope with one error, of Cloudflare code `code`; give its message."""
    body = json_error(response, status)
    assert body["success"] is False
    assert body["messages"] == []
    assert body["result"] is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["code"] == code
    message: str = body["errors"][0]["message"]
    return message


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def simulator() -> Simulator:
    return SIMULATOR


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves, for the settings of the simulators that take one (not the slurper's: see `settings`)."""
    return ManualClock()


@pytest.fixture
def settings() -> SlurperSettings:
    return SlurperSettings(strict=True, demo_jobs=False, clock=SteppingClock())


@pytest.fixture
def app(simulator: Simulator, settings: SimulatorSettings) -> Starlette:
    return simulator.profile.create_app(settings)


@pytest.fixture
def jobs(app: Starlette) -> Any:
    """The app's jobs, where its simulator keeps them as `app.state.jobs` (the test's annotation says whose)."""
    return app.state.jobs


@pytest.fixture
def slurper(app: Starlette) -> SuperSlurper:
    state: SuperSlurper = app.state.slurper
    return state


@pytest.fixture
async def client(app: Starlette, simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with simulator.client(app) as client:
        yield client


@pytest.fixture
async def anonymous_client(app: Starlette, simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with simulator.client(app, headers={}) as client:
        yield client
