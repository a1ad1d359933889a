"""The tail over a real socket: it sends what was written, then each new line as the clock moves, and closes when the
job is finalized, not before (an app's process, which runs until it is killed, keeps its tail open as long); a client
that leaves costs nothing. It is labelled as the document says (`application/json`) and framed as the simulator
assumes Connect does: newline-delimited JSON (mock_server/connect/tail.py says why)."""

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.connect.auth import Role
from mock_server.connect.jobs import ConnectJobs
from mock_server.connect.seed import API, REPORT, SHINY_APP
from mock_server.openapi import OpenAPIDocument
from mock_server.tests.clocks import ManualClock
from mock_server.tests.connect.conftest import TIMING, key_headers

RUNNING = f"/v1/content/{SHINY_APP}/jobs/IuzpAzG329zvnt9s/tail"
WAIT = 5.0
ENTRY = {
    "source": "stdout",
    "timestamp": "2025-01-14T09:02:13.107442281Z",
    "data": "Listening on http://127.0.0.1:39417",
}


def _lines(response: httpx.Response) -> Iterator[dict[str, Any]]:
    for line in response.iter_lines():
        if line:
            yield json.loads(line)


def _read_to_the_end(entries: Iterator[dict[str, Any]]) -> tuple[list[dict[str, Any]], threading.Event]:
    """Read the rest of a tail in a thread; the event is set once the server has closed it."""
    rest: list[dict[str, Any]] = []
    ended = threading.Event()

    def read() -> None:
        rest.extend(entries)
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    return rest, ended


def test_a_running_job_is_followed_until_it_is_finalized(served: str, app: Starlette, clock: ManualClock) -> None:
    # The API's process started two lines before the simulator, writes 5 lines and exits by itself.
    tail = f"/v1/content/{API}/jobs/{app.state.demo_jobs[API][-1]}/tail"
    with (
        httpx.Client(base_url=served, headers=key_headers(Role.OWNER), timeout=WAIT) as client,
        client.stream("GET", tail) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert "content-length" not in response.headers
        entries = _lines(response)
        received = [next(entries) for _ in range(3)]
        assert received[0]["data"] == f"[rsc-session] Content GUID: {API}"

        # The next lines are written one clock second apart, and only then sent.
        clock.advance(1)
        received.append(next(entries))
        clock.advance(1)
        received.append(next(entries))
        rest, ended = _read_to_the_end(entries)
        clock.advance(1)  # the process exits: status 1, the tail stays open
        assert not ended.wait(0.3), "the tail closed before the job was finalized"
        clock.advance(TIMING.finalize_delay)  # finalized: the tail ends
        assert ended.wait(WAIT)
        assert rest == []

    log = httpx.get(f"{served}{tail.removesuffix('/tail')}/log", headers=key_headers(Role.OWNER))
    assert received == log.json()["entries"]


def test_an_apps_tail_stays_open_until_its_process_is_killed_and_finalized(served: str, clock: ManualClock) -> None:
    with (
        httpx.Client(base_url=served, headers=key_headers(Role.OWNER), timeout=WAIT) as client,
        client.stream("GET", RUNNING) as response,
    ):
        entries = _lines(response)
        received = [next(entries) for _ in range(4)]
        clock.advance(1)
        received.append(next(entries))  # the last line of its work; from now on the app is quiet
        rest, ended = _read_to_the_end(entries)
        clock.advance(3600)
        assert not ended.wait(0.3), "the tail of a running app closed"

        assert client.delete(RUNNING.removesuffix("/tail")).status_code == 200
        assert not ended.wait(0.3), "the tail closed before the killed job was finalized"
        clock.advance(TIMING.finalize_delay)
        assert ended.wait(WAIT)
        assert rest == []
    assert len(received) == TIMING.job_lines


def test_the_tail_of_a_finalized_job_is_its_whole_log_at_once(served: str) -> None:
    headers = key_headers(Role.COLLABORATOR)
    tail = httpx.get(f"{served}/v1/content/{SHINY_APP}/jobs/QBZ5jkKfmf9iT9k8/tail", headers=headers, timeout=WAIT)
    log = httpx.get(f"{served}/v1/content/{SHINY_APP}/jobs/QBZ5jkKfmf9iT9k8/log", headers=headers, timeout=WAIT)
    assert tail.status_code == 200
    assert [json.loads(line) for line in tail.text.splitlines()] == log.json()["entries"]
    assert tail.text.endswith("\n")
    assert tail.headers["content-type"] == "application/json"


def test_a_finished_job_is_tailed_until_its_finalization(served: str, clock: ManualClock) -> None:
    finished = threading.Event()
    result: list[str] = []

    def tail() -> None:
        url = f"{served}/v1/content/{REPORT}/jobs/tHawGvHZTosJA2Dx/tail"
        result.append(httpx.get(url, headers=key_headers(Role.OWNER), timeout=WAIT).text)
        finished.set()

    threading.Thread(target=tail, daemon=True).start()
    assert not finished.wait(0.3), "the tail closed before the job was finalized"
    clock.advance(TIMING.finalize_delay)
    assert finished.wait(WAIT)
    assert result[0].splitlines()[-1].endswith('"data":"Execution halted"}')


def test_a_client_that_leaves_stops_the_tail(served: str, jobs: ConnectJobs, monkeypatch: pytest.MonkeyPatch) -> None:
    looks: list[float] = []
    original = jobs.tail

    def counted(guid: str, key: str, sent: int) -> Any:
        looks.append(time.monotonic())
        return original(guid, key, sent)

    monkeypatch.setattr(jobs, "tail", counted)
    with httpx.Client(base_url=served, headers=key_headers(Role.OWNER), timeout=WAIT) as client:
        with client.stream("GET", RUNNING) as response:
            assert next(_lines(response))["source"] == "stderr"
        time.sleep(0.2)
        looks_after_leaving = len(looks)
        time.sleep(0.2)
    assert len(looks) == looks_after_leaving, "the tail went on looking at the job after its client left"


@pytest.mark.parametrize("role", [Role.VIEWER, None])
def test_the_tail_refuses_before_streaming(served: str, role: Role | None) -> None:
    headers = key_headers(role) if role else {}
    response = httpx.get(f"{served}{RUNNING}", headers=headers, timeout=WAIT)
    assert response.status_code == (403 if role else 401)
    assert response.headers["content-type"] == "application/json"


def test_the_tail_is_sent_in_the_media_type_the_document_gives_it() -> None:
    document = OpenAPIDocument.load("connect")
    tail = document.operations["JobTailLog"]

    assert tail.responses["200"].json_sequences == ("application/json",)
    assert tail.response_violations(200, "application/json", [ENTRY]) == []
    assert tail.response_violations(200, "application/json", [{**ENTRY, "source": "stdin"}]) != []


def test_strict_mode_drops_a_tail_whose_entry_breaks_the_document(
    served: str, jobs: ConnectJobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = jobs.tail

    def drifted(guid: str, key: str, sent: int) -> Any:
        entries, finalized = original(guid, key, sent)
        return [{**entry, "source": "stdin"} for entry in entries], finalized

    monkeypatch.setattr(jobs, "tail", drifted)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{served}{RUNNING}", headers=key_headers(Role.OWNER), timeout=WAIT)
