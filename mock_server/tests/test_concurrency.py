"""Many tasks hammering one job at once: concurrent pause / resume / abort / delete (slurper), kill (Connect) and delete
(RekoSearch) never make an illegal transition or lose an update. Every success is in the log exactly once, the log is
a path the state machine allows, and the final state is the one the successes lead to.

The slurper is hammered twice: over HTTP (in-process, so requests interleave on one event loop as they do in uvicorn)
and on its state machine from threads (which only its lock keeps apart).
"""

import asyncio
import random
import threading
from collections import Counter
from typing import Any

import httpx
import pytest

from mock_server.connect.seed import API
from mock_server.faults import FaultSettings
from mock_server.slurper import SlurperSettings, create_app
from mock_server.slurper.errors import SlurperError
from mock_server.slurper.jobs import SuperSlurper
from mock_server.tests.apis import in_process
from mock_server.tests.conftest import s3_job_request
from mock_server.tests.connect.simulator import SIMULATOR as CONNECT
from mock_server.tests.rekosearch.simulator import SIMULATOR as REKOSEARCH
from mock_server.tests.slurper.simulator import SIMULATOR as SLURPER

pytestmark = pytest.mark.anyio
TASKS = 16
REQUESTS_PER_TASK = 40
# Enough objects that no job completes while it is hammered (every observation processes 5).
MANY_KEYS = [f"object-{index:05d}" for index in range(5000)]
ACTIONS = {"pause": "migrationPause", "resume": "migrationResume", "abort": "migrationAbort"}


def assert_legal_lifecycle(logs: list[str], successes: Counter[str]) -> str:
    """Check a job's log is a path the slurper state machine allows, with one entry per successful transition.

    Args:
        logs: The log types, oldest first (object entries left out).
        successes: How many pause, resume and abort requests succeeded.

    Returns:
        The status the log leads to.
    """
    assert logs[0] == "migrationStart"
    assert logs.count("migrationStart") == 1
    status = "running"
    for entry in logs[1:]:
        if entry == "migrationPause":
            assert status == "running", f"paused while {status}: {logs}"
            status = "paused"
        elif entry == "migrationResume":
            assert status == "paused", f"resumed while {status}: {logs}"
            status = "running"
        elif entry in ("migrationAbort", "migrationComplete"):
            assert status in ("running", "paused"), f"{entry} while {status}: {logs}"
            status = "aborted" if entry == "migrationAbort" else "completed"
        else:
            raise AssertionError(f"unexpected log entry {entry}")
    for action, log_type in ACTIONS.items():
        assert logs.count(log_type) == successes[action], f"{successes[action]} successful {action}s: {logs}"
    return status


def lifecycle(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["logType"] for entry in entries if entry["objectKey"] is None]


async def every_log_entry(client: httpx.AsyncClient, job: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    while True:
        page = (await client.get(f"{job}/logs", params={"limit": 50, "offset": len(entries)})).json()["result"]
        if not page:
            return entries
        entries += page


async def test_concurrent_pause_resume_abort_delete_on_one_slurper_job() -> None:
    app = create_app(SlurperSettings(strict=True, demo_jobs=False))
    jobs = "/client/v4/accounts/hammer/slurper/jobs"
    async with in_process(app, headers=SLURPER.headers) as client:
        created = await client.post(jobs, json=s3_job_request(keys=MANY_KEYS))
        job = f"{jobs}/{created.json()['result']['id']}"
        results: list[tuple[str, int]] = []

        async def hammer(seed: int, actions: list[str]) -> None:
            # A seeded generator per task: the order is random but the same on every run.
            chooser = random.Random(seed)  # noqa: S311
            for _ in range(REQUESTS_PER_TASK):
                action = chooser.choice(actions)
                if action == "delete":
                    response = await client.delete(job)
                elif action == "get":
                    response = await client.get(job)
                else:
                    response = await client.put(f"{job}/{action}")
                results.append((action, response.status_code))

        # Mostly pause and resume, so that abort, which ends everything, comes late.
        weighted = ["pause"] * 10 + ["resume"] * 10 + ["get"] * 3 + ["abort"]
        await asyncio.gather(*(hammer(seed, weighted) for seed in range(TASKS)))
        assert all(status in (200, 409) for _, status in results), Counter(results)
        successes = Counter(action for action, status in results if status == 200 and action != "get")
        logs = lifecycle(await every_log_entry(client, job))
        final = (await client.get(job)).json()["result"]["status"]
        assert assert_legal_lifecycle(logs, successes) == final
        assert successes["abort"] <= 1
        assert successes["pause"] > 0
        assert successes["resume"] > 0

        if final != "aborted":
            assert (await client.put(f"{job}/abort")).status_code == 200
        results.clear()
        await asyncio.gather(*(hammer(seed, ["delete", "pause", "resume", "abort"]) for seed in range(TASKS)))
        statuses = Counter(results)
        assert statuses["delete", 200] == 1, statuses
        assert set(statuses) <= {
            ("delete", 200),
            ("delete", 404),
            *((action, status) for action in ("pause", "resume", "abort") for status in (404, 409)),
        }, statuses
        assert (await client.get(job)).status_code == 404


def test_threads_hammering_the_slurper_state_machine_lose_no_update() -> None:
    slurper = SuperSlurper(max_concurrent_jobs=1000)
    account = "threads"
    job_ids = [slurper.create_job(account, s3_job_request(keys=MANY_KEYS)) for _ in range(3)]
    successes = {job_id: Counter[str]() for job_id in job_ids}
    lock = threading.Lock()
    start = threading.Barrier(8)

    def hammer(seed: int) -> None:
        chooser = random.Random(seed)  # noqa: S311
        start.wait()
        for _ in range(1500):
            job_id = chooser.choice(job_ids)
            action = chooser.choice(["pause", "resume"] * 20 + ["abort", "observe"])
            try:
                if action == "observe":
                    slurper.get_job_progress(account, job_id)
                    continue
                slurper.move_job(account, job_id, action)
            except SlurperError:
                continue
            with lock:
                successes[job_id][action] += 1

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for job_id in job_ids:
        entries = slurper.list_job_logs(account, job_id, limit=10_000)
        final = assert_legal_lifecycle(lifecycle(entries), successes[job_id])
        progress = slurper.get_job_progress(account, job_id)
        assert progress["status"] == final or (final == "running" and progress["status"] == "running")
        counted = progress["transferredObjects"] + progress["failedObjects"] + progress["skippedObjects"]
        assert counted <= progress["objects"]
        assert len(entries) - len(lifecycle(entries)) == progress["failedObjects"] + progress["skippedObjects"]


async def test_concurrent_kills_of_one_connect_job_succeed_once() -> None:
    app = CONNECT.build(FaultSettings())
    running = app.state.demo_jobs[API][-1]
    path = f"/__api__/v1/content/{API}/jobs/{running}"
    async with in_process(app, headers=CONNECT.headers) as client:
        responses = await asyncio.gather(
            *(client.delete(path) if index % 3 else client.get(path) for index in range(TASKS * 6))
        )
        kills = Counter(r.status_code for r in responses if r.request.method == "DELETE")
        assert kills[200] == 1, kills
        assert set(kills) == {200, 409}, kills
        assert all(response.status_code == 200 for response in responses if response.request.method == "GET")
        job = (await client.get(path)).json()
        assert job["status"] != 0
        listed = (await client.get(f"/__api__/v1/content/{API}/jobs")).json()
        listed = [item for item in listed if item["key"] == running]
        assert len(listed) == 1, "the killed job is listed exactly once"


async def test_concurrent_deletes_of_one_rekosearch_job_leave_the_others_alone() -> None:
    app = REKOSEARCH.build(FaultSettings())
    async with in_process(app, headers=REKOSEARCH.headers) as client:
        calls = [
            client.delete("/api/v1/jobs/delete", params={"job-id": 4})
            if index % 2
            else client.get("/api/v1/jobs/get", params={"job-id": 4})
            for index in range(TASKS * 6)
        ]
        responses = await asyncio.gather(*calls)
        assert all(r.status_code == 200 for r in responses if r.request.method == "DELETE")
        assert {r.status_code for r in responses if r.request.method == "GET"} <= {200, 404}
        assert (await client.get("/api/v1/jobs/get", params={"job-id": 4})).status_code == 404
        listed = [job["job_id"] for job in (await client.get("/api/v1/jobs/list")).json()["jobs"]]
        assert listed == [1, 2, 3, 5]


async def test_concurrent_creates_respect_the_concurrency_cap() -> None:
    app = create_app(SlurperSettings(strict=True, demo_jobs=False, max_concurrent_jobs=3))
    jobs = "/client/v4/accounts/cap/slurper/jobs"
    async with in_process(app, headers=SLURPER.headers) as client:
        responses = await asyncio.gather(*(client.post(jobs, json=s3_job_request()) for _ in range(TASKS * 2)))
        statuses = Counter(response.status_code for response in responses)
        assert statuses == {201: 3, 409: TASKS * 2 - 3}, statuses
        created = {response.json()["result"]["id"] for response in responses if response.status_code == 201}
        listed = (await client.get(jobs)).json()["result"]
        assert sorted(job["id"] for job in listed) == sorted(created), "a created job was lost or duplicated"
