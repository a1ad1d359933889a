"""Connect's fixtures: a strict Connect simulator on a clock the tests move, in-process (the shared `client` and
`anonymous_client`, over httpx.ASGITransport, which waits for whole responses) and on a real socket (`served`, uvicorn
in a thread, for what must stream)."""

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.connect import ConnectSettings
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.jobs import Timing
from mock_server.tests.apis import Simulator, json_error
from mock_server.tests.apis import served as serve_in_thread
from mock_server.tests.clocks import ManualClock
from mock_server.tests.connect.simulator import SIMULATOR

# A job the simulator starts writes 5 lines, one a second, and is finalized 2 s after it exits (clock seconds).
TIMING = Timing(line_interval=1.0, job_lines=5, finalize_delay=2.0)


def key_headers(role: Role) -> dict[str, str]:
    return {"Authorization": f"Key {DEFAULT_KEYS[role]}"}


def assert_error(response: httpx.Response, status: int, code: int) -> str:
    """Check a response is Connect's error body, of Connect code `code`; give its message."""
    body = json_error(response, status)
    assert set(body) == {"code", "error", "payload"}
    assert body["code"] == code
    assert body["payload"] is None
    message: str = body["error"]
    return message


@pytest.fixture
def simulator() -> Simulator:
    return SIMULATOR


@pytest.fixture
def settings(clock: ManualClock) -> ConnectSettings:
    return ConnectSettings(strict=True, timing=TIMING, clock=clock, tail_poll_interval=0.005)


@pytest.fixture
def served(app: Starlette) -> Iterator[str]:
    """The app on a real socket; yields its base URL."""
    with serve_in_thread(app) as origin:
        yield f"{origin}/__api__"
