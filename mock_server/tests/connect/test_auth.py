"""API keys and roles: `Authorization: Key <api key>`; owners, collaborators and administrators may use every jobs
operation, viewers get 403 on every one, and a missing or unknown key 401, always with Connect's error body."""

import httpx
import pytest

from mock_server.connect.auth import DEFAULT_KEYS, ApiKeys, Role
from mock_server.connect.seed import REPORT, SHINY_APP
from mock_server.tests.connect.conftest import assert_error, key_headers

pytestmark = pytest.mark.anyio

JOB = f"/v1/content/{SHINY_APP}/jobs/QBZ5jkKfmf9iT9k8"
# Every operation, on a job that is not active (so that an allowed kill is a 409, not a change).
REQUESTS = [
    ("GET", f"/v1/content/{SHINY_APP}/jobs"),
    ("GET", JOB),
    ("DELETE", JOB),
    ("GET", f"{JOB}/download"),
    ("GET", f"{JOB}/error"),
    ("GET", f"{JOB}/log"),
    ("GET", f"{JOB}/tail"),
]
ALLOWED_STATUS = {"DELETE": 409, "GET": 200}


@pytest.mark.parametrize(("method", "path"), REQUESTS)
@pytest.mark.parametrize("role", [Role.OWNER, Role.COLLABORATOR, Role.ADMINISTRATOR])
async def test_owners_collaborators_and_administrators_may(
    anonymous_client: httpx.AsyncClient, role: Role, method: str, path: str
) -> None:
    response = await anonymous_client.request(method, path, headers=key_headers(role))
    assert response.status_code in (ALLOWED_STATUS[method], 204), response.text


@pytest.mark.parametrize(("method", "path"), REQUESTS)
async def test_viewers_get_403_on_every_operation(anonymous_client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await anonymous_client.request(method, path, headers=key_headers(Role.VIEWER))
    message = assert_error(response, 403, 22)
    assert message == "You don't have permission to perform this operation."


async def test_a_viewer_cannot_kill_an_active_job(client: httpx.AsyncClient) -> None:
    running = f"/v1/content/{SHINY_APP}/jobs/IuzpAzG329zvnt9s"
    assert_error(await client.delete(running, headers=key_headers(Role.VIEWER)), 403, 22)
    assert (await client.get(running)).json()["status"] == 0


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Key",
        "Key    ",
        "Key not-a-key",
        f"Bearer {DEFAULT_KEYS[Role.OWNER]}",
        DEFAULT_KEYS[Role.OWNER],
        f"Key {DEFAULT_KEYS[Role.OWNER]}x",
    ],
    ids=["absent", "blank", "scheme-only", "blank-key", "unknown-key", "bearer", "bare-key", "longer-key"],
)
@pytest.mark.parametrize(("method", "path"), REQUESTS)
async def test_a_missing_or_unknown_key_is_401_code_24(
    anonymous_client: httpx.AsyncClient, authorization: str | None, method: str, path: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await anonymous_client.request(method, path, headers=headers)
    message = assert_error(response, 401, 24)
    assert message == "The requested operation requires authentication."
    assert DEFAULT_KEYS[Role.OWNER] not in response.text


async def test_the_scheme_word_is_not_case_sensitive(anonymous_client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"key {DEFAULT_KEYS[Role.OWNER]}"}
    assert (await anonymous_client.get(f"/v1/content/{REPORT}/jobs", headers=headers)).status_code == 200


async def test_authentication_comes_before_validation(anonymous_client: httpx.AsyncClient) -> None:
    assert_error(await anonymous_client.get("/v1/content/not-a-guid/jobs"), 401, 24)


def test_keys_must_be_distinct_and_present() -> None:
    with pytest.raises(ValueError, match="of its own"):
        ApiKeys({role: "same" for role in Role})
    with pytest.raises(ValueError, match="non-blank"):
        ApiKeys({**DEFAULT_KEYS, Role.VIEWER: " "})
    assert DEFAULT_KEYS[Role.OWNER] not in repr(ApiKeys())
