"""The RekoSearch jobs state machine: users, their jobs, job processing, links and deletion. No HTTP here.

Every user has a token and jobs numbered 1, 2, 3, ... of their own (per-user sequential ids, reference §11): the same
id names a different job for every user, and a user never sees, links to or deletes another user's job. A job's
life (reference §7)::

    queued --> processing --> processing_10% --> ... --> processing_90% --> success
                                                                            (results appear, failed files refunded)
    failed_credits_restored   (processing failed critically: the files are gone and every credit is refunded)

A queued or processing job moves one step on each time it is observed (jobs/get, jobs/list: the answer shows the
state it was in, the next one the state after) and for every step of `advance`, so a test can walk a job to
`success` deterministically (the real processor reports progress every 10 s). When a job
reaches `success`, every object gets its results except the ones that fail, which go to `failed_to_process` and are
refunded. Jobs older than `RETENTION` (30 days, reference §11) disappear as if deleted.

Ids, uuids and the sub-microsecond digits of dates come from a generator seeded by `seed`, so the same sequence of
calls always gives the same users and jobs.
"""

import functools
import hmac
import random
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_server.clock import Clock, system_clock
from mock_server.openapi import load_document
from mock_server.rekosearch import errors
from mock_server.rekosearch.presign import object_key, presign, result_keys

RETENTION = timedelta(days=30)
PROGRESS_STEP = 10
QUEUED = "queued"
PROCESSING = "processing"
SUCCESS = "success"
FAILED_CREDITS_RESTORED = "failed_credits_restored"
# Only `success` has a documented meaning (reference §7); the others are the simulator's wording.
STATUS_MEANINGS = {
    QUEUED: "Job is queued for processing",
    PROCESSING: "Job is being processed",
    SUCCESS: "Job completed successfully",
    FAILED_CREDITS_RESTORED: "Job failed; its files were deleted and its credits restored",
}

# The stages a job still moves on from: those the document's moves (`x-jobs.moves` of openapi/rekosearch.yaml, which
# the conformance suite holds every read to) give a next status; `processing` stands for its `processing_{n}%` family.
MOVING = frozenset(status.removesuffix("_{n}%") for status in load_document("rekosearch").moves)
NANOSECONDS_PER_SECOND = 1_000_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_nanoseconds(moment: datetime) -> int:
    """Count the nanoseconds from the Unix epoch to a time, exactly (no float on the way).

    Args:
        moment: An aware datetime.

    Returns:
        Nanoseconds since 1970-01-01 00:00:00 UTC.
    """
    return (moment - EPOCH) // timedelta(microseconds=1) * 1000


# Every job is reported with the same date many times over; strftime is the slow part of reporting it.
@functools.lru_cache(maxsize=4096)
def format_date(nanoseconds: int) -> str:
    """Write a time the way the API does (reference §8).

    Args:
        nanoseconds: Nanoseconds since the Unix epoch, UTC.

    Returns:
        E.g. "2025-08-16 09:30:12.123456789 UTC", always with nine fractional digits like the documented example.
    """
    seconds, fraction = divmod(nanoseconds, NANOSECONDS_PER_SECOND)
    moment = datetime.fromtimestamp(seconds, UTC)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{fraction:09d} UTC"


@dataclass(frozen=True)
class UploadedFile:
    """A file as it is uploaded into a job (the part of /upload/gen the jobs API reports).

    Attributes:
        name: The original file name, e.g. "beach.jpg".
        size: Its size in bytes.
        media_length: 1 for an image, pages or a duration otherwise (a number or a string, reference §6.1).
        credits: What processing it costs.
        failure: Why processing it fails, or None when it will get results.
    """

    name: str
    size: int
    media_length: int | float | str
    credits: int
    failure: str | None = None


@dataclass(frozen=True)
class StoredObject:
    """An uploaded file of a job, under its object uuid.

    Attributes:
        uuid: The object uuid, `<uuid>.<ext>` (the extension of the original name).
        file: The file.
    """

    uuid: str
    file: UploadedFile


@dataclass
class Job:
    """One job and how far its processing has got.

    Attributes:
        job_id: The id, unique among its user's jobs.
        name: The job's name, or None for an unnamed job.
        created_at: When it was created, in nanoseconds since the epoch (dates carry nine fractional digits).
        email: Where its notifications go, or None.
        objects: Its uploaded files.
        stage: QUEUED, PROCESSING, SUCCESS or FAILED_CREDITS_RESTORED.
        progress: While processing, the percentage done (0 shows as plain `processing`).
    """

    job_id: int
    name: str | None
    created_at: int
    email: str | None
    objects: tuple[StoredObject, ...]
    stage: str = QUEUED
    progress: int = 0

    @property
    def status(self) -> str:
        """The short status, e.g. "processing_40%"."""
        if self.stage == PROCESSING and self.progress:
            return f"{PROCESSING}_{self.progress}%"
        return self.stage

    @property
    def status_meaning(self) -> str:
        """The status in words."""
        if self.stage == PROCESSING and self.progress:
            return f"{STATUS_MEANINGS[PROCESSING]} ({self.progress}% done)"
        return STATUS_MEANINGS[self.stage]

    @property
    def credits_spent(self) -> int:
        """Credits are charged at upload; failed files are refunded once processed, a critical failure refunds all."""
        if self.stage == FAILED_CREDITS_RESTORED:
            return 0
        refunded = self.stage == SUCCESS
        return sum(o.file.credits for o in self.objects if not (refunded and o.file.failure is not None))

    def step(self) -> None:
        """Move processing on by one step (nothing happens to a finished job: one in a status the document's moves
        give no next status)."""
        if self.stage not in MOVING:
            return
        if self.stage == QUEUED:
            self.stage = PROCESSING
        elif self.stage == PROCESSING:
            self.progress += PROGRESS_STEP
            if self.progress >= 100:
                self.stage, self.progress = SUCCESS, 0

    def summary(self) -> dict[str, Any]:
        """Give the job as jobs/list reports it.

        Returns:
            The JobSummary object.
        """
        return {
            "job_id": self.job_id,
            "job_name": self.name,
            "date": format_date(self.created_at),
            "total_size": sum(o.file.size for o in self.objects),
            "credits_spent": self.credits_spent,
            "status": self.status,
            "status_meaning": self.status_meaning,
        }

    def details(self, user_id: str, now: datetime) -> dict[str, Any]:
        """Give the job as jobs/get reports it, with fresh links to its results.

        Args:
            user_id: The owner.
            now: When the links are made.

        Returns:
            The JobDetails object.
        """
        processed = self.stage == SUCCESS
        results = {}
        if processed:
            for stored in self.objects:
                if stored.file.failure is None:
                    full, minified = result_keys(user_id, self.job_id, stored.uuid)
                    results[stored.uuid] = {"full": presign(full, now), "min": presign(minified, now)}
        return {
            "job_info": {
                "user_id": user_id,
                "job_id": self.job_id,
                "job_name": self.name,
                "date": format_date(self.created_at),
                "total_size": sum(o.file.size for o in self.objects),
                "credits_spent": self.credits_spent,
                "email": self.email,
                "object_uuid_names": {o.uuid: o.file.name for o in self.objects},
                "media_length": {o.uuid: o.file.media_length for o in self.objects},
                "failed_to_process": {
                    o.uuid: o.file.failure for o in self.objects if processed and o.file.failure is not None
                },
                "status": self.status,
            },
            "results": results,
        }


@dataclass
class User:
    """A RekoSearch user.

    Attributes:
        user_id: The user id (a Cognito `sub`).
        email: The user's e-mail.
        token: What the user sends as `Authorization` (never shown in a repr).
        jobs: The user's jobs by id.
        last_job_id: The user's job counter: the next job gets the id after it.
    """

    user_id: str
    email: str
    token: str = field(repr=False)
    jobs: dict[int, Job] = field(default_factory=dict)
    last_job_id: int = 0


@dataclass(frozen=True)
class JobUpload:
    """What creating a job needs (the simulator's stand-in for /upload/gen and the uploads that follow).

    Attributes:
        name: The job's name, or None.
        age: How long ago the job was created.
        files: The uploaded files.
        notify: Whether the job's notifications go to the user's e-mail.
        stage: The stage the job starts in.
        progress: The progress it starts with, when processing.
    """

    name: str | None
    age: timedelta
    files: Sequence[UploadedFile]
    notify: bool = True
    stage: str = QUEUED
    progress: int = 0


class RekoSearchJobs:
    """Every user's jobs. All methods are atomic: each holds one lock for its whole state change."""

    def __init__(self, *, clock: Clock = system_clock, seed: int = 0) -> None:
        """Start with no users.

        Args:
            clock: Tells the time for dates, links and the 30-day retention.
            seed: Seeds the generator of user ids, tokens, object uuids and sub-microsecond digits.
        """
        self._clock = clock
        # Repeatable ids are the point here, not unguessable ones.
        self._random = random.Random(seed)  # noqa: S311
        self._users: list[User] = []
        self._lock = threading.Lock()

    def add_user(self, email: str, uploads: Sequence[JobUpload], *, token: str | None = None) -> User:
        """Create a user with jobs.

        Args:
            email: The user's e-mail.
            uploads: The user's jobs, oldest first; they get ids 1, 2, 3, ...
            token: The user's token; a new one when None.

        Returns:
            The user.

        Raises:
            ValueError: Another user has this token (a token names exactly one user).
        """
        with self._lock:
            if token is not None and any(hmac.compare_digest(token.encode(), u.token.encode()) for u in self._users):
                raise ValueError("every user needs a token of their own")
            user_id = str(self._uuid())
            user = User(user_id=user_id, email=email, token=token or f"mock-rekosearch-{self._uuid().hex}")
            now = self._clock()
            for upload in uploads:
                user.last_job_id += 1
                user.jobs[user.last_job_id] = Job(
                    job_id=user.last_job_id,
                    name=upload.name,
                    created_at=to_nanoseconds(now - upload.age) + self._random.randrange(1000),
                    email=email if upload.notify else None,
                    objects=tuple(StoredObject(self._object_uuid(file.name), file) for file in upload.files),
                    stage=upload.stage,
                    progress=upload.progress,
                )
            self._users.append(user)
            return user

    def authenticate(self, token: str) -> User | None:
        """Find the user a token belongs to.

        Args:
            token: The token as sent.

        Returns:
            The user, or None when no user has this token. Every token is compared in constant time.
        """
        with self._lock:
            found = None
            for user in self._users:
                if hmac.compare_digest(token.encode(), user.token.encode()):
                    found = user
            return found

    def list_jobs(self, user: User) -> list[dict[str, Any]]:
        """Observe all of a user's jobs, in id order.

        Args:
            user: The caller.

        Returns:
            JobSummary objects.
        """
        with self._lock:
            self._purge(user)
            listed = [user.jobs[job_id].summary() for job_id in sorted(user.jobs)]
            for job in user.jobs.values():
                job.step()
            return listed

    def get_job(self, user: User, job_id: int) -> dict[str, Any]:
        """Observe one of a user's jobs.

        Args:
            user: The caller.
            job_id: The job.

        Returns:
            The JobDetails object.

        Raises:
            RekoSearchError: 404 when the caller has no job with this id (another user's id included).
        """
        with self._lock:
            self._purge(user)
            job = user.jobs.get(job_id)
            if job is None:
                raise errors.job_does_not_exist()
            details = job.details(user.user_id, self._clock())
            job.step()
            return details

    def object_url(self, user: User, job_id: int, object_uuid: str) -> str:
        """Link to an object of the caller's, whether or not it exists (reference §5.3: no existence check).

        Args:
            user: The caller.
            job_id: The job.
            object_uuid: The object.

        Returns:
            A presigned-style link into the caller's own files.
        """
        return presign(object_key(user.user_id, job_id, object_uuid), self._clock())

    def delete_job(self, user: User, job_id: int) -> None:
        """Delete one of the caller's jobs with its files; a job the caller does not have is left alone (idempotent).

        Args:
            user: The caller.
            job_id: The job.
        """
        with self._lock:
            user.jobs.pop(job_id, None)

    def advance(self, user: User, job_id: int, steps: int = 1) -> None:
        """Move a job's processing on without observing it.

        Args:
            user: The owner.
            job_id: The job.
            steps: How many steps.

        Raises:
            RekoSearchError: 404 when the user has no such job.
        """
        with self._lock:
            job = user.jobs.get(job_id)
            if job is None:
                raise errors.job_does_not_exist()
            for _ in range(steps):
                job.step()

    def users(self) -> list[User]:
        """Every user, oldest first.

        Returns:
            The users.
        """
        with self._lock:
            return list(self._users)

    def _purge(self, user: User) -> None:
        cutoff_nanoseconds = to_nanoseconds(self._clock() - RETENTION)
        for job_id in [job_id for job_id, job in user.jobs.items() if job.created_at < cutoff_nanoseconds]:
            del user.jobs[job_id]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self._random.getrandbits(128), version=4)

    def _object_uuid(self, file_name: str) -> str:
        extension = file_name.rsplit(".", 1)[1] if "." in file_name else "bin"
        return f"{self._uuid()}.{extension}"
