"""Shared fixtures: a strict RekoSearch app in-process with a clock that only moves when told, and async clients for
its two demo users and for nobody."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.rekosearch import RekoSearchSettings, create_app
from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.settings import DEFAULT_TOKEN, SECOND_USER_TOKEN

BASE_URL = "http://testserver"
CLOCK_START = datetime(2026, 11, 20, 9, 15, 2, 118000, tzinfo=UTC)


class ManualClock:
    """A clock that stands still until a test moves it, so every date and link is known in advance."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def assert_error(response: httpx.Response, status: int, message: str, parameter: str | None = None) -> None:
    """Check a response is the API's error body.

    Args:
        response: The response.
        status: The expected HTTP status.
        message: The expected message.
        parameter: The expected affected_query_parameter, or None when there must be none.
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    expected: dict[str, Any] = {"message": message}
    if parameter is not None:
        expected["affected_query_parameter"] = parameter
    assert response.json() == expected


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(clock: ManualClock) -> RekoSearchSettings:
    return RekoSearchSettings(strict=True, clock=clock)


@pytest.fixture
def app(settings: RekoSearchSettings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def jobs(app: Starlette) -> RekoSearchJobs:
    state: RekoSearchJobs = app.state.jobs
    return state


@pytest.fixture
def users(app: Starlette) -> list[User]:
    demo: list[User] = app.state.demo_users
    return demo


async def _client(app: Starlette, headers: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=headers) as client:
        yield client


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The first demo user, sending the token bare."""
    async for client in _client(app, {"Authorization": DEFAULT_TOKEN}):
        yield client


@pytest.fixture
async def second_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The second demo user (jobs 1 to 7)."""
    async for client in _client(app, {"Authorization": SECOND_USER_TOKEN}):
        yield client


@pytest.fixture
async def anonymous(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(app, {}):
        yield client
