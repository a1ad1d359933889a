"""Secret hygiene of every generated package: tokens, API keys, `secretAccessKey` and `privateKey` never appear in
repr()/str() of clients or models, in log records (httpx, httpcore, httpx-retries, the package's own), or in
exception messages, whatever the server echoes back."""

import asyncio
import logging
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.runtime.calls import CREATE_JOB, CREDENTIALS, ERROR_BODIES, READS, SLURPER_URL, Call, answer
from generated_client import slurper
from generated_client.slurper.models import (
    CreateJobRequest,
    GCSCredentials,
    GCSSource,
    R2Target,
    S3Credentials,
    S3Source,
)

SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET"
PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"
)
LEGACY_KEY = "144c9defac04969c7bfad8efaa8ea194"


def _body() -> CreateJobRequest:
    return CreateJobRequest(
        source=S3Source(
            vendor="s3",
            bucket="media",
            secret=S3Credentials(access_key_id="AKIAIOSFODNN7EXAMPLE", secret_access_key=SECRET_ACCESS_KEY),
        ),
        target=R2Target(
            vendor="r2",
            bucket="media",
            secret=S3Credentials(access_key_id="9f2c1a7b4e8d3f6a", secret_access_key=SECRET_ACCESS_KEY),
        ),
    )


def test_models_never_show_a_secret_but_still_send_it() -> None:
    body = _body()
    gcs = GCSSource(vendor="gcs", bucket="b", secret=GCSCredentials(client_email="a@b.iam", private_key=PRIVATE_KEY))

    for model in (body, body.source, body.target, gcs, gcs.secret):
        for text in (repr(model), str(model)):
            assert SECRET_ACCESS_KEY not in text
            assert "PRIVATE KEY" not in text
    assert "secret_access_key='<redacted>'" in repr(body.source.secret)
    assert "private_key='<redacted>'" in repr(gcs.secret)
    assert "AKIAIOSFODNN7EXAMPLE" in repr(body)  # only the secrets are hidden
    assert body.to_dict()["source"]["secret"]["secretAccessKey"] == SECRET_ACCESS_KEY
    assert gcs.to_dict()["secret"]["privateKey"] == PRIVATE_KEY


@pytest.mark.parametrize("call", READS, ids=str)
def test_clients_never_show_their_credentials(call: Call) -> None:
    clients = [
        call.client(),
        call.client().with_retry(max_retries=0),
        call.client(headers={"X-Extra": CREDENTIALS[call.api]}),
    ]
    for client in clients:
        for text in (repr(client), str(client)):
            assert CREDENTIALS[call.api] not in text
    legacy = slurper.AuthenticatedClient(
        base_url=SLURPER_URL,
        token=LEGACY_KEY,
        prefix="",
        auth_header_name="X-Auth-Key",
        headers={"X-Auth-Email": "ops@example.com"},
    )
    assert LEGACY_KEY not in repr(legacy)
    assert "ops@example.com" not in repr(legacy)


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{record.name} {record.getMessage()} {record.args!r}" for record in caplog.records)


@pytest.mark.parametrize("call", READS, ids=str)
def test_no_credential_reaches_a_log_record(call: Call, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(
            side_effect=[httpx.ReadError("reset"), answer(429, headers={"Retry-After": "1"}), answer(200, call.success)]
        )
        call.sync(call.client())
        router.route(method=call.method, url=call.url).mock(return_value=answer(401, ERROR_BODIES[call.api](401)))
        with pytest.raises(call.package.errors.AuthenticationError):
            asyncio.run(call.asyncio(call.client(raise_on_error=True)))

    logged = _everything_logged(caplog)
    assert "httpx_retries" in logged or "httpx" in logged  # the loggers did record this traffic
    assert CREDENTIALS[call.api] not in logged


def test_a_job_creation_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        route = router.route(method="POST", url=CREATE_JOB.url).mock(return_value=answer(201, CREATE_JOB.success))
        slurper.api.r2_super_slurper.slurper_create_job.sync_detailed(
            CREATE_JOB.args[0], client=CREATE_JOB.client(), body=_body()
        )
    assert SECRET_ACCESS_KEY.encode() in route.calls.last.request.content  # sent, as it must be
    assert SECRET_ACCESS_KEY not in _everything_logged(caplog)


def _echo_of(body: Any) -> dict[str, Any]:
    return {
        "success": False,
        "errors": [{"code": 10001, "message": "bad source"}],
        "messages": [],
        "result": None,
        "echo": body,
    }


@pytest.mark.parametrize("status", [400, 500, 520])
def test_an_echoed_secret_never_reaches_an_exception_message(status: int) -> None:
    echoed = _echo_of(_body().to_dict())
    for response in (answer(status, echoed), answer(status, {"secretAccessKey": SECRET_ACCESS_KEY, "token": "x"})):
        with respx.mock() as router:
            router.route(method="POST", url=CREATE_JOB.url).mock(return_value=response)
            with pytest.raises(slurper.errors.APIStatusError) as raised:
                CREATE_JOB.module.sync_detailed(
                    CREATE_JOB.args[0], client=CREATE_JOB.client(raise_on_error=True), body=_body()
                )
        for text in (str(raised.value), repr(raised.value)):
            assert SECRET_ACCESS_KEY not in text
            assert CREDENTIALS["slurper"] not in text
        assert raised.value.body is not None  # the whole body stays available to the caller


@pytest.mark.parametrize("call", READS, ids=str)
def test_connection_errors_name_the_request_but_not_its_credentials(call: Call) -> None:
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(call.package.errors.APIConnectionError) as raised:
            call.sync(call.client(retry=call.package.RetryPolicy.disabled()))
    assert call.method in str(raised.value)
    assert CREDENTIALS[call.api] not in str(raised.value)
    assert CREDENTIALS[call.api] not in repr(raised.value)
