"""Shared fixtures: a strict Connect simulator on a clock the tests move, in-process (httpx.ASGITransport, which
waits for whole responses) and on a real socket (uvicorn in a thread, for what must stream)."""

import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.connect import ConnectSettings, create_app
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.jobs import ConnectJobs, Timing
from mock_server.tests.apis import served as serve_in_thread

BASE_URL = "http://testserver/__api__"
CLOCK_START = datetime(2026, 11, 20, 9, 15, 2, 118000, tzinfo=UTC)
# A job the simulator starts writes 5 lines, one a second, and is finalized 2 s after it exits (clock seconds).
TIMING = Timing(line_interval=1.0, job_lines=5, finalize_delay=2.0)


def key_headers(role: Role) -> dict[str, str]:
    return {"Authorization": f"Key {DEFAULT_KEYS[role]}"}


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = CLOCK_START
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


def assert_error(response: httpx.Response, status: int, code: int) -> str:
    """Check a response is Connect's error body.

    Args:
        response: The response.
        status: The expected HTTP status.
        code: The expected Connect error code.

    Returns:
        The error message.
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "error", "payload"}
    assert body["code"] == code
    assert body["payload"] is None
    message: str = body["error"]
    return message


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(clock: FakeClock) -> ConnectSettings:
    return ConnectSettings(strict=True, timing=TIMING, clock=clock, tail_poll_interval=0.005)


@pytest.fixture
def app(settings: ConnectSettings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def jobs(app: Starlette) -> ConnectJobs:
    state: ConnectJobs = app.state.jobs
    return state


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=key_headers(Role.OWNER)) as client:
        yield client


@pytest.fixture
async def anonymous_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def served(app: Starlette) -> Iterator[str]:
    """The app on a real socket; yields its base URL."""
    with serve_in_thread(app) as origin:
        yield f"{origin}/__api__"
