"""The jobs of a user through the HTTP API: the seeded states, processing one step per read, results and refunds,
per-user ids, deletion, and the 30-day retention."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.seed import STANDARD_JOBS
from mock_server.tests.clocks import CLOCK_START, ManualClock
from mock_server.tests.rekosearch.conftest import assert_error

pytestmark = pytest.mark.anyio

DATE = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\.(\d{9}) UTC")


async def listed(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/jobs/list")
    assert response.status_code == 200, response.text
    jobs: list[dict[str, Any]] = response.json()["jobs"]
    return jobs


async def details(client: httpx.AsyncClient, job_id: int) -> dict[str, Any]:
    response = await client.get("/api/v1/jobs/get", params={"job-id": job_id})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_user_starts_with_five_jobs_one_in_each_state(client: httpx.AsyncClient) -> None:
    jobs = await listed(client)

    assert [(job["job_id"], job["job_name"], job["status"], job["credits_spent"]) for job in jobs] == [
        (1, "old family scans", "failed_credits_restored", 0),
        (2, "beach photos", "success", 2),
        (3, "keynote recording", "success", 7),
        (4, None, "processing_40%", 4),
        (5, "receipts march", "queued", 5),
    ]
    assert [job["status_meaning"] for job in jobs] == [
        "Job failed; its files were deleted and its credits restored",
        "Job completed successfully",
        "Job completed successfully",
        "Job is being processed (40% done)",
        "Job is queued for processing",
    ]
    assert [job["total_size"] for job in jobs] == [52428800, 48213, 78643200, 8447514, 4194304]


async def test_dates_carry_nine_fractional_digits_and_say_utc(client: httpx.AsyncClient) -> None:
    jobs = await listed(client)

    for job, upload in zip(jobs, STANDARD_JOBS, strict=True):
        match = DATE.fullmatch(job["date"])
        assert match is not None, job["date"]
        created = CLOCK_START - upload.age
        assert match[1] == f"{created:%Y-%m-%d %H:%M:%S}"
        assert match[2][:6] == f"{created.microsecond:06d}"
    assert [job["date"] for job in jobs] == sorted(job["date"] for job in jobs)


async def test_a_processed_job_has_results_for_every_object_but_the_failed_ones(
    client: httpx.AsyncClient, users: list[User]
) -> None:
    body = await details(client, 2)
    info = body["job_info"]

    assert info["user_id"] == users[0].user_id
    assert (info["job_id"], info["email"], info["status"]) == (2, "ana.popescu@example.com", "success")
    names = info["object_uuid_names"]
    assert sorted(names.values()) == ["beach.jpg", "pier.heic", "sunset.png"]
    assert all(re.fullmatch(r"[0-9a-f-]{36}\.(jpg|png|heic)", uuid) for uuid in names)
    failed = {uuid for uuid, name in names.items() if name == "pier.heic"}
    assert info["failed_to_process"] == dict.fromkeys(failed, "Unsupported media format")
    assert set(body["results"]) == set(names) - failed
    assert info["media_length"] == dict.fromkeys(names, 1)


async def test_media_length_may_be_a_string_and_a_job_may_have_no_email(client: httpx.AsyncClient) -> None:
    info = (await details(client, 3))["job_info"]

    assert info["email"] is None
    assert sorted(info["media_length"].values()) == ["291.52", "64.2"]


async def test_a_critically_failed_job_is_refunded_and_has_no_results(client: httpx.AsyncClient) -> None:
    body = await details(client, 1)

    assert (body["job_info"]["status"], body["job_info"]["credits_spent"]) == ("failed_credits_restored", 0)
    assert body["results"] == {}
    assert body["job_info"]["failed_to_process"] == {}


async def test_a_queued_job_moves_one_step_per_read_and_ends_with_results_and_refunds(
    client: httpx.AsyncClient,
) -> None:
    seen = []
    for _ in range(12):
        body = await details(client, 5)
        seen.append((body["job_info"]["status"], body["job_info"]["credits_spent"], len(body["results"])))

    assert [status for status, _, _ in seen] == [
        "queued",
        "processing",
        *(f"processing_{percent}%" for percent in range(10, 100, 10)),
        "success",
    ]
    assert {(credits, results) for _, credits, results in seen[:-1]} == {(5, 0)}
    assert seen[-1][1:] == (4, 1)
    final = await details(client, 5)
    assert final["job_info"]["status"] == "success"
    assert list(final["job_info"]["failed_to_process"].values()) == ["The file is corrupted"]


async def test_listing_moves_every_unfinished_job_on_too(client: httpx.AsyncClient) -> None:
    first = {job["job_id"]: job["status"] for job in await listed(client)}
    second = {job["job_id"]: job["status"] for job in await listed(client)}

    assert (first[4], first[5]) == ("processing_40%", "queued")
    assert (second[4], second[5]) == ("processing_50%", "processing")
    assert [first[job_id] for job_id in (1, 2, 3)] == [second[job_id] for job_id in (1, 2, 3)]


async def test_a_job_can_be_walked_to_success_without_reading_it(
    client: httpx.AsyncClient, jobs: RekoSearchJobs, users: list[User]
) -> None:
    jobs.advance(users[0], 4, steps=6)

    assert (await details(client, 4))["job_info"]["status"] == "success"
    with pytest.raises(Exception, match="The job does not exist"):
        jobs.advance(users[0], 99)


async def test_job_ids_are_per_user(
    client: httpx.AsyncClient, second_client: httpx.AsyncClient, users: list[User]
) -> None:
    mine, theirs = await details(client, 1), await details(second_client, 1)

    assert mine["job_info"]["user_id"] == users[0].user_id
    assert theirs["job_info"]["user_id"] == users[1].user_id
    assert set(mine["job_info"]["object_uuid_names"]).isdisjoint(theirs["job_info"]["object_uuid_names"])
    assert [job["job_id"] for job in await listed(second_client)] == [1, 2, 3, 4, 5, 6, 7]
    for job_id in (6, 7):
        assert_error(
            await client.get("/api/v1/jobs/get", params={"job-id": job_id}),
            404,
            "The job does not exist",
            "job-id: number",
        )
        assert (await details(second_client, job_id))["job_info"]["user_id"] == users[1].user_id


async def test_delete_removes_the_job_and_answers_ok_every_time(
    client: httpx.AsyncClient, second_client: httpx.AsyncClient
) -> None:
    for job_id in (2, 2, 999, 10**30):
        response = await client.delete("/api/v1/jobs/delete", params={"job-id": job_id})
        assert response.status_code == 200
        assert response.json() == {"message": "Ok"}

    assert_error(
        await client.get("/api/v1/jobs/get", params={"job-id": 2}), 404, "The job does not exist", "job-id: number"
    )
    assert [job["job_id"] for job in await listed(client)] == [1, 3, 4, 5]
    assert (await details(second_client, 2))["job_info"]["job_name"] == "beach photos"


async def test_deleting_another_users_job_id_never_touches_their_job(
    client: httpx.AsyncClient, second_client: httpx.AsyncClient
) -> None:
    response = await client.delete("/api/v1/jobs/delete", params={"job-id": 6})

    assert response.json() == {"message": "Ok"}
    assert (await details(second_client, 6))["job_info"]["job_name"] == "garden plants"


async def test_jobs_older_than_30_days_disappear(client: httpx.AsyncClient, clock: ManualClock) -> None:
    clock.advance(timedelta(days=24, seconds=1).total_seconds())

    assert [job["job_id"] for job in await listed(client)] == [2, 3, 4, 5]
    assert_error(
        await client.get("/api/v1/jobs/get", params={"job-id": 1}), 404, "The job does not exist", "job-id: number"
    )
    clock.advance(timedelta(days=30).total_seconds())
    assert await listed(client) == []
