"""RekoSearch's fixtures: a strict RekoSearch app in-process with a clock that only moves when told, and async
clients for its two demo users (the shared `client`, and `second_client`) and for nobody (`anonymous_client`)."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.rekosearch import RekoSearchSettings
from mock_server.rekosearch.jobs import User
from mock_server.rekosearch.settings import SECOND_USER_TOKEN
from mock_server.tests.apis import Simulator, json_error
from mock_server.tests.clocks import ManualClock
from mock_server.tests.rekosearch.simulator import SIMULATOR


def assert_error(response: httpx.Response, status: int, message: str, parameter: str | None = None) -> None:
    """Check a response is the API's error body: `message`, and `parameter` as its affected_query_parameter (None
    when there must be none)."""
    expected: dict[str, Any] = {"message": message}
    if parameter is not None:
        expected["affected_query_parameter"] = parameter
    assert json_error(response, status) == expected


@pytest.fixture
def simulator() -> Simulator:
    return SIMULATOR


@pytest.fixture
def settings(clock: ManualClock) -> RekoSearchSettings:
    return RekoSearchSettings(strict=True, clock=clock)


@pytest.fixture
def users(app: Starlette) -> list[User]:
    demo: list[User] = app.state.demo_users
    return demo


@pytest.fixture
async def second_client(app: Starlette, simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    """The second demo user (jobs 1 to 7)."""
    async with simulator.client(app, headers=simulator.authorization(SECOND_USER_TOKEN)) as client:
        yield client
