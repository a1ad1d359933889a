"""The connectivity precheck rule, over HTTP."""

from typing import Any

import httpx
import pytest

from mock_server.tests.conftest import s3_job_request

pytestmark = pytest.mark.anyio

SOURCE_PRECHECK = "/accounts/acct/slurper/source/connectivity-precheck"
TARGET_PRECHECK = "/accounts/acct/slurper/target/connectivity-precheck"
S3 = s3_job_request()["source"]
R2 = s3_job_request()["target"]
GCS = {"vendor": "gcs", "bucket": "exports", "secret": {"clientEmail": "slurper@example.com", "privateKey": "pk"}}


def changed(original: dict[str, Any], /, **changes: Any) -> dict[str, Any]:
    return {**original, **changes}


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        (SOURCE_PRECHECK, S3, "success"),
        (SOURCE_PRECHECK, GCS, "success"),
        (SOURCE_PRECHECK, changed(R2, jurisdiction="eu"), "success"),
        (SOURCE_PRECHECK, changed(S3, bucket="an-UNREACHABLE-bucket"), "error"),
        (SOURCE_PRECHECK, changed(GCS, bucket="access-denied"), "error"),
        (SOURCE_PRECHECK, changed(S3, secret={"accessKeyId": "InvalidKey", "secretAccessKey": "s"}), "error"),
        (SOURCE_PRECHECK, changed(GCS, secret={"clientEmail": "invalid@example.com", "privateKey": "k"}), "error"),
        (SOURCE_PRECHECK, changed(S3, secret={"accessKeyId": "key", "secretAccessKey": "invalid"}), "success"),
        (TARGET_PRECHECK, R2, "success"),
        (TARGET_PRECHECK, changed(R2, bucket="denied"), "error"),
        (TARGET_PRECHECK, changed(R2, secret={"accessKeyId": "invalid-id", "secretAccessKey": "s"}), "error"),
    ],
)
async def test_the_precheck_rule(client: httpx.AsyncClient, path: str, body: dict[str, Any], expected: str) -> None:
    response = await client.put(path, json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "success": True,
        "errors": [],
        "messages": [],
        "result": {"connectivityStatus": expected},
    }
