"""Secret hygiene of the slurper's package: `secretAccessKey` and `privateKey` never appear in repr()/str() of its
models, in log records or in exception messages, whatever the server echoes back; nor does a legacy global API key
(the credentials every package keeps alike: contract_tests/client/runtime/test_secrets.py)."""

import logging
from typing import Any

import pytest
import respx

from contract_tests.client.runtime.calls import answer, everything_logged
from contract_tests.client.slurper.calls import CREATE_JOB, URL
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


def test_a_client_with_a_legacy_key_never_shows_it() -> None:
    legacy = slurper.AuthenticatedClient(
        base_url=URL,
        token=LEGACY_KEY,
        prefix="",
        auth_header_name="X-Auth-Key",
        headers={"X-Auth-Email": "ops@example.com"},
    )
    assert LEGACY_KEY not in repr(legacy)
    assert "ops@example.com" not in repr(legacy)


def test_a_job_creation_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock() as router:
        route = router.route(method="POST", url=CREATE_JOB.url).mock(return_value=answer(201, CREATE_JOB.success))
        slurper.api.r2_super_slurper.slurper_create_job.sync_detailed(
            CREATE_JOB.args[0], client=CREATE_JOB.client(), body=_body()
        )
    assert SECRET_ACCESS_KEY.encode() in route.calls.last.request.content  # sent, as it must be
    assert SECRET_ACCESS_KEY not in everything_logged(caplog)


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
            assert CREATE_JOB.credential not in text
        assert raised.value.body is not None  # the whole body stays available to the caller
