"""Strict mode holds every response to the document; a bug anywhere still leaves as the documented 500 body."""

import logging
from typing import Any

import httpx
import pytest

from mock_server.openapi import ParsedRequest
from mock_server.rekosearch import RekoSearchSettings
from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.routes import ROUTES
from mock_server.tests.clocks import ManualClock
from mock_server.tests.rekosearch.conftest import assert_error

pytestmark = pytest.mark.anyio

LENIENT = RekoSearchSettings(strict=False, clock=ManualClock())


def drifted_job(user: User, job_id: int) -> dict[str, Any]:
    """A job whose date is RFC 3339, not the API's format."""
    return {
        "job_info": {
            "user_id": user.user_id,
            "job_id": job_id,
            "date": "2026-11-20T09:15:02.118Z",
            "total_size": 1,
            "credits_spent": 1,
            "object_uuid_names": {},
            "media_length": {},
            "failed_to_process": {},
            "status": "success",
        }
    }


@pytest.fixture
async def drifted(client: httpx.AsyncClient, jobs: RekoSearchJobs, monkeypatch: pytest.MonkeyPatch) -> httpx.Response:
    """The answer to a get of a job whose date has drifted (`drifted_job`)."""
    monkeypatch.setattr(jobs, "get_job", drifted_job)
    return await client.get("/api/v1/jobs/get?job-id=2")


async def test_a_response_that_violates_the_schema_becomes_a_500_naming_it(drifted: httpx.Response) -> None:
    assert drifted.status_code == 500
    message = drifted.json()["message"]
    assert message.startswith("The simulator's response violates openapi/rekosearch.yaml: 200 response body: ")
    assert "'2026-11-20T09:15:02.118Z' does not match" in message
    assert message.endswith("(at job_info/date)")


async def test_an_undocumented_status_becomes_a_500_naming_it(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accepted(jobs: RekoSearchJobs, user: User, request: ParsedRequest) -> tuple[int, Any]:
        return 202, {"message": "Ok"}

    monkeypatch.setitem(ROUTES, "jobs-delete", accepted)

    response = await client.delete("/api/v1/jobs/delete?job-id=1")

    assert response.status_code == 500
    assert response.json()["message"].endswith("status 202 is not documented for jobs-delete")


@pytest.mark.parametrize("settings", [LENIENT])
async def test_without_strict_mode_a_drifted_response_is_sent_as_it_is(drifted: httpx.Response) -> None:
    assert drifted.status_code == 200
    assert drifted.json()["job_info"]["date"] == "2026-11-20T09:15:02.118Z"


@pytest.mark.parametrize("settings", [LENIENT, RekoSearchSettings(strict=True, clock=ManualClock())])
async def test_a_bug_becomes_the_documented_500_without_a_traceback(
    client: httpx.AsyncClient, jobs: RekoSearchJobs, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(user: User) -> list[dict[str, Any]]:
        raise RuntimeError("the simulator broke")

    monkeypatch.setattr(jobs, "list_jobs", broken)
    with caplog.at_level(logging.ERROR, logger="mock_server"):
        response = await client.get("/api/v1/jobs/list")

    assert_error(response, 500, "Internal error in the simulator")
    assert "Traceback" not in response.text
    assert "the simulator broke" in caplog.text
    assert "jobs-list" in caplog.text
