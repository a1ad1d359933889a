"""Bad input gets the API's own errors and a 4xx, never a 5xx: API Gateway's 404 for routes it does not have, the
documented 400 for a missing query parameter, the simulator's 400 for a malformed one."""

import asyncio
from urllib.parse import quote, quote_from_bytes

import httpx
import pytest
from httpx import QueryParams
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from mock_server.rekosearch import RekoSearchSettings, create_app
from mock_server.rekosearch.settings import DEFAULT_TOKEN
from mock_server.tests.apis import ORIGIN, in_process
from mock_server.tests.rekosearch.conftest import assert_error

PATHS = ("/api/v1/jobs/get", "/api/v1/jobs/get-object-url", "/api/v1/jobs/delete")
METHODS = {"/api/v1/jobs/get": "GET", "/api/v1/jobs/get-object-url": "GET", "/api/v1/jobs/delete": "DELETE"}


MISSING_JOB_ID = ("The job-id query parameter is missing", "job-id: number")
MALFORMED_JOB_ID = ("The job-id query parameter is not a valid number", "job-id: number")
MISSING_OBJECT_UUID = ("The object-uuid query parameter is missing", "object-uuid: string")
MALFORMED_VALUES = ["abc", "1.5", "0", "-1", "1e3", " 1", "0x1", "+-1", "\u0661", "1,2", "true", "null", "[1]"]
# A query each operation answers with the documented 400 (or the simulator's, for a malformed value): its message and
# the parameter it names.
BAD_QUERIES = [
    *(
        pytest.param(path, query, MISSING_JOB_ID, id=f"{path} missing job-id {query}")
        for path in PATHS
        for query in ["", "?job-id=", "?job-id", "?JOB-ID=2", "?job_id=2", "?object-uuid=a.png"]
    ),
    *(
        pytest.param(
            path,
            f"?{QueryParams({'job-id': value, 'object-uuid': 'a.png'})}",
            MALFORMED_JOB_ID,
            id=f"{path} job-id={value}",
        )
        for path in PATHS
        for value in MALFORMED_VALUES
    ),
    pytest.param("/api/v1/jobs/get", "?job-id=2&job-id=3", MALFORMED_JOB_ID, id="job-id sent twice"),
    *(
        pytest.param("/api/v1/jobs/get-object-url", query, MISSING_OBJECT_UUID, id=f"missing object-uuid {query}")
        for query in ["?job-id=2", "?job-id=2&object-uuid=", "?job-id=2&object_uuid=a.png"]
    ),
    pytest.param("/api/v1/jobs/get-object-url", "", MISSING_JOB_ID, id="with both missing, job-id is reported first"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("path", "query", "error"), BAD_QUERIES)
async def test_a_bad_query_gets_a_400_naming_the_parameter(
    client: httpx.AsyncClient, path: str, query: str, error: tuple[str, str]
) -> None:
    response = await client.request(METHODS[path], path + query)

    assert_error(response, 400, *error)


@pytest.mark.anyio
async def test_a_huge_job_id_is_a_valid_number_of_a_job_that_does_not_exist(client: httpx.AsyncClient) -> None:
    huge = "9" * 40

    assert_error(
        await client.get("/api/v1/jobs/get", params={"job-id": huge}),
        404,
        "The job does not exist",
        "job-id: number",
    )
    assert (await client.delete("/api/v1/jobs/delete", params={"job-id": huge})).json() == {"message": "Ok"}


@pytest.mark.anyio
async def test_parameters_an_operation_does_not_take_are_ignored(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/jobs/get?job-id=2&verbose=true&job-id-2=x")
    listed = await client.get("/api/v1/jobs/list?job-id=abc&limit=1")

    assert response.status_code == 200
    assert listed.status_code == 200
    assert len(listed.json()["jobs"]) == 5


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/jobs/delete?job-id=1"),
        ("POST", "/api/v1/jobs/list"),
        ("PUT", "/api/v1/jobs/get?job-id=1"),
        ("DELETE", "/api/v1/jobs/get?job-id=1"),
        ("PATCH", "/api/v1/jobs/get-object-url"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/api/v1/jobs/get/"),
        ("GET", "/api/v2/jobs/list"),
        ("GET", "/jobs/list"),
        ("GET", "/"),
        ("GET", "/api/v1/user/profile"),
    ],
)
async def test_routes_api_gateway_does_not_have_are_404_not_found_even_without_a_token(
    client: httpx.AsyncClient, anonymous_client: httpx.AsyncClient, method: str, path: str
) -> None:
    for caller in (client, anonymous_client):
        response = await caller.request(method, path)
        assert_error(response, 404, "Not Found")
        assert "allow" not in response.headers


@pytest.mark.anyio
async def test_a_body_on_a_request_is_ignored(client: httpx.AsyncClient) -> None:
    response = await client.request(
        "DELETE", "/api/v1/jobs/delete?job-id=1", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.json() == {"message": "Ok"}


APP: Starlette = create_app(RekoSearchSettings(strict=True))
NAMES = st.sampled_from(["job-id", "object-uuid", "job_id", "JOB-ID"]) | st.text(max_size=8)
QUERIES = st.lists(st.tuples(NAMES, st.binary(max_size=24)), max_size=4)


async def _send(method: str, path: str, query: bytes) -> httpx.Response:
    async with in_process(APP) as client:
        url = httpx.URL(ORIGIN + path, query=query)
        return await client.request(method, url, headers={"Authorization": DEFAULT_TOKEN})


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([*PATHS, "/api/v1/jobs/list"]), st.sampled_from(["GET", "DELETE"]), QUERIES)
def test_no_query_string_gets_a_server_error(path: str, method: str, query: list[tuple[str, bytes]]) -> None:
    """Any names, any bytes (percent-encoded, so invalid UTF-8 too)."""
    raw = "&".join(f"{quote(name, safe='')}={quote_from_bytes(value, safe='')}" for name, value in query)

    response = asyncio.run(_send(method, path, raw.encode("ascii")))

    assert response.status_code in {200, 400, 404}, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body, dict)
    else:
        assert isinstance(body["message"], str)
