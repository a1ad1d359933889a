"""Authentication on every operation the document lists: the three ways to fail, and the two ways to succeed."""

from typing import Any

import httpx
import pytest

from mock_server.openapi import Operation
from mock_server.slurper.app import SlurperApi
from mock_server.slurper.auth import DEFAULT_EMAIL, DEFAULT_KEY, DEFAULT_TOKEN, Credentials
from mock_server.tests.conftest import EMAIL_KEY_HEADERS, TOKEN_HEADERS, assert_failure, s3_job_request

pytestmark = pytest.mark.anyio

OPERATIONS = sorted(SlurperApi.load_document().operations.values(), key=lambda operation: operation.operation_id)
REQUEST_BODIES: dict[str, Any] = {
    "slurper-create-job": s3_job_request(),
    "slurper-check-source-connectivity": s3_job_request()["source"],
    "slurper-check-target-connectivity": s3_job_request()["target"],
}
MISSING = (400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
BAD_TOKEN = (403, 10000, "Authentication error")
BAD_KEY = (403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
FAILURES = {
    "no credentials": ({}, MISSING),
    "blank credentials": ({"Authorization": " ", "X-Auth-Email": "", "X-Auth-Key": ""}, MISSING),
    "wrong token": ({"Authorization": "Bearer not-the-token"}, BAD_TOKEN),
    "token without Bearer": ({"Authorization": DEFAULT_TOKEN}, BAD_TOKEN),
    "basic auth": ({"Authorization": "Basic bW9jazptb2Nr"}, BAD_TOKEN),
    "wrong key": ({"X-Auth-Email": DEFAULT_EMAIL, "X-Auth-Key": "not-the-key"}, BAD_KEY),
    "wrong email": ({"X-Auth-Email": "someone@example.com", "X-Auth-Key": DEFAULT_KEY}, BAD_KEY),
    "email only": ({"X-Auth-Email": DEFAULT_EMAIL}, BAD_KEY),
    "key only": ({"X-Auth-Key": DEFAULT_KEY}, BAD_KEY),
}


def build_request(operation: Operation, headers: dict[str, str]) -> dict[str, Any]:
    path = operation.path_template.format(account_id="auth-account", job_id="00000000-0000-4000-8000-000000000000")
    request: dict[str, Any] = {"method": operation.method, "url": path, "headers": headers}
    if operation.operation_id in REQUEST_BODIES:
        request["json"] = REQUEST_BODIES[operation.operation_id]
    return request


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.operation_id)
@pytest.mark.parametrize("failure", list(FAILURES))
async def test_every_operation_rejects_bad_credentials(
    anonymous_client: httpx.AsyncClient, operation: Operation, failure: str
) -> None:
    headers, (status, code, message) = FAILURES[failure]
    response = await anonymous_client.request(**build_request(operation, headers))
    assert assert_failure(response, status, code) == message


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.operation_id)
@pytest.mark.parametrize("headers", [TOKEN_HEADERS, EMAIL_KEY_HEADERS], ids=["token", "email and key"])
async def test_every_operation_accepts_either_scheme(
    anonymous_client: httpx.AsyncClient, operation: Operation, headers: dict[str, str]
) -> None:
    response = await anonymous_client.request(**build_request(operation, headers))
    # The job in the path does not exist, so operations on it say so; everything else succeeds.
    expected = 404 if "{job_id}" in operation.path_template else (201 if operation.method == "POST" else 200)
    assert response.status_code == expected, response.text


async def test_the_email_is_not_case_sensitive(anonymous_client: httpx.AsyncClient) -> None:
    headers = {"X-Auth-Email": DEFAULT_EMAIL.upper(), "X-Auth-Key": DEFAULT_KEY}
    assert (await anonymous_client.get("/accounts/a/slurper/jobs", headers=headers)).status_code == 200


async def test_a_token_header_decides_even_next_to_an_email_and_key(anonymous_client: httpx.AsyncClient) -> None:
    good_token_bad_key = {**TOKEN_HEADERS, "X-Auth-Email": DEFAULT_EMAIL, "X-Auth-Key": "wrong"}
    assert (await anonymous_client.get("/accounts/a/slurper/jobs", headers=good_token_bad_key)).status_code == 200
    bad_token_good_key = {"Authorization": "Bearer wrong", **EMAIL_KEY_HEADERS}
    response = await anonymous_client.get("/accounts/a/slurper/jobs", headers=bad_token_good_key)
    assert_failure(response, 403, 10000)


def test_credentials_do_not_show_their_secrets() -> None:
    shown = repr(Credentials(token="tok-SECRET", email="me@example.com", key="key-SECRET"))
    assert "SECRET" not in shown
    assert "me@example.com" in shown
