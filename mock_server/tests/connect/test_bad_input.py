"""Bad input gets Connect's error body and a 4xx, never a 5xx: malformed GUIDs, bad parameters, unknown paths and
methods (the last answered like Connect's Go router answers them)."""

import httpx
import pytest

from mock_server.connect.seed import SHINY_APP
from mock_server.tests.connect.conftest import assert_error

pytestmark = pytest.mark.anyio

JOB = f"/v1/content/{SHINY_APP}/jobs/QBZ5jkKfmf9iT9k8"


@pytest.mark.parametrize(
    "guid", ["not-a-guid", "8f37d6e0", "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0x", "%00", "8f37d6e0%2F3395"]
)
@pytest.mark.parametrize("suffix", ["/jobs", "/jobs/QBZ5jkKfmf9iT9k8", "/jobs/QBZ5jkKfmf9iT9k8/log"])
async def test_a_guid_that_is_not_one_is_400_code_3(client: httpx.AsyncClient, guid: str, suffix: str) -> None:
    message = assert_error(await client.get(f"/v1/content/{guid}{suffix}"), 400, 3)
    assert message == "The requested object ID is invalid."


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1.5", "", "1e3"])
async def test_a_bad_max_log_lines_is_400_code_25_naming_it(client: httpx.AsyncClient, value: str) -> None:
    message = assert_error(await client.get(f"{JOB}/log", params={"maxLogLines": value}), 400, 25)
    assert message.startswith("The parameter is invalid. Invalid query parameter 'maxLogLines'")


async def test_max_log_lines_sent_twice_is_400(client: httpx.AsyncClient) -> None:
    assert_error(await client.get(f"{JOB}/log?maxLogLines=1&maxLogLines=2"), 400, 25)


async def test_a_huge_max_log_lines_is_fine(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{JOB}/log", params={"maxLogLines": str(10**30)})
    assert response.status_code == 200
    assert len(response.json()["entries"]) == 8


async def test_unknown_parameters_are_ignored(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{JOB}/log", params={"page": "2"})).status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/content", "/v1/content/x/jobs/y/z", "/v1/nothing", "/applications/x/jobs", "/v2/content/x/jobs"]
)
async def test_an_unknown_path_is_gos_plain_text_404(anonymous_client: httpx.AsyncClient, path: str) -> None:
    response = await anonymous_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "404 page not found\n"


async def test_outside_the_base_path_is_the_same_404(app: object) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get(f"/v1/content/{SHINY_APP}/jobs")
    assert (response.status_code, response.text) == (404, "404 page not found\n")


# The methods of each route, as Go's router lists them in Allow.
ALLOWED = {f"/v1/content/{SHINY_APP}/jobs": "GET", JOB: "GET, DELETE", f"{JOB}/log": "GET", f"{JOB}/tail": "GET"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"/v1/content/{SHINY_APP}/jobs"),
        ("PUT", JOB),
        ("PATCH", f"{JOB}/log"),
        ("DELETE", f"{JOB}/tail"),
        ("HEAD", JOB),
    ],
)
async def test_an_unknown_method_is_405_with_allow(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == ALLOWED[path]
    if method != "HEAD":
        assert_error(response, 405, 2)


async def test_a_body_sent_to_a_get_is_ignored(client: httpx.AsyncClient) -> None:
    response = await client.request("GET", JOB, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
