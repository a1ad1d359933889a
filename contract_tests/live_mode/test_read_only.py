"""The suite's live mode keeps its promise: pointed at a server with --base-url and without --allow-writes it sends
only GET requests, only with the credentials it was given, and changes nothing. The "live" server here is a slurper
simulator in this process, behind a middleware that records every request it receives."""

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
from mock_server.slurper import SlurperSettings, create_app
from mock_server.slurper.auth import DEFAULT_TOKEN
from mock_server.slurper.seed import DEMO_ACCOUNT_ID


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
def live_server() -> Iterator[tuple[str, RequestLog]]:
    log = RequestLog(create_app(SlurperSettings(strict=True)))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(log, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/client/v4", log
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _run_suite(base_url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CLOUDFLARE_")}
    env |= {"CLOUDFLARE_API_TOKEN": DEFAULT_TOKEN, "CLOUDFLARE_ACCOUNT_ID": DEMO_ACCOUNT_ID}
    return run_conformance_suite("slurper", tmp_path, "--base-url", base_url, "--max-examples", "3", *extra, env=env)


def test_a_live_run_without_allow_writes_only_reads(live_server: tuple[str, RequestLog], tmp_path) -> None:
    base_url, log = live_server

    result = _run_suite(base_url, tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert log.requests, "the suite sent nothing"
    assert {method for method, _, _ in log.requests} == {"GET"}
    assert {authorization for _, _, authorization in log.requests} == {f"Bearer {DEFAULT_TOKEN}"}
    assert all(f"/accounts/{DEMO_ACCOUNT_ID}/" in path for _, path, _ in log.requests)
    for report in ("conformance-summary.md", "conformance.html", "conformance.json"):
        assert DEFAULT_TOKEN not in (tmp_path / report).read_text(), f"the token is in {report}"


def test_a_live_run_with_allow_writes_runs_everything(live_server: tuple[str, RequestLog], tmp_path) -> None:
    base_url, log = live_server

    result = _run_suite(base_url, tmp_path, "--allow-writes")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    methods = {method for method, _, _ in log.requests}
    assert {"GET", "POST", "PUT", "DELETE"} <= methods
    assert None in {authorization for _, _, authorization in log.requests}, "credentials were never probed"
