"""The simulator's own `POST /_simulator/users`: a new user with the standard jobs and a token of its own, so that a
test can change state nobody else sees. It is not part of the API."""

import httpx
import pytest

from mock_server.rekosearch.jobs import User
from mock_server.tests.rekosearch.conftest import assert_error

pytestmark = pytest.mark.anyio


async def test_a_new_user_has_the_standard_jobs_and_a_token_of_its_own(
    anonymous: httpx.AsyncClient, users: list[User]
) -> None:
    first = await anonymous.post("/_simulator/users")
    second = await anonymous.post("/_simulator/users")

    assert first.status_code == 201
    created = first.json()
    assert set(created) == {"user_id", "email", "token", "jobs"}
    assert created["jobs"] == [1, 2, 3, 4, 5]
    assert created["token"] != second.json()["token"]
    assert created["user_id"] not in {user.user_id for user in users} | {second.json()["user_id"]}
    headers = {"Authorization": created["token"]}
    listed = await anonymous.get("/api/v1/jobs/list", headers=headers)
    assert [job["job_id"] for job in listed.json()["jobs"]] == [1, 2, 3, 4, 5]
    job = await anonymous.get("/api/v1/jobs/get?job-id=1", headers=headers)
    assert job.json()["job_info"]["user_id"] == created["user_id"]


async def test_a_new_users_changes_are_its_own(anonymous: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    headers = {"Authorization": (await anonymous.post("/_simulator/users")).json()["token"]}

    await anonymous.delete("/api/v1/jobs/delete?job-id=2", headers=headers)

    assert (await anonymous.get("/api/v1/jobs/get?job-id=2", headers=headers)).status_code == 404
    assert (await client.get("/api/v1/jobs/get?job-id=2")).status_code == 200


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_only_post_makes_users(anonymous: httpx.AsyncClient, method: str) -> None:
    assert_error(await anonymous.request(method, "/_simulator/users"), 404, "Not Found")
