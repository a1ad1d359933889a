"""The suite's live mode for Connect keeps its promise: pointed at a server with --base-url and without
--allow-writes it sends only GET requests, only with the key it was given, to the content item it was given, and
changes nothing (no job is killed). The "live" server here is a Connect simulator in this process, behind a
middleware that records every request it receives."""

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from contract_tests.suite_process import run_conformance_suite
from mock_server.connect import ConnectSettings, create_app
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.jobs import ConnectJobs, Timing
from mock_server.connect.seed import SHINY_APP

OWNER_KEY = DEFAULT_KEYS[Role.OWNER]


class RequestLog:
    """ASGI middleware: remembers (method, path, Authorization) of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[tuple[str, str, str | None]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            authorization = headers.get(b"authorization")
            self.requests.append((scope["method"], scope["path"], authorization.decode() if authorization else None))
        await self.app(scope, receive, send)


@pytest.fixture
def live_server() -> Iterator[tuple[str, RequestLog, ConnectJobs]]:
    # Jobs of one second: a "live" content item that always has a running process for the lifecycle tests.
    app = create_app(ConnectSettings(strict=True, timing=Timing(line_interval=0.1, job_lines=10, finalize_delay=0.25)))
    log = RequestLog(app)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(log, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/__api__", log, app.state.jobs
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _run_suite(base_url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CONNECT_")}
    env |= {"CONNECT_API_KEY": OWNER_KEY, "CONNECT_CONTENT_GUID": SHINY_APP}
    return run_conformance_suite("connect", tmp_path, "--base-url", base_url, "--max-examples", "3", *extra, env=env)


def test_a_live_run_without_allow_writes_only_reads(
    live_server: tuple[str, RequestLog, ConnectJobs], tmp_path: Path
) -> None:
    base_url, log, jobs = live_server

    result = _run_suite(base_url, tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert log.requests, "the suite sent nothing"
    assert {method for method, _, _ in log.requests} == {"GET"}
    assert {authorization for _, _, authorization in log.requests} == {f"Key {OWNER_KEY}"}
    assert all(f"/v1/content/{SHINY_APP}/" in path for _, path, _ in log.requests)
    assert all(job["guid"] is None for job in _kill_orders(jobs))
    summary = (tmp_path / "conformance-summary.md").read_text()
    assert OWNER_KEY not in summary


def test_a_live_run_with_allow_writes_runs_everything(
    live_server: tuple[str, RequestLog, ConnectJobs], tmp_path: Path
) -> None:
    base_url, log, jobs = live_server

    result = _run_suite(base_url, tmp_path, "--allow-writes")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert {method for method, _, _ in log.requests} >= {"GET", "DELETE"}
    assert None in {authorization for _, _, authorization in log.requests}, "the key was never probed"
    assert any(job["guid"] is not None for job in _kill_orders(jobs)), "no job was killed"


def _kill_orders(jobs: ConnectJobs) -> list[dict[str, str | None]]:
    content = jobs.content_item(SHINY_APP)
    return [{"key": job.key, "guid": job.kill_order} for job in content.jobs]
