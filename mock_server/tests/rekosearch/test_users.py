"""The simulator's own `POST /_simulator/users` (with `--new-user-endpoint`): a new user with the standard jobs and a
token of its own, so that a test can change state nobody else sees. It is not part of the API: it is not in the
document, it is off unless asked for, and it cannot reach another user's jobs or token."""

import httpx
import pytest

from mock_server.rekosearch import RekoSearchSettings, create_app
from mock_server.rekosearch.app import NEW_USER_PATH, RekoSearchApi
from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.settings import DEFAULT_TOKEN, SECOND_USER_TOKEN
from mock_server.tests.apis import in_process
from mock_server.tests.clocks import ManualClock
from mock_server.tests.rekosearch.conftest import assert_error

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(clock: ManualClock) -> RekoSearchSettings:
    return RekoSearchSettings(strict=True, clock=clock, new_user_endpoint=True)


async def test_a_new_user_has_the_standard_jobs_and_a_token_of_its_own(
    anonymous_client: httpx.AsyncClient, users: list[User]
) -> None:
    first = await anonymous_client.post(NEW_USER_PATH)
    second = await anonymous_client.post(NEW_USER_PATH)

    assert first.status_code == 201
    created = first.json()
    assert set(created) == {"user_id", "email", "token", "jobs"}
    assert created["jobs"] == [1, 2, 3, 4, 5]
    assert created["token"] != second.json()["token"]
    assert created["user_id"] not in {user.user_id for user in users} | {second.json()["user_id"]}
    headers = {"Authorization": created["token"]}
    listed = await anonymous_client.get("/api/v1/jobs/list", headers=headers)
    assert [job["job_id"] for job in listed.json()["jobs"]] == [1, 2, 3, 4, 5]
    job = await anonymous_client.get("/api/v1/jobs/get?job-id=1", headers=headers)
    assert job.json()["job_info"]["user_id"] == created["user_id"]


async def test_a_new_users_changes_are_its_own(anonymous_client: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    headers = {"Authorization": (await anonymous_client.post(NEW_USER_PATH)).json()["token"]}

    await anonymous_client.delete("/api/v1/jobs/delete?job-id=2", headers=headers)

    assert (await anonymous_client.get("/api/v1/jobs/get?job-id=2", headers=headers)).status_code == 404
    assert (await client.get("/api/v1/jobs/get?job-id=2")).status_code == 200


@pytest.mark.parametrize("authorization", [DEFAULT_TOKEN, SECOND_USER_TOKEN])
async def test_it_never_tells_or_reaches_another_user(
    anonymous_client: httpx.AsyncClient, second_client: httpx.AsyncClient, users: list[User], authorization: str
) -> None:
    # Sent with an existing user's token, it still makes a new user, and says nothing about the existing ones.
    created = await anonymous_client.post(NEW_USER_PATH, headers={"Authorization": authorization})

    assert created.status_code == 201
    for user in users:
        assert user.token not in created.text
        assert user.user_id not in created.text
    headers = {"Authorization": created.json()["token"]}
    not_found = await anonymous_client.get("/api/v1/jobs/get?job-id=6", headers=headers)
    assert_error(not_found, 404, "The job does not exist", "job-id: number")
    assert (await second_client.get("/api/v1/jobs/get?job-id=6")).status_code == 200


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_only_post_makes_users(anonymous_client: httpx.AsyncClient, method: str) -> None:
    assert_error(await anonymous_client.request(method, NEW_USER_PATH), 404, "Not Found")


async def test_without_the_option_it_is_api_gateways_404_like_any_unknown_path(clock: ManualClock) -> None:
    app = create_app(RekoSearchSettings(strict=True, clock=clock))
    jobs: RekoSearchJobs = app.state.jobs
    async with in_process(app) as anonymous:
        assert_error(await anonymous.post(NEW_USER_PATH), 404, "Not Found")
    assert len(jobs.users()) == 2


def test_it_is_not_part_of_the_document() -> None:
    document = RekoSearchApi.load_document()
    assert [path for path in document.contents["paths"] if not path.startswith("/api/v1/jobs/")] == []
    assert document.route("POST", NEW_USER_PATH) is None


def test_two_users_never_share_a_token() -> None:
    with pytest.raises(ValueError, match="a token of their own"):
        create_app(RekoSearchSettings(token=SECOND_USER_TOKEN))
