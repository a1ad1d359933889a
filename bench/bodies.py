"""The response bodies the benchmarks serve: grown from the documents' own examples, and held to the documents.

Each body starts from an example in `openapi/<api>.yaml` and is varied (ids, times, sources, statuses) so that a
list is many different items, as a server sends it. `encode` checks a body against its operation's 200 response with
the simulators' validators (`mock_server.openapi`) before any client sees it, so a body cannot drift from the document.
"""

import copy
import functools
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_server.openapi import OpenAPIDocument

# Where the generated ids come from, so that every run serves the same bytes.
_ID_NAMESPACE = uuid.UUID("6f1d9b8e-2c4a-4e7f-9a35-0b8c7d6e5f41")
_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@functools.cache
def document(api: str) -> OpenAPIDocument:
    """`openapi/<api>.yaml`, loaded and compiled once."""
    return OpenAPIDocument.load(api)


def server_url(api: str) -> str:
    """The first server URL of the document: the base URL the bench's clients use."""
    url: str = document(api).contents["servers"][0]["url"]
    return url


def response_example(api: str, operation_id: str, name: str) -> Any:
    """A copy of a named example of an operation's 200 JSON response.

    Raises:
        KeyError: The document has no such operation or example.
    """
    for path_item in document(api).contents["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
                return copy.deepcopy(examples[name]["value"])
    raise KeyError(f"{api}: no operation {operation_id!r}")


def schema_enum(api: str, schema: str) -> list[Any]:
    """The values of a component schema's `enum`, in the document's order."""
    values: list[Any] = document(api).contents["components"]["schemas"][schema]["enum"]
    return values


def encode(api: str, operation_id: str, body: Any) -> bytes:
    """A body as a server sends it (compact UTF-8 JSON), once it is known to be what the document declares.

    Raises:
        ValueError: The body is not a valid 200 response of the operation; the message says where.
    """
    problems = document(api).operations[operation_id].response_violations(200, "application/json", body)
    if problems:
        raise ValueError(f"{api} {operation_id}: {'; '.join(problems)}")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _distinct_id(kind: str, index: int) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"{kind} {index}"))


def _distinct_key(index: int) -> str:
    digest = hashlib.sha256(f"connect job {index}".encode()).digest()
    return "".join(_KEY_ALPHABET[byte % len(_KEY_ALPHABET)] for byte in digest[:16])


def _millis(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _seconds(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def slurper_job() -> dict[str, Any]:
    """slurper-get-job's example: one paused job copying between two R2 buckets."""
    body: dict[str, Any] = response_example("slurper", "slurper-get-job", "r2Source")
    return body


def slurper_jobs(count: int) -> dict[str, Any]:
    """A slurper-list-jobs body of `count` jobs, newest first.

    Sources take turns between the document's S3, GCS and R2 jobs; statuses cycle through every `JobStatus` on
    another period, so every vendor meets every status; final jobs have a `finishedAt`, active ones null.
    """
    body: dict[str, Any] = response_example("slurper", "slurper-list-jobs", "jobs")
    templates = [*body["result"], slurper_job()["result"]]
    statuses = schema_enum("slurper", "JobStatus")
    newest = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    jobs = []
    for index in range(count):
        job = copy.deepcopy(templates[index % len(templates)])
        created = newest - timedelta(minutes=37 * index, milliseconds=211 * index)
        status = statuses[index % len(statuses)]
        job["id"] = _distinct_id("slurper job", index)
        job["createdAt"] = _millis(created)
        job["status"] = status
        job["finishedAt"] = _millis(created + timedelta(minutes=83)) if status in ("aborted", "completed") else None
        job["overwrite"] = index % 3 != 0
        job["source"]["bucket"] = f"{job['source']['bucket']}-{index % 17}"
        job["target"]["bucket"] = f"{job['target']['bucket']}-{index % 17}"
        jobs.append(job)
    body["result"] = jobs
    return body


def slurper_logs(count: int) -> dict[str, Any]:
    """A slurper-get-job-logs body of `count` entries: the document's `migrationStart`, then one entry per object,
    each of another object-level `LogType` in turn (the document's example message where it is that example's type).
    """
    body: dict[str, Any] = response_example("slurper", "slurper-get-job-logs", "logs")
    started, skipped = body["result"]
    object_types = [log_type for log_type in schema_enum("slurper", "LogType") if log_type.startswith("import")]
    start = datetime.fromisoformat(started["createdAt"])
    entries = [started]
    for index in range(1, count):
        entry = copy.deepcopy(skipped)
        log_type = object_types[index % len(object_types)]
        entry["createdAt"] = _millis(start + timedelta(seconds=1.7 * index))
        entry["logType"] = log_type
        entry["objectKey"] = f"photos/2026/01/raw-{index:04d}.cr3"
        if log_type != skipped["logType"]:
            entry["message"] = f"{log_type}: {entry['objectKey']}"
        entries.append(entry)
    body["result"] = entries
    return body


def connect_jobs(count: int) -> list[dict[str, Any]]:
    """A GetJobs body of `count` jobs: the document's running and finalized Shiny app processes and its scheduled
    report rendered off-host, in turn, each with its own id, key, process ids and times (nulls stay null)."""
    listed: list[dict[str, Any]] = response_example("connect", "GetJobs", "activeAndFinalized")
    templates = [*listed, response_example("connect", "GetJob", "scheduledOffHost")]
    newest = datetime(2025, 1, 14, 9, 2, 11, tzinfo=UTC)
    jobs = []
    for index in range(count):
        job = copy.deepcopy(templates[index % len(templates)])
        started = newest - timedelta(hours=19 * index, seconds=7 * index)
        job["id"] = str(40793914 - 977 * index)
        job["key"] = _distinct_key(index)
        job["pid"] = str(2611047 - 31 * index)
        if job["ppid"] is not None:
            job["ppid"] = str(2611032 - 31 * index)
        job["start_time"] = _seconds(started)
        job["last_heartbeat_time"] = _seconds(started + timedelta(minutes=38, seconds=55))
        if job["end_time"] is not None:
            job["end_time"] = _seconds(started + timedelta(minutes=39))
        if job["queued_time"] is not None:
            job["queued_time"] = _seconds(started - timedelta(seconds=4))
        jobs.append(job)
    return jobs


def rekosearch_job() -> dict[str, Any]:
    """jobs-get's example: a finished job of three photos with the links to its results, one photo failed."""
    body: dict[str, Any] = response_example("rekosearch", "jobs-get", "processed")
    return body
