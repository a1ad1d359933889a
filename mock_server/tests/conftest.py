"""Shared fixtures: a strict slurper app in-process with a fake clock, and an authenticated async client for it."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.slurper import SlurperSettings, create_app
from mock_server.slurper.auth import DEFAULT_EMAIL, DEFAULT_KEY, DEFAULT_TOKEN
from mock_server.slurper.jobs import SuperSlurper

BASE_URL = "http://testserver/client/v4"
TOKEN_HEADERS = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
EMAIL_KEY_HEADERS = {"X-Auth-Email": DEFAULT_EMAIL, "X-Auth-Key": DEFAULT_KEY}
CLOCK_START = datetime(2026, 11, 20, 9, 15, 2, 118000, tzinfo=UTC)


class FakeClock:
    """A clock that moves 250 ms forward every time it is read, so every timestamp is known in advance."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(milliseconds=250)
        return now


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
    """Check a response is the failure envelope with one error.

    Args:
        response: The response.
        status: The expected HTTP status.
        code: The expected Cloudflare error code.

    Returns:
        The error message.
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
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
def settings() -> SlurperSettings:
    return SlurperSettings(strict=True, demo_jobs=False, clock=FakeClock())


@pytest.fixture
def app(settings: SlurperSettings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def slurper(app: Starlette) -> SuperSlurper:
    state: SuperSlurper = app.state.slurper
    return state


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=TOKEN_HEADERS) as client:
        yield client


@pytest.fixture
async def anonymous_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client
