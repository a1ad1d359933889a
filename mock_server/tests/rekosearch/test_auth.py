"""`Authorization: <token>`, bare or after `Bearer `; without a token or with a wrong one, API Gateway's 401 comes
first. Tokens never come back in a response, a log or a repr."""

import logging

import httpx
import pytest

from mock_server.rekosearch import RekoSearchSettings
from mock_server.rekosearch.jobs import RekoSearchJobs, User
from mock_server.rekosearch.settings import DEFAULT_TOKEN, SECOND_USER_TOKEN
from mock_server.tests.rekosearch.conftest import assert_error

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "authorization", [DEFAULT_TOKEN, f"Bearer {DEFAULT_TOKEN}", f"bearer  {DEFAULT_TOKEN}", f" {DEFAULT_TOKEN} "]
)
async def test_the_token_bare_or_after_bearer_is_accepted(
    anonymous_client: httpx.AsyncClient, users: list[User], authorization: str
) -> None:
    response = await anonymous_client.get("/api/v1/jobs/get?job-id=1", headers={"Authorization": authorization})

    assert response.status_code == 200
    assert response.json()["job_info"]["user_id"] == users[0].user_id


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer "}, {"Authorization": " "}])
async def test_no_token_gets_api_gateways_401(anonymous_client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    for method, path in (("GET", "/api/v1/jobs/list"), ("DELETE", "/api/v1/jobs/delete?job-id=1")):
        response = await anonymous_client.request(method, path, headers=headers)
        assert_error(response, 401, "Unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "authorization",
    [
        "wrong-token",
        f"Basic {DEFAULT_TOKEN}",
        f"Key {DEFAULT_TOKEN}",
        DEFAULT_TOKEN.upper(),
        DEFAULT_TOKEN + "x",
        DEFAULT_TOKEN[:-1],
        f"Bearer Bearer {DEFAULT_TOKEN}",
    ],
)
async def test_a_wrong_token_gets_api_gateways_401(anonymous_client: httpx.AsyncClient, authorization: str) -> None:
    response = await anonymous_client.get("/api/v1/jobs/list", headers={"Authorization": authorization})

    assert_error(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_authentication_comes_before_the_query_parameters(anonymous_client: httpx.AsyncClient) -> None:
    assert_error(await anonymous_client.get("/api/v1/jobs/get?job-id=abc"), 401, "Unauthorized")
    assert_error(await anonymous_client.get("/api/v1/jobs/get-object-url"), 401, "Unauthorized")


async def test_each_token_is_its_own_user(
    client: httpx.AsyncClient, second_client: httpx.AsyncClient, users: list[User]
) -> None:
    mine = (await client.get("/api/v1/jobs/list")).json()["jobs"]
    theirs = (await second_client.get("/api/v1/jobs/list")).json()["jobs"]

    assert (len(mine), len(theirs)) == (5, 7)
    assert (await second_client.get("/api/v1/jobs/get?job-id=1")).json()["job_info"]["user_id"] == users[1].user_id


async def test_no_token_appears_in_a_response_a_log_or_a_repr(
    client: httpx.AsyncClient,
    anonymous_client: httpx.AsyncClient,
    jobs: RekoSearchJobs,
    users: list[User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    texts = []
    with caplog.at_level(logging.DEBUG):
        for path in (
            "/api/v1/jobs/list",
            "/api/v1/jobs/get?job-id=2",
            "/api/v1/jobs/get?job-id=abc",
            "/api/v1/jobs/get-object-url?job-id=2&object-uuid=a.png",
        ):
            texts.append((await client.get(path)).text)
        texts.append(
            (await anonymous_client.get("/api/v1/jobs/list", headers={"Authorization": DEFAULT_TOKEN + "x"})).text
        )
        texts.append((await client.delete("/api/v1/jobs/delete?job-id=2")).text)

    everything = "\n".join([*texts, caplog.text, repr(users), repr(RekoSearchSettings(token=DEFAULT_TOKEN))])
    assert DEFAULT_TOKEN not in everything
    assert SECOND_USER_TOKEN not in everything
    assert users[0].user_id in everything
