"""The R2 Super Slurper state machine: accounts, their migration jobs, job progress and job logs. No HTTP here.

Any account id names an account; it comes into being the first time it is used, and no account sees another's jobs.

A job's life::

    create --> running --pause--> paused --resume--> running
                  |                  |
                  +------abort-------+-----abort---> aborted     (final)
                  +--(every object processed)------> completed   (final)

The moves the operations make are `MOVES`. `running` and `paused` jobs are active; only final jobs can be deleted,
and an account has at most `max_concurrent_jobs` active jobs (default `DEFAULT_MAX_CONCURRENT_JOBS`). Breaking a rule
raises `SlurperError`.

Progress is deterministic. When a job is created, its objects and the fate of each one (transferred, skipped for one
of the `importSkipped*` reasons, or failed after retries) are planned with a random generator seeded by the job id,
and job ids come from a generator seeded by `seed`: the same sequence of calls always gives the same ids, objects,
counters and logs. The objects are the request's `keys` when it has them, otherwise `MIN_OBJECTS`..`MAX_OBJECTS`
made-up keys under `pathPrefix`. A running job processes `OBJECTS_PER_STEP` more objects every time it is observed
(get, progress, list, logs) and for every step of `advance`; after the last one it is `completed`. Every skipped or
failed object gets exactly one log entry (with its `objectKey`), so `transferredObjects + failedObjects +
skippedObjects <= objects` always holds, with equality once the job is completed.

Only what the API reports is kept from a create request: credentials (`secret`) and the S3 `region` are dropped
before the job is stored, so they cannot leak into any response.
"""

import enum
import functools
import random
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mock_server.clock import Clock, system_clock
from mock_server.openapi import load_document
from mock_server.slurper.errors import ErrorCode, SlurperError

DEFAULT_MAX_CONCURRENT_JOBS = 3
DEFAULT_PAGE_LIMIT = 20
MIN_OBJECTS = 20
MAX_OBJECTS = 120
OBJECTS_PER_STEP = 5
FAILED_SHARE = 0.04
SKIPPED_SHARE = 0.08


class JobStatus(enum.StrEnum):
    """A job's status; `running` and `paused` are active, `aborted` and `completed` final."""

    RUNNING = "running"
    PAUSED = "paused"
    ABORTED = "aborted"
    COMPLETED = "completed"


# The document's moves (`x-jobs.moves` of openapi/slurper.yaml), which the conformance suite holds every read to: the
# statuses a job can leave are the active ones, and each operation's move starts from the statuses that reach its
# target in one move.
DOCUMENTED_MOVES = load_document("slurper").moves
ACTIVE_STATUSES = frozenset(JobStatus(status) for status in DOCUMENTED_MOVES)


def _moving_to(target: JobStatus) -> frozenset[JobStatus]:
    return frozenset(JobStatus(status) for status, nexts in DOCUMENTED_MOVES.items() if target.value in nexts)


class LogType(enum.StrEnum):
    """The kinds of log entry the simulator writes (the document lists two more it never needs)."""

    MIGRATION_START = "migrationStart"
    MIGRATION_COMPLETE = "migrationComplete"
    MIGRATION_ABORT = "migrationAbort"
    MIGRATION_PAUSE = "migrationPause"
    MIGRATION_RESUME = "migrationResume"
    IMPORT_ERROR_RETRY_EXHAUSTION = "importErrorRetryExhaustion"
    IMPORT_SKIPPED_STORAGE_CLASS = "importSkippedStorageClass"
    IMPORT_SKIPPED_OVERSIZED = "importSkippedOversized"
    IMPORT_SKIPPED_EMPTY_OBJECT = "importSkippedEmptyObject"
    IMPORT_SKIPPED_UNSUPPORTED_CONTENT_TYPE = "importSkippedUnsupportedContentType"
    IMPORT_SKIPPED_EXCLUDED_CONTENT_TYPE = "importSkippedExcludedContentType"
    IMPORT_SKIPPED_INVALID_MEDIA = "importSkippedInvalidMedia"
    IMPORT_SKIPPED_REQUIRES_RETRIEVAL = "importSkippedRequiresRetrieval"


LOG_MESSAGES = {
    LogType.MIGRATION_START: "Migration started",
    LogType.MIGRATION_COMPLETE: "Migration complete",
    LogType.MIGRATION_ABORT: "Migration aborted",
    LogType.MIGRATION_PAUSE: "Migration paused",
    LogType.MIGRATION_RESUME: "Migration resumed",
    LogType.IMPORT_ERROR_RETRY_EXHAUSTION: "Object could not be copied after the maximum number of retries",
    LogType.IMPORT_SKIPPED_STORAGE_CLASS: "Object is in the GLACIER storage class and was skipped",
    LogType.IMPORT_SKIPPED_OVERSIZED: "Object is larger than the maximum supported size and was skipped",
    LogType.IMPORT_SKIPPED_EMPTY_OBJECT: "Object is empty and was skipped",
    LogType.IMPORT_SKIPPED_UNSUPPORTED_CONTENT_TYPE: "Object has an unsupported content type and was skipped",
    LogType.IMPORT_SKIPPED_EXCLUDED_CONTENT_TYPE: "Object's content type is excluded from migration and was skipped",
    LogType.IMPORT_SKIPPED_INVALID_MEDIA: "Object is not valid media and was skipped",
    LogType.IMPORT_SKIPPED_REQUIRES_RETRIEVAL: "Object must be restored from archive storage first and was skipped",
}
SKIP_REASONS = tuple(log_type for log_type in LogType if log_type.value.startswith("importSkipped"))


@dataclass(frozen=True)
class Move:
    """One legal move of a job from status to status, made by an operation.

    Attributes:
        sources: The statuses it may start from.
        target: The status it ends in.
        refusal: What the operation gets when the job is in none of `sources`.
        log_type: The log entry it writes.
    """

    sources: frozenset[JobStatus]
    target: JobStatus
    refusal: ErrorCode
    log_type: LogType


# The legal moves of a job, by the operation that makes each; the one move no operation makes is a running job's
# completion, once its last object is processed (`SuperSlurper._step`).
MOVES = {
    "pause": Move(_moving_to(JobStatus.PAUSED), JobStatus.PAUSED, ErrorCode.JOB_NOT_RUNNING, LogType.MIGRATION_PAUSE),
    "resume": Move(
        _moving_to(JobStatus.RUNNING), JobStatus.RUNNING, ErrorCode.JOB_NOT_PAUSED, LogType.MIGRATION_RESUME
    ),
    "abort": Move(_moving_to(JobStatus.ABORTED), JobStatus.ABORTED, ErrorCode.JOB_NOT_ACTIVE, LogType.MIGRATION_ABORT),
}


# Every job is reported with the same few timestamps many times over; strftime is the slow part of reporting it.
@functools.lru_cache(maxsize=4096)
def format_timestamp(moment: datetime) -> str:
    """Write a time the way the API does.

    Args:
        moment: An aware datetime.

    Returns:
        ISO 8601 in UTC with milliseconds, e.g. "2026-11-20T09:15:02.118Z".
    """
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class PlannedObject:
    """A source object and what will happen to it.

    Attributes:
        key: The object key.
        outcome: The log type of a skipped or failed object; None for one that will be transferred.
    """

    key: str
    outcome: LogType | None


@dataclass
class JobLog:
    """One entry of a job's log (JobLog in the document)."""

    created_at: datetime
    job_id: str
    log_type: LogType
    object_key: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Give the entry as the API reports it.

        Returns:
            The JobLog object.
        """
        return {
            "createdAt": format_timestamp(self.created_at),
            "job": self.job_id,
            "logType": self.log_type.value,
            "message": LOG_MESSAGES[self.log_type],
            "objectKey": self.object_key,
        }


@dataclass
class Job:
    """A migration job and everything it has done so far.

    Attributes:
        id: The job id (a UUID4 string).
        created_at: When it was created.
        overwrite: Whether it replaces objects that exist in the target.
        source: The source as reported (JobSource in the document), or None when the request had none.
        target: The target as reported (JobTarget in the document), or None when the request had none.
        objects: The planned objects, in the order they are processed.
        status: The current status.
        finished_at: When it became completed or aborted.
        processed: How many objects have been processed.
        transferred_objects: How many were copied.
        failed_objects: How many failed.
        skipped_objects: How many were skipped.
        logs: The log, oldest first.
    """

    id: str
    created_at: datetime
    overwrite: bool
    source: dict[str, Any] | None
    target: dict[str, Any] | None
    objects: tuple[PlannedObject, ...]
    status: JobStatus = JobStatus.RUNNING
    finished_at: datetime | None = None
    processed: int = 0
    transferred_objects: int = 0
    failed_objects: int = 0
    skipped_objects: int = 0
    logs: list[JobLog] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Give the job as the API reports it.

        Returns:
            The Job object.
        """
        reported: dict[str, Any] = {
            "id": self.id,
            "createdAt": format_timestamp(self.created_at),
            "finishedAt": None if self.finished_at is None else format_timestamp(self.finished_at),
            "overwrite": self.overwrite,
            "status": self.status.value,
        }
        if self.source is not None:
            reported["source"] = dict(self.source)
        if self.target is not None:
            reported["target"] = dict(self.target)
        return reported

    def progress_to_json(self) -> dict[str, Any]:
        """Give the job's counters as the API reports them.

        Returns:
            The JobProgress object.
        """
        return {
            "id": self.id,
            "createdAt": format_timestamp(self.created_at),
            "status": self.status.value,
            "objects": len(self.objects),
            "transferredObjects": self.transferred_objects,
            "failedObjects": self.failed_objects,
            "skippedObjects": self.skipped_objects,
        }


class SuperSlurper:
    """Every account's jobs. All methods are atomic: each holds one lock for its whole state change."""

    def __init__(
        self,
        *,
        clock: Clock = system_clock,
        seed: int = 0,
        max_concurrent_jobs: int = DEFAULT_MAX_CONCURRENT_JOBS,
    ) -> None:
        """Start with no jobs.

        Args:
            clock: Tells the time for createdAt, finishedAt and log entries.
            seed: Seeds the generator of job ids.
            max_concurrent_jobs: How many active jobs an account may have.
        """
        self._clock = clock
        # Repeatable ids are the point here, not unguessable ones.
        self._ids = random.Random(seed)  # noqa: S311
        self._max_concurrent_jobs = max_concurrent_jobs
        self._accounts: dict[str, dict[str, Job]] = {}
        self._lock = threading.Lock()

    def create_job(self, account_id: str, request: Mapping[str, Any]) -> str:
        """Create a job and start it.

        Args:
            account_id: The account.
            request: A create request body (CreateJobRequest, already validated); `secret` and `region` are ignored,
                so they may be left out.

        Returns:
            The new job's id.

        Raises:
            SlurperError: TOO_MANY_CONCURRENT_JOBS when the account already has `max_concurrent_jobs` active jobs.
        """
        with self._lock:
            jobs = self._accounts.setdefault(account_id, {})
            if sum(job.status in ACTIVE_STATUSES for job in jobs.values()) >= self._max_concurrent_jobs:
                raise SlurperError(ErrorCode.TOO_MANY_CONCURRENT_JOBS)
            job_id = str(uuid.UUID(int=self._ids.getrandbits(128), version=4))
            source = request.get("source")
            now = self._clock()
            job = Job(
                id=job_id,
                created_at=now,
                overwrite=request.get("overwrite", True),
                source=_reported_source(source),
                target=_reported_target(request.get("target")),
                objects=_plan_objects(job_id, source),
            )
            job.logs.append(JobLog(now, job_id, LogType.MIGRATION_START))
            jobs[job_id] = job
            return job_id

    def list_jobs(self, account_id: str, *, limit: int = DEFAULT_PAGE_LIMIT, offset: int = 0) -> list[dict[str, Any]]:
        """List an account's jobs in creation order, one page at a time; the listed jobs count as observed.

        Args:
            account_id: The account.
            limit: The most jobs to return.
            offset: How many jobs to skip.

        Returns:
            Job objects.
        """
        with self._lock:
            page = list(self._accounts.get(account_id, {}).values())[offset : offset + limit]
            for job in page:
                self._step(job, 1)
            return [job.to_json() for job in page]

    def get_job(self, account_id: str, job_id: str) -> dict[str, Any]:
        """Observe an account's job: its Job object (`SlurperError` JOB_NOT_FOUND when the account has none)."""
        with self._lock:
            return self._observe(account_id, job_id).to_json()

    def get_job_progress(self, account_id: str, job_id: str) -> dict[str, Any]:
        """Observe an account's job: its counters, the JobProgress object (`SlurperError` JOB_NOT_FOUND likewise)."""
        with self._lock:
            return self._observe(account_id, job_id).progress_to_json()

    def list_job_logs(
        self, account_id: str, job_id: str, *, limit: int = DEFAULT_PAGE_LIMIT, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Observe a job's log, oldest entry first, one page at a time.

        Args:
            account_id: The account.
            job_id: The job.
            limit: The most entries to return.
            offset: How many entries to skip.

        Returns:
            JobLog objects.

        Raises:
            SlurperError: JOB_NOT_FOUND.
        """
        with self._lock:
            job = self._observe(account_id, job_id)
            return [entry.to_json() for entry in job.logs[offset : offset + limit]]

    def move_job(self, account_id: str, job_id: str, operation: str) -> None:
        """Pause, resume or abort a job: make the move of `MOVES` the operation names.

        Args:
            account_id: The account.
            job_id: The job.
            operation: "pause", "resume" or "abort".

        Raises:
            SlurperError: JOB_NOT_FOUND, or the move's `refusal` when the job is in none of the statuses it starts
                from (JOB_NOT_RUNNING, JOB_NOT_PAUSED, JOB_NOT_ACTIVE).
        """
        move = MOVES[operation]
        with self._lock:
            job = self._job(account_id, job_id)
            if job.status not in move.sources:
                raise SlurperError(move.refusal)
            _make(job, move.target, move.log_type, self._clock())

    def abort_all_jobs(self, account_id: str) -> None:
        """Abort every active job of an account (there may be none).

        Args:
            account_id: The account.
        """
        with self._lock:
            now, abort = self._clock(), MOVES["abort"]
            for job in self._accounts.get(account_id, {}).values():
                if job.status in abort.sources:
                    _make(job, abort.target, abort.log_type, now)

    def delete_job(self, account_id: str, job_id: str) -> None:
        """Delete a final job and its log.

        Args:
            account_id: The account.
            job_id: The job.

        Raises:
            SlurperError: JOB_NOT_FOUND, or JOB_STILL_ACTIVE when the job is running or paused.
        """
        with self._lock:
            job = self._job(account_id, job_id)
            if job.status in ACTIVE_STATUSES:
                raise SlurperError(ErrorCode.JOB_STILL_ACTIVE)
            del self._accounts[account_id][job_id]

    def advance(self, account_id: str, job_id: str, steps: int = 1) -> None:
        """Move a job's clock on without observing it: a running job processes `steps * OBJECTS_PER_STEP` objects.

        Args:
            account_id: The account.
            job_id: The job.
            steps: How many steps; a job that is not running does not move.

        Raises:
            SlurperError: JOB_NOT_FOUND.
        """
        with self._lock:
            self._step(self._job(account_id, job_id), steps)

    def _job(self, account_id: str, job_id: str) -> Job:
        job = self._accounts.get(account_id, {}).get(job_id)
        if job is None:
            raise SlurperError(ErrorCode.JOB_NOT_FOUND)
        return job

    def _observe(self, account_id: str, job_id: str) -> Job:
        job = self._job(account_id, job_id)
        self._step(job, 1)
        return job

    def _step(self, job: Job, steps: int) -> None:
        if job.status is not JobStatus.RUNNING:
            return
        now = self._clock()
        end = min(job.processed + steps * OBJECTS_PER_STEP, len(job.objects))
        for planned in job.objects[job.processed : end]:
            if planned.outcome is None:
                job.transferred_objects += 1
                continue
            if planned.outcome is LogType.IMPORT_ERROR_RETRY_EXHAUSTION:
                job.failed_objects += 1
            else:
                job.skipped_objects += 1
            job.logs.append(JobLog(now, job.id, planned.outcome, planned.key))
        job.processed = end
        if end == len(job.objects):
            _make(job, JobStatus.COMPLETED, LogType.MIGRATION_COMPLETE, now)


def _make(job: Job, target: JobStatus, log_type: LogType, now: datetime) -> None:
    # A move into a final status also ends the job.
    job.status = target
    if target not in ACTIVE_STATUSES:
        job.finished_at = now
    job.logs.append(JobLog(now, job.id, log_type))


def _reported_source(source: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if source is None:
        return None
    vendor = source["vendor"]
    reported: dict[str, Any] = {"vendor": vendor, "bucket": source["bucket"]}
    if vendor == "s3":
        reported["endpoint"] = source.get("endpoint")
    if vendor == "r2":
        reported["jurisdiction"] = source.get("jurisdiction", "default")
    reported["pathPrefix"] = source.get("pathPrefix")
    keys = source.get("keys")
    reported["keys"] = None if keys is None else list(keys)
    return reported


def _reported_target(target: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "vendor": target["vendor"],
        "bucket": target["bucket"],
        "jurisdiction": target.get("jurisdiction", "default"),
    }


def _plan_objects(job_id: str, source: Mapping[str, Any] | None) -> tuple[PlannedObject, ...]:
    # A plan that is the same on every run is the point here, not an unpredictable one.
    fate = random.Random(job_id)  # noqa: S311
    keys = None if source is None else source.get("keys")
    if keys is None:
        prefix = (source or {}).get("pathPrefix") or ""
        keys = [f"{prefix}object-{index:04d}.bin" for index in range(fate.randint(MIN_OBJECTS, MAX_OBJECTS))]
    planned = []
    # A key listed twice is still one object.
    for key in dict.fromkeys(keys):
        roll = fate.random()
        if roll < FAILED_SHARE:
            outcome: LogType | None = LogType.IMPORT_ERROR_RETRY_EXHAUSTION
        elif roll < FAILED_SHARE + SKIPPED_SHARE:
            outcome = fate.choice(SKIP_REASONS)
        else:
            outcome = None
        planned.append(PlannedObject(key, outcome))
    return tuple(planned)
