"""Strict mode holds every response to openapi/connect.yaml; a bug anywhere still leaves as Connect's error body."""

import logging
from typing import Any

import httpx
import pytest

from mock_server.connect import ConnectSettings
from mock_server.connect.jobs import ConnectJobs
from mock_server.connect.routes import ROUTES, EmptyReply, TextReply
from mock_server.connect.seed import SHINY_APP
from mock_server.openapi import ParsedRequest
from mock_server.replies import Reply
from mock_server.tests.clocks import ManualClock
from mock_server.tests.connect.conftest import TIMING, assert_error

pytestmark = pytest.mark.anyio

JOB = f"/v1/content/{SHINY_APP}/jobs/QBZ5jkKfmf9iT9k8"
LENIENT = ConnectSettings(strict=False, timing=TIMING, clock=ManualClock())


def numeric_id(jobs: ConnectJobs) -> Any:
    original = jobs.get_job

    def drifted(guid: str, key: str) -> dict[str, Any]:
        return {**original(guid, key), "id": 40096649}

    return drifted


async def test_a_response_that_violates_the_schema_becomes_a_500_naming_it(
    client: httpx.AsyncClient, jobs: ConnectJobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "get_job", numeric_id(jobs))
    message = assert_error(await client.get(JOB), 500, 1)
    assert message == (
        "An internal failure occurred. The simulator's response violates openapi/connect.yaml: 200 response body: "
        "40096649 is not of type 'string' (at id)"
    )


@pytest.mark.parametrize(
    ("operation", "reply", "violation"),
    [
        ("JobError", Reply(200, None), "200 response body: None is not of type 'object'"),
        ("JobError", EmptyReply(200), "200 response has Content-Type None"),
        ("GetJob", EmptyReply(202), "202 response has Content-Type None, not one of ['application/json']"),
        ("JobDownloadLog", TextReply(200, "x", media_type="text/html"), "200 response has Content-Type 'text/html'"),
        ("JobLogs", Reply(404, {"message": "Not Found"}), "'code' is a required property"),
    ],
    ids=["null-error", "200-instead-of-204", "bodiless-default", "html-download", "foreign-error-shape"],
)
async def test_drifted_replies_become_500s(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, operation: str, reply: Any, violation: str
) -> None:
    def drifted(jobs: ConnectJobs, request: ParsedRequest) -> Any:
        return reply

    monkeypatch.setitem(ROUTES, operation, drifted)
    path = {"JobError": f"{JOB}/error", "GetJob": JOB, "JobDownloadLog": f"{JOB}/download", "JobLogs": f"{JOB}/log"}
    message = assert_error(await client.get(path[operation]), 500, 1)
    assert violation in message


@pytest.mark.parametrize("settings", [LENIENT])
async def test_without_strict_mode_a_drifted_response_is_sent_as_it_is(
    client: httpx.AsyncClient, jobs: ConnectJobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "get_job", numeric_id(jobs))
    response = await client.get(JOB)
    assert response.status_code == 200
    assert response.json()["id"] == 40096649


async def test_failures_outside_any_operation_are_checked_too(client: httpx.AsyncClient) -> None:
    assert_error(await client.post(f"/v1/content/{SHINY_APP}/jobs"), 405, 2)


@pytest.mark.parametrize("settings", [LENIENT, ConnectSettings(strict=True, timing=TIMING, clock=ManualClock())])
async def test_a_bug_becomes_a_500_without_a_traceback(
    client: httpx.AsyncClient, jobs: ConnectJobs, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(guid: str, key: str) -> Any:
        raise RuntimeError("the simulator broke")

    monkeypatch.setattr(jobs, "kill_job", broken)
    with caplog.at_level(logging.ERROR, logger="mock_server"):
        response = await client.delete(f"/v1/content/{SHINY_APP}/jobs/IuzpAzG329zvnt9s")
    assert assert_error(response, 500, 1) == "An internal failure occurred."
    assert "Traceback" not in response.text
    assert "the simulator broke" in caplog.text
    assert "KillJob" in caplog.text
    assert "mock-connect-owner-key" not in caplog.text
