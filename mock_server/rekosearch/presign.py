"""Presigned-style links to the files of a job: the uploaded objects and their results.

The real API hands out presigned S3 GET URLs for the key `<user-id>/<job-id>/<object-uuid>` (reference §5.3) and for
the results of each object (`.json` and `.min.json`, reference §6.2); they expire. The simulator writes links of the
same form (a bucket URL, the key, then `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
`X-Amz-SignedHeaders` and `X-Amz-Signature`), signed with an HMAC of the key, the time and the expiry under a fixed
simulator key. They are not valid AWS signatures and nothing serves them: they only have to look and behave like
links (every character is percent-encoded where a URI needs it, so each is a valid `format: uri`).
"""

import functools
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import quote

BUCKET_URL = "https://rekosearch-user-files.s3.amazonaws.com"
REGION = "us-east-1"
EXPIRES_SECONDS = 3600
# Not a credential: the simulator's own made-up values, so that the links carry the fields real ones do.
ACCESS_KEY_ID = "ASIAREKOSEARCHSIMULATOR"
SIGNING_KEY = b"rekosearch-simulator-presigning-key"


def object_key(user_id: str, job_id: int, object_uuid: str) -> str:
    """The storage key of an uploaded object, each part percent-encoded.

    The object uuid is one path segment whatever it holds: a `/` in it is encoded, and so is a segment of dots, so
    that no link can be normalised into another job's or user's files.

    Args:
        user_id: The owner.
        job_id: The job.
        object_uuid: The object uuid as the client sent it (the API does not check it).

    Returns:
        E.g. "3c8f.../7/0b6f2c1e-....jpg".
    """
    return f"{_segment(user_id)}/{job_id}/{_segment(object_uuid)}"


def result_keys(user_id: str, job_id: int, object_uuid: str) -> tuple[str, str]:
    """The storage keys of an object's two results.

    Args:
        user_id: The owner.
        job_id: The job.
        object_uuid: The object, `<uuid>.<ext>`.

    Returns:
        The full (`.json`) and the minified (`.min.json`) result's key.
    """
    stem = object_uuid.rsplit(".", 1)[0]
    prefix = f"{_segment(user_id)}/{job_id}/results/{_segment(stem)}"
    return f"{prefix}.json", f"{prefix}.min.json"


def presign(key: str, now: datetime) -> str:
    """A link to `key` that expires `EXPIRES_SECONDS` after `now`.

    Args:
        key: An already percent-encoded storage key (`object_key`, `result_keys`).
        now: When the link is made.

    Returns:
        The link.
    """
    # A job's details carry two links per object, so this is on the hot path of jobs/get: what depends on the time
    # only is worked out once per time, and the query is what urlencode makes of the six fields, written out.
    amz_date, query_start = _dated(int(now.timestamp()))
    signature = hmac.digest(SIGNING_KEY, f"{key}\n{amz_date}\n{EXPIRES_SECONDS}".encode(), hashlib.sha256).hex()
    return f"{BUCKET_URL}/{key}?{query_start}{signature}"


@functools.lru_cache(maxsize=64)
def _dated(epoch_seconds: int) -> tuple[str, str]:
    """The `X-Amz-Date` of a time (whole seconds since the epoch), and the query of its links up to the signature."""
    amz_date = f"{datetime.fromtimestamp(epoch_seconds, UTC):%Y%m%dT%H%M%SZ}"
    credential = quote(f"{ACCESS_KEY_ID}/{amz_date[:8]}/{REGION}/s3/aws4_request", safe="")
    query_start = (
        f"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential}&X-Amz-Date={amz_date}"
        f"&X-Amz-Expires={EXPIRES_SECONDS}&X-Amz-SignedHeaders=host&X-Amz-Signature="
    )
    return amz_date, query_start


@functools.lru_cache(maxsize=4096)
def _segment(text: str) -> str:
    if text.strip(".") == "":
        return text.replace(".", "%2E")
    return quote(text, safe="")
