"""Credentials sent in request bodies never come back: not in any response, not in any log, not in the state."""

import json
import logging
from typing import Any

import httpx
import pytest

from mock_server.slurper import SlurperSettings
from mock_server.slurper.jobs import SuperSlurper

pytestmark = pytest.mark.anyio

ACCOUNT = "secret-account"
JOBS = f"/accounts/{ACCOUNT}/slurper/jobs"
# Every credential field gets a fake value of its own, so a leak shows which one leaked.
S3_KEY_ID = "AKIA-LEAK-CHECK-S3-ID"
S3_SECRET_KEY = "leak-check-s3-secret-access-key"
GCS_EMAIL = "leak-check@gcs.example.com"
GCS_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----leak-check-----END PRIVATE KEY-----"
R2_KEY_ID = "leak-check-r2-access-key-id"
R2_SECRET_KEY = "leak-check-r2-secret-access-key"
REGION = "leak-check-region-1"
SENSITIVE = [S3_KEY_ID, S3_SECRET_KEY, GCS_EMAIL, GCS_PRIVATE_KEY, R2_KEY_ID, R2_SECRET_KEY, REGION]

S3_SOURCE = {
    "vendor": "s3",
    "bucket": "s3-bucket",
    "region": REGION,
    "secret": {"accessKeyId": S3_KEY_ID, "secretAccessKey": S3_SECRET_KEY},
}
GCS_SOURCE = {
    "vendor": "gcs",
    "bucket": "gcs-bucket",
    "secret": {"clientEmail": GCS_EMAIL, "privateKey": GCS_PRIVATE_KEY},
}
R2_TARGET = {
    "vendor": "r2",
    "bucket": "r2-bucket",
    "secret": {"accessKeyId": R2_KEY_ID, "secretAccessKey": R2_SECRET_KEY},
}


def with_secret(source: dict[str, Any], **secret: Any) -> dict[str, Any]:
    return {**source, "secret": {**source["secret"], **secret}}


INVALID_BODIES = [
    {"source": with_secret(S3_SOURCE, secretAccessKey=[S3_SECRET_KEY]), "target": R2_TARGET},
    {"source": with_secret(S3_SOURCE, accessKeyId={"id": S3_KEY_ID}), "target": R2_TARGET},
    {"source": with_secret(GCS_SOURCE, privateKey=[GCS_PRIVATE_KEY, GCS_EMAIL]), "target": R2_TARGET},
    {"source": with_secret(GCS_SOURCE, clientEmail=7), "target": R2_TARGET},
    {"source": {**S3_SOURCE, "secret": [S3_KEY_ID, S3_SECRET_KEY]}, "target": R2_TARGET},
    {"source": {**S3_SOURCE, "secret": S3_SECRET_KEY}, "target": R2_TARGET},
    {"source": {**S3_SOURCE, "vendor": "gcs"}, "target": R2_TARGET},
    {"source": {**GCS_SOURCE, "vendor": "ftp"}, "target": R2_TARGET},
    {"source": {**S3_SOURCE, "bucket": 5}, "target": R2_TARGET},
    {"source": [S3_SOURCE], "target": R2_TARGET},
    {"source": S3_SOURCE, "target": {**R2_TARGET, "vendor": "s3"}},
    {"source": S3_SOURCE, "target": R2_TARGET, "overwrite": [S3_SECRET_KEY]},
]


async def test_no_response_and_no_log_contains_a_credential(
    client: httpx.AsyncClient, slurper: SuperSlurper, caplog: pytest.LogCaptureFixture
) -> None:
    texts: list[str] = []

    async def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await client.request(method, path, **kwargs)
        texts.append(response.text)
        return response

    with caplog.at_level(logging.DEBUG):
        job_ids = []
        for source in (S3_SOURCE, GCS_SOURCE):
            response = await call("POST", JOBS, json={"source": source, "target": R2_TARGET})
            job_ids.append(response.json()["result"]["id"])
        for job_id in job_ids:
            for suffix in ("", "/progress", "/logs?limit=50", "/pause", "/resume"):
                await call("PUT" if suffix in ("/pause", "/resume") else "GET", f"{JOBS}/{job_id}{suffix}")
        await call("GET", JOBS)
        await call("PUT", f"/accounts/{ACCOUNT}/slurper/source/connectivity-precheck", json=S3_SOURCE)
        await call("PUT", f"/accounts/{ACCOUNT}/slurper/source/connectivity-precheck", json=GCS_SOURCE)
        await call("PUT", f"/accounts/{ACCOUNT}/slurper/target/connectivity-precheck", json=R2_TARGET)
        for body in INVALID_BODIES:
            response = await call("POST", JOBS, json=body)
            assert response.status_code == 400, response.text
        malformed = json.dumps({"source": S3_SOURCE})[:-1].encode()
        await call("POST", JOBS, content=malformed, headers={"Content-Type": "application/json"})
        await call("POST", JOBS, content=json.dumps(S3_SOURCE).encode(), headers={"Content-Type": "text/plain"})

    everything = "\n".join([*texts, caplog.text, repr(vars(slurper))])
    leaked = [value for value in SENSITIVE if value in everything]
    assert leaked == []
    # The checks above saw real responses, including messages that name the offending credential field.
    assert "the value of 'secretAccessKey' is not of type 'string'" in everything
    assert "the value of 'secret' is not of type 'object'" in everything


async def test_jobs_report_no_secret_and_no_region(client: httpx.AsyncClient) -> None:
    response = await client.post(JOBS, json={"source": S3_SOURCE, "target": R2_TARGET})
    job = (await client.get(f"{JOBS}/{response.json()['result']['id']}")).json()["result"]
    assert set(job["source"]) == {"vendor", "bucket", "endpoint", "pathPrefix", "keys"}
    assert set(job["target"]) == {"vendor", "bucket", "jurisdiction"}


def test_settings_do_not_show_the_token_or_key() -> None:
    shown = repr(SlurperSettings())
    assert "mock-slurper-token" not in shown
    assert "mock-global-api-key" not in shown
