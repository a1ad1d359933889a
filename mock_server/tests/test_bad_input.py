"""Bad input gets a 4xx failure envelope whose message names the problem; unknown paths and methods too."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mock_server.slurper.app import MAX_BODY_BYTES
from mock_server.tests.conftest import assert_failure, s3_job_request

pytestmark = pytest.mark.anyio

JOBS = "/accounts/acct/slurper/jobs"
JOB = f"{JOBS}/00000000-0000-4000-8000-000000000000"
SOURCE_PRECHECK = "/accounts/acct/slurper/source/connectivity-precheck"
TARGET_PRECHECK = "/accounts/acct/slurper/target/connectivity-precheck"


def with_source(**changes: Any) -> dict[str, Any]:
    body = s3_job_request()
    body["source"].update(changes)
    return body


def without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return body


@pytest.mark.parametrize(
    ("path", "body", "message", "pointer"),
    [
        # A job needs a source and a target (assumed: openapi/slurper.yaml marks why); Cloudflare's schema and SDKs
        # leave them optional.
        (JOBS, {}, "Invalid request body: 'source' is a required property", "/source"),
        (JOBS, without(s3_job_request(), "target"), "Invalid request body: 'target' is a required property", "/target"),
        (
            JOBS,
            without(s3_job_request(), "source", "bucket"),
            "Invalid request body: 'bucket' is a required property (at source)",
            "/source/bucket",
        ),
        (
            JOBS,
            {**s3_job_request(), "overwrite": "yes"},
            "Invalid request body: 'yes' is not of type 'boolean' (at overwrite)",
            "/overwrite",
        ),
        (
            JOBS,
            with_source(vendor="ftp"),
            "Invalid request body: 'ftp' is not one of ['s3', 'gcs', 'r2'] (at source/vendor)",
            "/source/vendor",
        ),
        (
            JOBS,
            without(s3_job_request(), "source", "vendor"),
            "Invalid request body: 'vendor' is a required property (at source)",
            "/source/vendor",
        ),
        (
            JOBS,
            with_source(vendor="gcs"),
            "Invalid request body: 'clientEmail' is a required property (at source/secret)",
            "/source/secret/clientEmail",
        ),
        (
            JOBS,
            with_source(bucket=""),
            "Invalid request body: '' should be non-empty (at source/bucket)",
            "/source/bucket",
        ),
        (
            JOBS,
            with_source(endpoint="http://s3.example.com"),
            "Invalid request body: 'http://s3.example.com' does not match '^https://' (at source/endpoint)",
            "/source/endpoint",
        ),
        (
            JOBS,
            with_source(endpoint="https://exa mple.com"),
            "Invalid request body: 'https://exa mple.com' is not a 'uri' (at source/endpoint)",
            "/source/endpoint",
        ),
        (
            JOBS,
            with_source(keys=["k"] * 10_001),
            "Invalid request body: an array is too long (at source/keys)",
            "/source/keys",
        ),
        (
            JOBS,
            {**s3_job_request(), "target": {**s3_job_request()["target"], "vendor": "s3"}},
            "Invalid request body: 'r2' was expected (at target/vendor)",
            "/target/vendor",
        ),
        (JOBS, [s3_job_request()], "Invalid request body: an array is not of type 'object'", ""),
        (
            SOURCE_PRECHECK,
            {"vendor": "r2", "bucket": "b"},
            "Invalid request body: 'secret' is a required property",
            "/secret",
        ),
        (
            TARGET_PRECHECK,
            {**s3_job_request()["target"], "jurisdiction": "mars"},
            "Invalid request body: 'mars' is not one of ['default', 'eu', 'fedramp'] (at jurisdiction)",
            "/jurisdiction",
        ),
    ],
)
async def test_an_invalid_body_is_named(
    client: httpx.AsyncClient, path: str, body: Any, message: str, pointer: str
) -> None:
    response = await client.request("POST" if path == JOBS else "PUT", path, json=body)
    assert assert_failure(response, 400, 10001) == message
    error = response.json()["errors"][0]
    assert error["source"] == {"pointer": pointer}
    assert error["documentation_url"].startswith("https://developers.cloudflare.com/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=51", "Invalid query parameter 'limit': 51 is greater than the maximum of 50"),
        ("limit=0", "Invalid query parameter 'limit': 0 is less than the minimum of 1"),
        ("offset=-1", "Invalid query parameter 'offset': -1 is less than the minimum of 0"),
        ("limit=ten", "Invalid query parameter 'limit': 'ten' is not of type 'integer'"),
        ("limit=2.5", "Invalid query parameter 'limit': '2.5' is not of type 'integer'"),
        ("limit=", "Invalid query parameter 'limit': '' is not of type 'integer'"),
        ("offset=1&offset=2", "Invalid query parameter 'offset': sent 2 times, expected once"),
    ],
)
@pytest.mark.parametrize("path", [JOBS, f"{JOB}/logs"])
async def test_an_invalid_query_parameter_is_named(
    client: httpx.AsyncClient, path: str, query: str, message: str
) -> None:
    assert assert_failure(await client.get(f"{path}?{query}"), 400, 10001) == message


async def test_unknown_query_parameters_are_ignored(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{JOBS}?per_page=5&limit=5")).status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code", "message"),
    [
        (b"{", "application/json", 400, 10002, "Malformed JSON in request body: Expecting property name"),
        (b'{"overwrite": NaN}', "application/json", 400, 10002, "Malformed JSON in request body: NaN is not valid"),
        (b"\xff\xfe\xfd", "application/json", 400, 10002, "Malformed JSON in request body"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, 10002, "Malformed JSON in request body: nested too"),
        (b"", "application/json", 400, 10001, "Invalid request body: a body is required (application/json)"),
        (b"{}", "text/plain", 400, 10003, "Unsupported media type: sent Content-Type 'text/plain', expected"),
        (b"{}", None, 400, 10003, "Unsupported media type: sent no Content-Type header, expected application/json"),
    ],
)
async def test_a_body_that_is_not_json_is_named(
    client: httpx.AsyncClient, content: bytes, content_type: str | None, status: int, code: int, message: str
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await client.post(JOBS, content=content, headers=headers)
    assert assert_failure(response, status, code).startswith(message)


async def test_json_content_type_parameters_are_accepted(client: httpx.AsyncClient) -> None:
    content = json.dumps(s3_job_request()).encode()
    response = await client.post(JOBS, content=content, headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert response.status_code == 201, response.text


async def test_a_body_over_one_mebibyte_is_refused(client: httpx.AsyncClient) -> None:
    body = json.dumps({**s3_job_request(), "padding": "x" * MAX_BODY_BYTES}).encode()
    response = await client.post(JOBS, content=body, headers={"Content-Type": "application/json"})
    assert "1 MiB" in assert_failure(response, 413, 10004)


async def test_a_streamed_body_over_one_mebibyte_is_refused(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 65_536

    response = await client.post(JOBS, content=chunks(), headers={"Content-Type": "application/json"})
    assert "Content-Length" not in response.request.headers
    assert_failure(response, 413, 10004)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/acct/slurper/nothing",
        "/accounts/acct/slurper/jobs/",
        "/accounts/acct/slurper",
        "/accounts//slurper/jobs",
        "",
        "/",
        "/../../elsewhere",
    ],
)
async def test_an_unknown_path_is_404(client: httpx.AsyncClient, path: str) -> None:
    assert assert_failure(await client.get(path), 404, 7003) == "No route for the URI"


async def test_a_path_outside_the_base_path_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("http://testserver/accounts/acct/slurper/jobs")
    assert_failure(response, 404, 7003)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", JOBS, "GET, POST"),
        ("PATCH", JOBS, "GET, POST"),
        ("POST", f"{JOBS}/abortAll", "PUT"),
        ("GET", f"{JOBS}/abortAll", "PUT"),
        ("PUT", JOB, "GET, DELETE"),
        ("POST", f"{JOB}/pause", "PUT"),
        ("GET", SOURCE_PRECHECK, "PUT"),
        ("OPTIONS", f"{JOB}/logs", "GET"),
        ("TRACE", f"{JOB}/progress", "GET"),
        ("QUERY", JOBS, "GET, POST"),
    ],
)
async def test_a_wrong_method_is_405_with_allow(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert assert_failure(response, 405, 10405) == "Method not allowed"
    assert response.headers["Allow"] == allowed


async def test_head_is_a_wrong_method_too(client: httpx.AsyncClient) -> None:
    response = await client.head(JOBS)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"


async def test_cloudflare_sdk_headers_are_tolerated(client: httpx.AsyncClient) -> None:
    headers = {
        "User-Agent": "Cloudflare/Python 4.3.1",
        "X-Stainless-Lang": "python",
        "X-Stainless-Retry-Count": "0",
        "api-version": "2026-11-22",
        "Accept": "application/json",
    }
    assert (await client.get(JOBS, headers=headers)).status_code == 200


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"", {}),
        (b"", {"Content-Type": "application/json"}),
        (b"{}", {"Content-Type": "application/json"}),
        (b"{}", {}),
        (b"ignored", {"Content-Type": "text/plain"}),
    ],
    ids=["nothing", "json header only", "empty object", "empty object without header", "anything"],
)
async def test_body_less_actions_ignore_what_they_are_sent(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str]
) -> None:
    job_id = (await client.post(JOBS, json=s3_job_request())).json()["result"]["id"]
    for action in ("pause", "resume", "abort"):
        response = await client.put(f"{JOBS}/{job_id}/{action}", content=content, headers=headers)
        assert response.status_code == 200, response.text
    response = await client.put(f"{JOBS}/abortAll", content=content, headers=headers)
    assert response.status_code == 200, response.text


async def test_any_account_id_and_encoded_characters_work(client: httpx.AsyncClient) -> None:
    account = "acct%2Fwith%20slash%0Aand-newline"
    job_id = (await client.post(f"/accounts/{account}/slurper/jobs", json=s3_job_request())).json()["result"]["id"]
    assert (await client.get(f"/accounts/{account}/slurper/jobs/{job_id}")).status_code == 200
    assert_failure(await client.get(f"/accounts/acct/slurper/jobs/{job_id}"), 404, 10404)
