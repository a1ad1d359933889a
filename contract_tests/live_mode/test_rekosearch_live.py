"""The RekoSearch suite's live mode keeps its promises: pointed at a server with --base-url it uses only the token it
was given; without --allow-writes it sends only GET requests; with --allow-writes the one job it deletes is
REKOSEARCH_JOB_ID (job ids are small sequential numbers, so a generated delete would hit real jobs). The "live" server
here is a RekoSearch simulator in this process, behind a middleware that records every request it receives."""

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
from mock_server.rekosearch import RekoSearchSettings, create_app
from mock_server.rekosearch.settings import DEFAULT_TOKEN

JOB_ID = "2"


class RequestLog:
    """ASGI middleware: remembers (method, path, query, Authorization) of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[tuple[str, str, str, str | None]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            authorization = dict(scope["headers"]).get(b"authorization")
            self.requests.append(
                (
                    scope["method"],
                    scope["path"],
                    scope["query_string"].decode("latin-1"),
                    authorization.decode("latin-1") if authorization is not None else None,
                )
            )
        await self.app(scope, receive, send)


@pytest.fixture
def live_server() -> Iterator[tuple[str, RequestLog]]:
    log = RequestLog(create_app(RekoSearchSettings(strict=True)))
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
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", log
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _run_suite(base_url: str, reports: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("REKOSEARCH_")}
    env |= {"REKOSEARCH_TOKEN": DEFAULT_TOKEN, "REKOSEARCH_JOB_ID": JOB_ID}
    return run_conformance_suite("rekosearch", reports, "--base-url", base_url, "--max-examples", "3", *extra, env=env)


def test_a_live_run_without_allow_writes_only_reads(live_server: tuple[str, RequestLog], tmp_path: Path) -> None:
    base_url, log = live_server

    result = _run_suite(base_url, tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert log.requests, "the suite sent nothing"
    assert {method for method, _, _, _ in log.requests} == {"GET"}
    assert {authorization for *_, authorization in log.requests} <= {DEFAULT_TOKEN, f"Bearer {DEFAULT_TOKEN}"}
    assert all(path.startswith("/api/v1/jobs/") for _, path, _, _ in log.requests)
    summary = (tmp_path / "conformance-summary.md").read_text()
    for report in ("conformance-summary.md", "conformance.html", "conformance.json"):
        assert DEFAULT_TOKEN not in (tmp_path / report).read_text(), f"the token is in {report}"
    assert "test_deleting_a_job_is_final_and_idempotent" in summary


def test_a_live_run_with_allow_writes_deletes_only_the_given_job(
    live_server: tuple[str, RequestLog], tmp_path: Path
) -> None:
    base_url, log = live_server

    result = _run_suite(base_url, tmp_path, "--allow-writes")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    deletes = {query for method, path, query, _ in log.requests if (method, path) == ("DELETE", "/api/v1/jobs/delete")}
    assert deletes == {f"job-id={JOB_ID}"}
    assert None in {authorization for *_, authorization in log.requests}, "credentials were never probed"
    assert not any(path.startswith("/_simulator/") for _, path, _, _ in log.requests)
