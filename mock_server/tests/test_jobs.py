"""The state machine on its own: progress and log invariants, determinism, paging, isolation and the cap."""

import functools
import re
import uuid
from collections import Counter
from typing import Any

import pytest

from mock_server.slurper.errors import ErrorCode, SlurperError
from mock_server.slurper.jobs import (
    DEFAULT_PAGE_LIMIT,
    MAX_OBJECTS,
    MIN_OBJECTS,
    OBJECTS_PER_STEP,
    SuperSlurper,
    format_timestamp,
)
from mock_server.tests.clocks import CLOCK_START, SteppingClock
from mock_server.tests.conftest import s3_job_request

ACCOUNT = "account-a"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def new_slurper(**options: Any) -> SuperSlurper:
    return SuperSlurper(clock=SteppingClock(), **options)


def all_logs(slurper: SuperSlurper, job_id: str) -> list[dict[str, Any]]:
    return slurper.list_job_logs(ACCOUNT, job_id, limit=100_000)


def check_invariants(progress: dict[str, Any], logs: list[dict[str, Any]]) -> None:
    done = progress["transferredObjects"] + progress["failedObjects"] + progress["skippedObjects"]
    assert done <= progress["objects"]
    kinds = Counter(entry["logType"] for entry in logs)
    assert progress["failedObjects"] == kinds["importErrorRetryExhaustion"]
    assert progress["skippedObjects"] == sum(n for kind, n in kinds.items() if kind.startswith("importSkipped"))
    object_keys = [entry["objectKey"] for entry in logs if entry["objectKey"] is not None]
    assert len(object_keys) == len(set(object_keys)), "an object was logged twice"
    assert logs[0]["logType"] == "migrationStart"
    times = [entry["createdAt"] for entry in logs]
    assert all(TIMESTAMP.fullmatch(time) for time in times)
    assert times == sorted(times)
    if progress["status"] == "completed":
        assert done == progress["objects"]
        assert logs[-1]["logType"] == "migrationComplete"
        assert kinds["migrationComplete"] == 1


def test_progress_and_logs_stay_consistent_until_every_job_completes() -> None:
    slurper = new_slurper(max_concurrent_jobs=40)
    job_ids = [slurper.create_job(ACCOUNT, s3_job_request(f"bucket-{n}", pathPrefix="p/")) for n in range(40)]
    seen_kinds: Counter[str] = Counter()
    for job_id in job_ids:
        while True:
            slurper.advance(ACCOUNT, job_id)
            # Pausing freezes the job, so progress and logs can be read without moving it in between.
            refusal = None
            try:
                slurper.move_job(ACCOUNT, job_id, "pause")
            except SlurperError as error:
                refusal = error.error
            assert refusal in (None, ErrorCode.JOB_NOT_RUNNING)
            progress = slurper.get_job_progress(ACCOUNT, job_id)
            logs = all_logs(slurper, job_id)
            check_invariants(progress, logs)
            if progress["status"] == "completed":
                break
            slurper.move_job(ACCOUNT, job_id, "resume")
        assert MIN_OBJECTS <= progress["objects"] <= MAX_OBJECTS
        assert all(entry["objectKey"].startswith("p/object-") for entry in logs if entry["objectKey"])
        assert slurper.get_job(ACCOUNT, job_id)["finishedAt"] == logs[-1]["createdAt"]
        seen_kinds.update(entry["logType"] for entry in logs)
    # The plan is random enough that 40 jobs show both kinds of trouble, so the checks above were not vacuous.
    assert seen_kinds["importErrorRetryExhaustion"] > 0
    assert sum(n for kind, n in seen_kinds.items() if kind.startswith("importSkipped")) > 0


def test_every_observation_moves_a_running_job_by_one_step() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job(ACCOUNT, s3_job_request())

    def done() -> int:
        progress = slurper.get_job_progress(ACCOUNT, job_id)
        return int(progress["transferredObjects"] + progress["failedObjects"] + progress["skippedObjects"])

    assert done() == OBJECTS_PER_STEP
    slurper.get_job(ACCOUNT, job_id)
    slurper.list_jobs(ACCOUNT)
    slurper.list_job_logs(ACCOUNT, job_id)
    assert done() == 5 * OBJECTS_PER_STEP
    slurper.advance(ACCOUNT, job_id, steps=2)
    assert done() == 8 * OBJECTS_PER_STEP


def test_a_paused_job_does_not_move() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job(ACCOUNT, s3_job_request())
    slurper.move_job(ACCOUNT, job_id, "pause")
    before = slurper.get_job_progress(ACCOUNT, job_id)
    slurper.advance(ACCOUNT, job_id, steps=100)
    slurper.get_job(ACCOUNT, job_id)
    assert slurper.get_job_progress(ACCOUNT, job_id) == before
    assert before["transferredObjects"] + before["failedObjects"] + before["skippedObjects"] == 0


def test_keys_are_the_objects_and_duplicates_count_once() -> None:
    slurper = new_slurper()
    keys = ["logo.svg", "css/site.css", "logo.svg", "index.html"]
    job_id = slurper.create_job(ACCOUNT, s3_job_request(keys=keys))
    slurper.advance(ACCOUNT, job_id)
    progress = slurper.get_job_progress(ACCOUNT, job_id)
    assert progress["objects"] == 3
    assert progress["status"] == "completed"
    assert slurper.get_job(ACCOUNT, job_id)["source"]["keys"] == keys
    assert {entry["objectKey"] for entry in all_logs(slurper, job_id)} <= {None, *keys}


def test_an_empty_key_list_completes_at_the_first_observation() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job(ACCOUNT, s3_job_request(keys=[]))
    progress = slurper.get_job_progress(ACCOUNT, job_id)
    assert progress["objects"] == 0
    assert progress["status"] == "completed"


def test_the_same_seed_gives_the_same_ids_progress_and_logs() -> None:
    def run(seed: int) -> list[Any]:
        slurper = new_slurper(seed=seed)
        job_id = slurper.create_job(ACCOUNT, s3_job_request())
        slurper.advance(ACCOUNT, job_id, steps=3)
        return [job_id, slurper.get_job_progress(ACCOUNT, job_id), all_logs(slurper, job_id)]

    assert run(7) == run(7)
    assert run(7)[0] != run(8)[0]
    assert uuid.UUID(run(7)[0]).version == 4


def test_timestamps_come_from_the_clock() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job(ACCOUNT, s3_job_request())
    job = slurper.get_job(ACCOUNT, job_id)
    assert job["createdAt"] == "2026-11-20T09:15:02.118Z" == format_timestamp(CLOCK_START)
    assert job["finishedAt"] is None
    assert all_logs(slurper, job_id)[0]["createdAt"] == job["createdAt"]


def test_job_responses_keep_only_the_reported_fields() -> None:
    slurper = new_slurper()
    request = s3_job_request(region="us-east-1", endpoint="https://s3.example.com", pathPrefix="a/")
    request["target"]["jurisdiction"] = "eu"
    job = slurper.get_job(ACCOUNT, slurper.create_job(ACCOUNT, request))
    assert job["source"] == {
        "vendor": "s3",
        "bucket": "media-archive",
        "endpoint": "https://s3.example.com",
        "pathPrefix": "a/",
        "keys": None,
    }
    assert job["target"] == {"vendor": "r2", "bucket": "target-bucket", "jurisdiction": "eu"}
    r2 = {"vendor": "r2", "bucket": "old", "secret": {"accessKeyId": "k", "secretAccessKey": "s"}}
    job = slurper.get_job(ACCOUNT, slurper.create_job(ACCOUNT, {"source": r2}))
    assert job["source"] == {
        "vendor": "r2",
        "bucket": "old",
        "jurisdiction": "default",
        "pathPrefix": None,
        "keys": None,
    }
    assert "target" not in job
    assert job["overwrite"] is True


def test_accounts_are_isolated() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job("account-a", s3_job_request())
    assert slurper.list_jobs("account-b") == []
    pause = functools.partial(slurper.move_job, operation="pause")
    for action in (slurper.get_job, slurper.get_job_progress, pause, slurper.delete_job):
        with pytest.raises(SlurperError) as raised:
            action("account-b", job_id)
        assert raised.value.error is ErrorCode.JOB_NOT_FOUND
    slurper.abort_all_jobs("account-b")
    assert slurper.get_job("account-a", job_id)["status"] == "running"


def test_the_cap_counts_running_and_paused_jobs_only() -> None:
    slurper = new_slurper(max_concurrent_jobs=2)
    first = slurper.create_job(ACCOUNT, s3_job_request())
    second = slurper.create_job(ACCOUNT, s3_job_request())
    slurper.move_job(ACCOUNT, second, "pause")
    with pytest.raises(SlurperError) as raised:
        slurper.create_job(ACCOUNT, s3_job_request())
    assert raised.value.error is ErrorCode.TOO_MANY_CONCURRENT_JOBS
    slurper.create_job("another-account", s3_job_request())
    slurper.advance(ACCOUNT, first, steps=MAX_OBJECTS)
    third = slurper.create_job(ACCOUNT, s3_job_request())
    slurper.move_job(ACCOUNT, second, "abort")
    slurper.create_job(ACCOUNT, s3_job_request())
    assert [job["id"] for job in slurper.list_jobs(ACCOUNT)][:3] == [first, second, third]


def test_jobs_are_listed_in_creation_order_one_page_at_a_time() -> None:
    slurper = new_slurper(max_concurrent_jobs=100)
    job_ids = [slurper.create_job(ACCOUNT, s3_job_request()) for _ in range(25)]
    assert [job["id"] for job in slurper.list_jobs(ACCOUNT)] == job_ids[:DEFAULT_PAGE_LIMIT]
    assert [job["id"] for job in slurper.list_jobs(ACCOUNT, limit=10, offset=10)] == job_ids[10:20]
    assert [job["id"] for job in slurper.list_jobs(ACCOUNT, limit=50, offset=20)] == job_ids[20:]
    assert slurper.list_jobs(ACCOUNT, offset=25) == []


def test_logs_are_paged_in_time_order() -> None:
    slurper = new_slurper()
    job_id = slurper.create_job(ACCOUNT, s3_job_request(keys=[f"k{n}" for n in range(200)]))
    slurper.advance(ACCOUNT, job_id, steps=MAX_OBJECTS)
    logs = all_logs(slurper, job_id)
    assert len(logs) > DEFAULT_PAGE_LIMIT
    assert slurper.list_job_logs(ACCOUNT, job_id) == logs[:DEFAULT_PAGE_LIMIT]
    pages = [slurper.list_job_logs(ACCOUNT, job_id, limit=7, offset=offset) for offset in range(0, len(logs), 7)]
    assert [entry for page in pages for entry in page] == logs
