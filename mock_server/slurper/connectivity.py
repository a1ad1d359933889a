"""Connectivity prechecks: whether the simulator pretends a bucket is reachable with the given credentials.

The rule is deterministic, so a test can ask for either answer:

- `error` when the bucket name contains "unreachable" or "denied", or when the credential's public half starts with
  "invalid": `secret.accessKeyId` for S3 and R2, `secret.clientEmail` for GCS (all compared case-insensitively);
- `success` otherwise.

The secret halves (`secretAccessKey`, `privateKey`) are never looked at.
"""

import enum
from collections.abc import Mapping
from typing import Any

UNREACHABLE_BUCKET_MARKERS = ("unreachable", "denied")
INVALID_CREDENTIAL_PREFIX = "invalid"


class ConnectivityStatus(enum.StrEnum):
    """The outcome of a precheck."""

    SUCCESS = "success"
    ERROR = "error"


def check_connectivity(bucket: Mapping[str, Any]) -> ConnectivityStatus:
    """Decide a precheck by the rule above.

    Args:
        bucket: A precheck body that matches Source or R2Target (vendor, bucket, secret, ...).

    Returns:
        The outcome.
    """
    name = bucket["bucket"].lower()
    if any(marker in name for marker in UNREACHABLE_BUCKET_MARKERS):
        return ConnectivityStatus.ERROR
    secret = bucket["secret"]
    identity = secret["clientEmail"] if bucket["vendor"] == "gcs" else secret["accessKeyId"]
    if identity.lower().startswith(INVALID_CREDENTIAL_PREFIX):
        return ConnectivityStatus.ERROR
    return ConnectivityStatus.SUCCESS
