"""Strict mode holds every response to the document; a bug anywhere still leaves as a failure envelope."""

import logging
from typing import Any

import httpx
import pytest

from mock_server.openapi import ParsedRequest
from mock_server.slurper import SlurperSettings
from mock_server.slurper.jobs import SuperSlurper
from mock_server.slurper.routes import ROUTES
from mock_server.tests.clocks import SteppingClock
from mock_server.tests.conftest import assert_failure, s3_job_request

pytestmark = pytest.mark.anyio

JOBS = "/accounts/acct/slurper/jobs"
LENIENT = SlurperSettings(strict=False, demo_jobs=False, clock=SteppingClock())


def drifted_job(account_id: str, job_id: str) -> dict[str, Any]:
    return {"id": job_id, "createdAt": "2026-11-20T09:15:02.118Z", "status": "exploded"}


async def test_a_response_that_violates_the_schema_becomes_a_500_naming_it(
    client: httpx.AsyncClient, slurper: SuperSlurper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slurper, "get_job", drifted_job)
    message = assert_failure(await client.get(f"{JOBS}/some-job"), 500, 10501)
    assert message == (
        "The simulator's response violates openapi/slurper.yaml: 200 response body: 'exploded' is not one of "
        "['running', 'paused', 'aborted', 'completed'] (at result/status)"
    )


async def test_an_undocumented_status_becomes_a_500_naming_it(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accepted(slurper: SuperSlurper, request: ParsedRequest) -> tuple[int, Any]:
        return 202, "Job accepted"

    monkeypatch.setitem(ROUTES, "slurper-pause-job", accepted)
    message = assert_failure(await client.put(f"{JOBS}/some-job/pause"), 500, 10501)
    assert message.endswith("status 202 is not documented for slurper-pause-job")


@pytest.mark.parametrize("settings", [LENIENT])
async def test_without_strict_mode_a_drifted_response_is_sent_as_it_is(
    client: httpx.AsyncClient, slurper: SuperSlurper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slurper, "get_job", drifted_job)
    response = await client.get(f"{JOBS}/some-job")
    assert response.status_code == 200
    assert response.json()["result"]["status"] == "exploded"


async def test_failures_outside_any_operation_are_checked_too(client: httpx.AsyncClient) -> None:
    assert_failure(await client.get("/nowhere"), 404, 7003)
    assert_failure(await client.delete(JOBS), 405, 10405)


@pytest.mark.parametrize("settings", [LENIENT, SlurperSettings(strict=True, demo_jobs=False, clock=SteppingClock())])
async def test_a_bug_becomes_a_500_envelope_without_a_traceback(
    client: httpx.AsyncClient,
    slurper: SuperSlurper,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(account_id: str, request: Any) -> str:
        raise RuntimeError("the simulator broke")

    monkeypatch.setattr(slurper, "create_job", broken)
    with caplog.at_level(logging.ERROR, logger="mock_server"):
        response = await client.post(JOBS, json=s3_job_request())
    assert assert_failure(response, 500, 10500) == "Internal error in the simulator"
    assert "Traceback" not in response.text
    assert "the simulator broke" in caplog.text
    assert "slurper-create-job" in caplog.text
