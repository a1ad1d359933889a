"""Job lifecycle over HTTP: every transition and every illegal one, abortAll, delete, isolation, the cap, paging."""

import json

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.slurper import SlurperSettings
from mock_server.slurper.jobs import MAX_OBJECTS, SuperSlurper
from mock_server.tests.clocks import SteppingClock
from mock_server.tests.conftest import assert_failure, s3_job_request

pytestmark = pytest.mark.anyio

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
JOBS = f"/accounts/{ACCOUNT}/slurper/jobs"
EVENT_LOGS = {"pause": "migrationPause", "resume": "migrationResume", "abort": "migrationAbort"}
CONFIRMATIONS = {"pause": "Job paused", "resume": "Job resumed", "abort": "Job aborted", "delete": "Job deleted"}


async def create_job(client: httpx.AsyncClient, account: str = ACCOUNT) -> str:
    response = await client.post(f"/accounts/{account}/slurper/jobs", json=s3_job_request())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {"success": True, "errors": [], "messages": [], "result": {"id": body["result"]["id"]}}
    job_id: str = body["result"]["id"]
    return job_id


async def job_in_state(client: httpx.AsyncClient, slurper: SuperSlurper, status: str) -> str:
    job_id = await create_job(client)
    if status == "paused":
        assert (await client.put(f"{JOBS}/{job_id}/pause")).status_code == 200
    elif status == "aborted":
        assert (await client.put(f"{JOBS}/{job_id}/abort")).status_code == 200
    elif status == "completed":
        slurper.advance(ACCOUNT, job_id, steps=MAX_OBJECTS)
    return job_id


async def status_of(client: httpx.AsyncClient, job_id: str) -> str:
    response = await client.get(f"{JOBS}/{job_id}")
    assert response.status_code == 200, response.text
    status: str = response.json()["result"]["status"]
    return status


async def test_a_new_job_is_running_and_logs_its_start(client: httpx.AsyncClient) -> None:
    job_id = await create_job(client)
    job = (await client.get(f"{JOBS}/{job_id}")).json()["result"]
    assert job["status"] == "running"
    assert job["finishedAt"] is None
    logs = (await client.get(f"{JOBS}/{job_id}/logs")).json()["result"]
    assert logs[0] == {
        "createdAt": job["createdAt"],
        "job": job_id,
        "logType": "migrationStart",
        "message": "Migration started",
        "objectKey": None,
    }


async def test_a_job_runs_to_completion_by_being_watched(client: httpx.AsyncClient) -> None:
    job_id = await create_job(client)
    for _ in range(MAX_OBJECTS):
        progress = (await client.get(f"{JOBS}/{job_id}/progress")).json()["result"]
        if progress["status"] == "completed":
            break
    done = progress["transferredObjects"] + progress["failedObjects"] + progress["skippedObjects"]
    assert done == progress["objects"]
    job = (await client.get(f"{JOBS}/{job_id}")).json()["result"]
    assert job["status"] == "completed"
    assert job["finishedAt"] is not None
    logs = (await client.get(f"{JOBS}/{job_id}/logs", params={"limit": 50})).json()["result"]
    assert logs[-1]["logType"] == "migrationComplete"


@pytest.mark.parametrize(
    ("status", "action", "expected_status", "expected_code", "next_status"),
    [
        ("running", "pause", 200, None, "paused"),
        ("running", "resume", 409, 10412, "running"),
        ("running", "abort", 200, None, "aborted"),
        ("running", "delete", 409, 10410, "running"),
        ("paused", "pause", 409, 10411, "paused"),
        ("paused", "resume", 200, None, "running"),
        ("paused", "abort", 200, None, "aborted"),
        ("paused", "delete", 409, 10410, "paused"),
        ("aborted", "pause", 409, 10411, "aborted"),
        ("aborted", "resume", 409, 10412, "aborted"),
        ("aborted", "abort", 409, 10413, "aborted"),
        ("aborted", "delete", 200, None, None),
        ("completed", "pause", 409, 10411, "completed"),
        ("completed", "resume", 409, 10412, "completed"),
        ("completed", "abort", 409, 10413, "completed"),
        ("completed", "delete", 200, None, None),
    ],
)
async def test_transitions(
    client: httpx.AsyncClient,
    slurper: SuperSlurper,
    status: str,
    action: str,
    expected_status: int,
    expected_code: int | None,
    next_status: str | None,
) -> None:
    job_id = await job_in_state(client, slurper, status)
    if action == "delete":
        response = await client.delete(f"{JOBS}/{job_id}")
    else:
        response = await client.put(f"{JOBS}/{job_id}/{action}")
    if expected_code is not None:
        assert_failure(response, expected_status, expected_code)
    else:
        assert response.status_code == expected_status
        assert response.json()["result"] == CONFIRMATIONS[action]
    if next_status is None:
        assert_failure(await client.get(f"{JOBS}/{job_id}"), 404, 10404)
        return
    logs = (await client.get(f"{JOBS}/{job_id}/logs", params={"limit": 50})).json()["result"]
    assert await status_of(client, job_id) == next_status
    if expected_code is None:
        assert EVENT_LOGS[action] in [entry["logType"] for entry in logs]
    if next_status == "aborted":
        assert (await client.get(f"{JOBS}/{job_id}")).json()["result"]["finishedAt"] is not None


async def test_a_deleted_job_is_gone_everywhere(client: httpx.AsyncClient, slurper: SuperSlurper) -> None:
    job_id = await job_in_state(client, slurper, "completed")
    assert (await client.delete(f"{JOBS}/{job_id}")).status_code == 200
    for method, suffix in [
        ("GET", ""),
        ("GET", "/progress"),
        ("GET", "/logs"),
        ("PUT", "/pause"),
        ("PUT", "/resume"),
        ("PUT", "/abort"),
        ("DELETE", ""),
    ]:
        assert_failure(await client.request(method, f"{JOBS}/{job_id}{suffix}"), 404, 10404)
    assert (await client.get(JOBS)).json()["result"] == []


async def test_abort_all_aborts_every_active_job_of_the_account_only(
    client: httpx.AsyncClient, slurper: SuperSlurper
) -> None:
    running = await job_in_state(client, slurper, "running")
    paused = await job_in_state(client, slurper, "paused")
    completed = await job_in_state(client, slurper, "completed")
    elsewhere = await create_job(client, "another-account")
    response = await client.put(f"{JOBS}/abortAll")
    assert response.status_code == 200
    assert response.json() == {"success": True, "errors": [], "messages": [], "result": "All jobs aborted"}
    assert [await status_of(client, job_id) for job_id in (running, paused, completed)] == [
        "aborted",
        "aborted",
        "completed",
    ]
    other = await client.get(f"/accounts/another-account/slurper/jobs/{elsewhere}")
    assert other.json()["result"]["status"] == "running"


async def test_abort_all_without_jobs_still_succeeds(client: httpx.AsyncClient) -> None:
    response = await client.put("/accounts/nobody/slurper/jobs/abortAll")
    assert response.status_code == 200


async def test_a_job_is_not_found_under_another_account(client: httpx.AsyncClient) -> None:
    job_id = await create_job(client)
    other = f"/accounts/someone-else/slurper/jobs/{job_id}"
    for method, path in [
        ("GET", other),
        ("GET", f"{other}/progress"),
        ("GET", f"{other}/logs"),
        ("PUT", f"{other}/pause"),
        ("PUT", f"{other}/resume"),
        ("PUT", f"{other}/abort"),
        ("DELETE", other),
    ]:
        assert assert_failure(await client.request(method, path), 404, 10404) == "Job not found"
    assert (await client.get("/accounts/someone-else/slurper/jobs")).json()["result"] == []


async def test_the_concurrency_cap_gives_409(client: httpx.AsyncClient) -> None:
    job_ids = [await create_job(client) for _ in range(3)]
    response = await client.post(JOBS, json=s3_job_request())
    message = assert_failure(response, 409, 10409)
    assert message == "Maximum number of concurrent jobs has been reached"
    await client.put(f"{JOBS}/{job_ids[0]}/pause")
    assert_failure(await client.post(JOBS, json=s3_job_request()), 409, 10409)
    await client.put(f"{JOBS}/{job_ids[0]}/abort")
    await create_job(client)


@pytest.mark.parametrize(
    "settings", [SlurperSettings(strict=True, demo_jobs=False, clock=SteppingClock(), max_concurrent_jobs=1)]
)
async def test_the_cap_is_configurable(client: httpx.AsyncClient) -> None:
    await create_job(client)
    assert_failure(await client.post(JOBS, json=s3_job_request()), 409, 10409)


@pytest.mark.parametrize(
    "settings", [SlurperSettings(strict=True, demo_jobs=False, clock=SteppingClock(), max_concurrent_jobs=100)]
)
async def test_jobs_are_paged_in_creation_order(client: httpx.AsyncClient) -> None:
    job_ids = [await create_job(client) for _ in range(23)]

    async def listed(**params: int) -> list[str]:
        response = await client.get(JOBS, params=params)
        assert response.status_code == 200, response.text
        return [job["id"] for job in response.json()["result"]]

    assert await listed() == job_ids[:20]
    assert await listed(limit=50) == job_ids
    assert await listed(limit=5, offset=10) == job_ids[10:15]
    assert await listed(offset=20) == job_ids[20:]
    assert await listed(offset=23) == []
    assert await listed(limit=1) == job_ids[:1]


async def test_logs_are_paged(client: httpx.AsyncClient, slurper: SuperSlurper) -> None:
    job_id = await job_in_state(client, slurper, "completed")
    everything = (await client.get(f"{JOBS}/{job_id}/logs", params={"limit": 50})).json()["result"]
    pages = []
    for offset in range(0, len(everything), 3):
        page = await client.get(f"{JOBS}/{job_id}/logs", params={"limit": 3, "offset": offset})
        pages.extend(page.json()["result"])
    assert pages == everything
    assert [entry["createdAt"] for entry in everything] == sorted(entry["createdAt"] for entry in everything)


@pytest.mark.parametrize("settings", [SlurperSettings(strict=True, clock=SteppingClock())])
async def test_the_demo_jobs_are_there_from_the_start(client: httpx.AsyncClient, app: Starlette) -> None:
    demo_jobs = app.state.demo_jobs
    assert list(demo_jobs) == [ACCOUNT]
    jobs = (await client.get(JOBS)).json()["result"]
    assert [job["id"] for job in jobs] == demo_jobs[ACCOUNT]
    assert [job["status"] for job in jobs] == ["completed", "running"]


async def test_names_come_back_exactly_as_sent_even_without_a_utf8_form(client: httpx.AsyncClient) -> None:
    # A lone surrogate is valid in JSON text ("\ud800") but has no UTF-8 encoding.
    for bucket in ("bücket-☃", "\ud800-lone-surrogate"):
        content = json.dumps(s3_job_request(bucket)).encode()
        created = await client.post(JOBS, content=content, headers={"Content-Type": "application/json"})
        assert created.status_code == 201, created.text
        job = await client.get(f"{JOBS}/{created.json()['result']['id']}")
        assert job.json()["result"]["source"]["bucket"] == bucket
        await client.put(f"{JOBS}/abortAll")
    content = json.dumps({**s3_job_request(), "overwrite": "\udfff"}).encode()
    refused = await client.post(JOBS, content=content, headers={"Content-Type": "application/json"})
    assert (
        assert_failure(refused, 400, 10001) == "Invalid request body: '\\udfff' is not of type 'boolean' (at overwrite)"
    )
