"""The Posit Connect jobs state machine: content items, their jobs, and what each job writes to its log. No HTTP here.

A job is a process Connect ran for a content item. Its life::

    start --(writes a log line every `line_interval` s)--> exits after `job_lines` lines, or when killed
      status 0 Active                                       status 1 Finished
                                   --(`finalize_delay` s later: its log is complete)--> status 2 Finalized

Everything follows from the clock: a job's lines are planned when it starts (from a random generator seeded by the
simulator's seed and the job's key), and what a request sees is what was written by the time the clock tells. So the
same seed and the same clock readings always give the same jobs, keys, ids and logs, and a test that drives the clock
decides when jobs write, finish and are finalized. A kill ends the process at once (status 1, no more lines); killing
a job that is not active raises `ConnectError(JOB_NOT_ACTIVE)`, code 163.

A content item with `min_processes` 1 (an interactive app) is kept running the way Connect keeps an app's minimum
number of processes: its process writes its `job_lines` lines and then stays up, quiet, until a kill order ends it,
and one `line_interval` after that a new process starts. Only processes of other content exit by themselves. So a
test that finds an app's process active knows it stays active until the test kills it.

Breaking a rule raises `ConnectError`. The class is thread-safe: one lock guards all state.
"""

import enum
import functools
import random
import string
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_server.clock import Clock
from mock_server.connect.errors import ConnectError, ErrorCode
from mock_server.openapi import load_document

RUN_AS = "rstudio-connect"
LOCAL_HOSTNAME = "dogfood02"
KILL_RESULT = "Order to kill job registered"
KEY_ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 16


# Every job is reported with the same few times many times over; strftime is the slow part of reporting it.
@functools.lru_cache(maxsize=4096)
def format_time(moment: datetime) -> str:
    """Write a job's time the way Connect does.

    Args:
        moment: An aware datetime.

    Returns:
        RFC 3339 in UTC, to the second, e.g. "2024-11-25T22:17:42Z".
    """
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def format_log_time(moment: datetime, nanoseconds: int) -> str:
    """Write a log entry's time the way Connect does, with nanoseconds.

    Args:
        moment: An aware datetime (microseconds).
        nanoseconds: The three digits below the microsecond, 0-999.

    Returns:
        RFC 3339 in UTC, e.g. "2024-12-06T19:09:29.948016766Z".
    """
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}{nanoseconds:03d}Z"


class JobStatus(enum.IntEnum):
    """A job's status as the API reports it."""

    ACTIVE = 0
    FINISHED = 1
    FINALIZED = 2


# A kill ends the job's process: it may only be aimed at a job whose status can move to `FINISHED`, as the document's
# moves (`x-jobs.moves` of openapi/connect.yaml, which the conformance suite holds every read to) say.
KILLABLE = frozenset(
    JobStatus(int(status))
    for status, nexts in load_document("connect").moves.items()
    if str(int(JobStatus.FINISHED)) in nexts
)


@dataclass(frozen=True)
class Timing:
    """How fast simulated jobs live.

    Attributes:
        line_interval: Seconds between two log lines of a running job (and before an app's next process starts).
        job_lines: How many lines a job started by the simulator writes; then it exits, or, for an app with a
            minimum of processes, stays up until it is killed.
        finalize_delay: Seconds from a job's exit to its finalization (when its tail closes).
    """

    line_interval: float = 1.0
    job_lines: int = 20
    finalize_delay: float = 5.0

    def __post_init__(self) -> None:
        """Check the values make sense.

        Raises:
            ValueError: A value is not positive.
        """
        if self.line_interval <= 0 or self.job_lines < 1 or self.finalize_delay <= 0:
            raise ValueError("line_interval and finalize_delay must be positive, job_lines at least 1")


@dataclass(frozen=True)
class LogLine:
    """One line a job writes.

    Attributes:
        at: When it is written.
        source: "stdout" or "stderr".
        data: The text.
        nanoseconds: The digits of its timestamp below the microsecond.
    """

    at: datetime
    source: str
    data: str
    nanoseconds: int = 0

    def to_json(self) -> dict[str, Any]:
        """Give the line as the API reports it.

        Returns:
            The LogEntry object.
        """
        return {"source": self.source, "timestamp": format_log_time(self.at, self.nanoseconds), "data": self.data}


@dataclass
class Content:
    """A content item and its jobs.

    Attributes:
        guid: Its GUID.
        app_id: Its numeric id.
        name: What it is called.
        bundle_id: Its active bundle.
        run_tag: The tag of the processes the simulator starts for it.
        min_processes: 1 for an app that always has a process running (it runs until killed), else 0.
        jobs: Its jobs, oldest first.
        started: How many processes the simulator has started for it.
    """

    guid: str
    app_id: int
    name: str
    bundle_id: int
    run_tag: str
    min_processes: int = 0
    jobs: list["Job"] = field(default_factory=list)
    started: int = 0


@dataclass
class Job:
    """A job (process) of a content item.

    Attributes:
        id: Its numeric id.
        key: Its unique key.
        content: The content item it belongs to.
        tag: What it does (`run_app`, `build_report`, ...).
        start: When it started.
        lines: Everything it writes if it runs to its natural end, in order.
        natural_end: When it exits by itself; None for a process that runs until it is killed.
        exit_code: Its exit code when it exits by itself.
        pid: Its process id.
        ppid: Its parent's process id (None off-host).
        variant_id: The variant owning it.
        bundle_id: The bundle it runs.
        hostname: The node that runs it.
        remote_id: Its off-host execution id, or None.
        cluster: Its cluster, or None on the Connect host.
        image: Its image, or None on the Connect host.
        queued_time: When it was queued (scheduled reports), or None.
        queue_name: The queue (scheduled reports), or None.
        logged_error: Its primary error (LoggedError), or None.
        reports_end: False for a job whose `end_time` and `exit_code` stay null (as real servers report some).
        killed_at: When a kill order ended it, or None.
        kill_order: The kill order's GUID, once killed.
    """

    id: int
    key: str
    content: Content
    tag: str
    start: datetime
    lines: tuple[LogLine, ...]
    natural_end: datetime | None
    exit_code: int | None
    pid: int
    ppid: int | None
    variant_id: int = 0
    bundle_id: int = 0
    hostname: str = LOCAL_HOSTNAME
    remote_id: str | None = None
    cluster: str | None = None
    image: str | None = None
    queued_time: datetime | None = None
    queue_name: str | None = None
    logged_error: dict[str, Any] | None = None
    reports_end: bool = True
    killed_at: datetime | None = None
    kill_order: str | None = None

    @property
    def end(self) -> datetime | None:
        """When the process exits (or exited); None while only a kill order can end it."""
        if self.killed_at is None:
            return self.natural_end
        if self.natural_end is None:
            return self.killed_at
        return min(self.natural_end, self.killed_at)

    def last_seen(self, now: datetime) -> datetime:
        """The last moment the process was running, as of `now`.

        Args:
            now: The time.

        Returns:
            `now` while it runs, else when it ended.
        """
        end = self.end
        return now if end is None else min(now, end)

    def status(self, now: datetime, timing: Timing) -> JobStatus:
        """Tell the job's status.

        Args:
            now: The time.
            timing: The simulator's timing.

        Returns:
            Active before its end, finished until `finalize_delay` after it, finalized then.
        """
        end = self.end
        if end is None or now < end:
            return JobStatus.ACTIVE
        if now < end + timedelta(seconds=timing.finalize_delay):
            return JobStatus.FINISHED
        return JobStatus.FINALIZED

    def written(self, now: datetime) -> list[LogLine]:
        """The lines written by a moment.

        Args:
            now: The time.

        Returns:
            The lines written by then (none after the process ended), oldest first.
        """
        until = self.last_seen(now)
        return [line for line in self.lines if line.at <= until]

    def to_json(self, now: datetime, timing: Timing) -> dict[str, Any]:
        """Give the job as the API reports it.

        Args:
            now: The time.
            timing: The simulator's timing.

        Returns:
            The JobItem object (with `content_id` and `content_guid`, as Connect 2025.01.0 and later send them).
        """
        status = self.status(now, timing)
        end = self.end
        ended = status is not JobStatus.ACTIVE and self.reports_end and end is not None
        exit_code = self.exit_code if self.killed_at is None else None
        return {
            "id": str(self.id),
            "ppid": None if self.ppid is None else str(self.ppid),
            "pid": str(self.pid),
            "key": self.key,
            "remote_id": self.remote_id,
            "app_id": str(self.content.app_id),
            "content_id": str(self.content.app_id),
            "content_guid": self.content.guid,
            "variant_id": str(self.variant_id),
            "bundle_id": str(self.bundle_id),
            "start_time": format_time(self.start),
            "end_time": format_time(end) if ended and end is not None else None,
            "last_heartbeat_time": format_time(self.last_seen(now)),
            "queued_time": None if self.queued_time is None else format_time(self.queued_time),
            "queue_name": self.queue_name,
            "tag": self.tag,
            "exit_code": exit_code if ended else None,
            "status": int(status),
            "hostname": self.hostname,
            "cluster": self.cluster,
            "image": self.image,
            "run_as": RUN_AS,
        }

    def log_file_name(self) -> str:
        """The file name the download gets when none is asked for (the one Connect's spec documents)."""
        return f"rstudio-connect.{self.content.app_id}.{self.variant_id}.{self.bundle_id}.{self.tag}.{self.key}.log"


# What the processes the simulator starts write after the session header, by tag; cycled in a seeded order.
WORK_LINES: dict[str, Sequence[tuple[str, str]]] = {
    "run_app": (
        ("stdout", "Session {n} started"),
        ("stdout", "Session {n} ended"),
        ("stderr", "Warning: Error in renderPlot: object 'sales' not found"),
        ("stdout", "Refreshing the sales extract ({n} rows)"),
    ),
    "run_fastapi_app": (
        ("stderr", 'INFO:     127.0.0.1:{port} - "GET /forecast?days=7 HTTP/1.1" 200 OK'),
        ("stderr", 'INFO:     127.0.0.1:{port} - "GET /health HTTP/1.1" 200 OK'),
        ("stderr", 'INFO:     127.0.0.1:{port} - "POST /forecast HTTP/1.1" 422 Unprocessable Entity'),
    ),
    "build_report": (
        ("stdout", "processing file: quarterly.Rmd"),
        ("stdout", "  |{bar}| {n}%"),
        ("stdout", "output file: quarterly.knit.md"),
    ),
}
START_LINES: dict[str, Sequence[tuple[str, str]]] = {
    "run_app": (("stderr", "Loading required package: shiny"), ("stdout", "Listening on http://127.0.0.1:{port}")),
    "run_fastapi_app": (
        ("stderr", "INFO:     Started server process [{pid}]"),
        ("stderr", "INFO:     Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)"),
    ),
    "build_report": (("stdout", "Running rmarkdown::render()"),),
}


class ConnectJobs:
    """The content items and jobs of one simulator (see the module docstring)."""

    def __init__(self, *, clock: Clock, timing: Timing, seed: int) -> None:
        """Start with no content.

        Args:
            clock: Tells the time.
            timing: How fast jobs live.
            seed: Seeds every random choice (keys, ids, process ids, log lines, kill orders).
        """
        self._clock = clock
        self.timing = timing
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311
        self._lock = threading.Lock()
        self._content: dict[str, Content] = {}
        self._next_job_id = 40900000
        self.started_at = clock()

    # Setting up (the seed module)

    def add_content(self, content: Content) -> Content:
        """Add a content item.

        Args:
            content: The item, with any jobs it already has.

        Returns:
            The item.
        """
        with self._lock:
            self._content[content.guid] = content
            return content

    def start_process(self, content: Content, start: datetime, lines: int | None = None) -> Job:
        """Start a process of a content item, with its tag and lines chosen the way the simulator does.

        Args:
            content: The item.
            start: When it starts (may be in the past: it has then written what it would have by now).
            lines: How many lines it writes before it exits; `timing.job_lines` when None.

        Returns:
            The new job.
        """
        with self._lock:
            return self._start_process(content, start, lines)

    # The operations

    def content_item(self, guid: str) -> Content:
        """Find a content item.

        Args:
            guid: Its GUID.

        Returns:
            The item.

        Raises:
            ConnectError: NOT_FOUND.
        """
        with self._lock:
            return self._find_content(guid)

    def list_jobs(self, guid: str) -> list[dict[str, Any]]:
        """GetJobs.

        Args:
            guid: The content item's GUID.

        Returns:
            Its jobs, newest first.
        """
        with self._lock:
            now = self._clock()
            content = self._observed(guid, now)
            return [job.to_json(now, self.timing) for job in reversed(content.jobs)]

    def get_job(self, guid: str, key: str) -> dict[str, Any]:
        """GetJob.

        Args:
            guid: The content item's GUID.
            key: The job's key.

        Returns:
            The job.
        """
        with self._lock:
            now = self._clock()
            return self._job(guid, key, now).to_json(now, self.timing)

    def kill_job(self, guid: str, key: str) -> dict[str, Any]:
        """KillJob: end an active job now.

        Args:
            guid: The content item's GUID.
            key: The job's key.

        Returns:
            The kill order.

        Raises:
            ConnectError: JOB_NOT_ACTIVE when the job has already finished.
        """
        with self._lock:
            now = self._clock()
            job = self._job(guid, key, now)
            if job.status(now, self.timing) not in KILLABLE:
                raise ConnectError(ErrorCode.JOB_NOT_ACTIVE)
            job.killed_at = now
            job.kill_order = str(uuid.UUID(int=self._random.getrandbits(128), version=4))
            return {
                "guid": job.kill_order,
                "app_id": job.content.app_id,
                "app_guid": job.content.guid,
                "job_id": job.id,
                "job_key": job.key,
                "result": KILL_RESULT,
            }

    def job_log(self, guid: str, key: str, max_lines: int) -> dict[str, Any]:
        """JobLogs.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            max_lines: At most this many entries, the most recent ones.

        Returns:
            `{"entries": [...]}`, oldest first.
        """
        with self._lock:
            now = self._clock()
            written = self._job(guid, key, now).written(now)
            return {"entries": [line.to_json() for line in written[-max_lines:]]}

    def job_error(self, guid: str, key: str) -> dict[str, Any] | None:
        """JobError.

        Args:
            guid: The content item's GUID.
            key: The job's key.

        Returns:
            The job's primary error, or None when it has none.
        """
        with self._lock:
            now = self._clock()
            job = self._job(guid, key, now)
            # The error is known once the process has exited.
            if job.logged_error is None or job.status(now, self.timing) is JobStatus.ACTIVE:
                return None
            return dict(job.logged_error)

    def log_file(self, guid: str, key: str) -> tuple[str, str]:
        """JobDownloadLog.

        Args:
            guid: The content item's GUID.
            key: The job's key.

        Returns:
            The log file (stdout and stderr, one line per entry, in the order written) and its default file name.
        """
        with self._lock:
            now = self._clock()
            job = self._job(guid, key, now)
            return "".join(f"{line.data}\n" for line in job.written(now)), job.log_file_name()

    def tail(self, guid: str, key: str, sent: int) -> tuple[list[dict[str, Any]], bool]:
        """What JobTailLog sends next.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            sent: How many entries the tail has sent so far.

        Returns:
            The entries written since, and whether the job is finalized (then nothing more will come).
        """
        with self._lock:
            now = self._clock()
            job = self._job(guid, key, now)
            finalized = job.status(now, self.timing) is JobStatus.FINALIZED
            return [line.to_json() for line in job.written(now)[sent:]], finalized

    def job_keys(self) -> dict[str, list[str]]:
        """Every job key by content GUID, oldest first (for the start-up line)."""
        with self._lock:
            return {guid: [job.key for job in content.jobs] for guid, content in self._content.items()}

    # Internals; the lock is held.

    def _find_content(self, guid: str) -> Content:
        content = self._content.get(guid)
        if content is None:
            raise ConnectError(ErrorCode.NOT_FOUND)
        return content

    def _observed(self, guid: str, now: datetime) -> Content:
        content = self._find_content(guid)
        self._keep_processes_running(content, now)
        return content

    def _job(self, guid: str, key: str, now: datetime) -> Job:
        content = self._observed(guid, now)
        for job in content.jobs:
            if job.key == key:
                return job
        raise ConnectError(ErrorCode.NOT_FOUND)

    def _keep_processes_running(self, content: Content, now: datetime) -> None:
        restart = timedelta(seconds=self.timing.line_interval)
        while content.min_processes > 0 and content.jobs:
            ends = [job.end for job in content.jobs]
            if any(end is None or end > now for end in ends):
                return
            start = max(end for end in ends if end is not None) + restart
            if start > now:
                return
            self._start_process(content, start, None)

    def _start_process(self, content: Content, start: datetime, lines: int | None) -> Job:
        content.started += 1
        plan = random.Random(f"{self._seed}:{content.guid}:{content.started}")  # noqa: S311
        key = "".join(plan.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
        self._next_job_id += plan.randint(1, 900)
        pid = plan.randint(1000, 4_000_000)
        interval = timedelta(seconds=self.timing.line_interval)
        count = self.timing.job_lines if lines is None else lines
        texts = session_header(content, key) + work_lines(content.run_tag, plan, pid, count)
        planned = tuple(
            LogLine(start + interval * index, source, data, plan.randint(0, 999))
            for index, (source, data) in enumerate(texts[:count])
        )
        job = Job(
            id=self._next_job_id,
            key=key,
            content=content,
            tag=content.run_tag,
            start=start,
            lines=planned,
            # An app kept at its minimum of processes is not ended by its work: only a kill order ends it.
            natural_end=None if content.min_processes > 0 else start + interval * count,
            exit_code=0,
            pid=pid,
            ppid=pid - plan.randint(1, 40),
            bundle_id=content.bundle_id,
        )
        content.jobs.append(job)
        return job


def session_header(content: Content, key: str) -> list[tuple[str, str]]:
    """The lines Connect's session wrapper writes first in every process.

    Args:
        content: The content item.
        key: The job's key.

    Returns:
        (source, text) pairs.
    """
    return [
        ("stderr", f"[rsc-session] Content GUID: {content.guid}"),
        ("stderr", f"[rsc-session] Content ID: {content.app_id}"),
        ("stderr", f"[rsc-session] Bundle ID: {content.bundle_id}"),
        ("stderr", f"[rsc-session] Job Key: {key}"),
    ]


def work_lines(tag: str, plan: random.Random, pid: int, count: int) -> list[tuple[str, str]]:
    """What a process writes after its header: its start lines, then its work, in a seeded order.

    Args:
        tag: The job's tag.
        plan: The job's random generator.
        pid: Its process id.
        count: How many lines are needed at most.

    Returns:
        (source, text) pairs.
    """
    port = plan.randint(30000, 45000)
    found = [(source, text.format(pid=pid, port=port)) for source, text in START_LINES.get(tag, ())]
    work = WORK_LINES.get(tag, (("stdout", "Working ({n})"),))
    while len(found) < count:
        source, text = plan.choice(work)
        n = len(found)
        found.append((source, text.format(n=n, port=plan.randint(40000, 60000), bar="." * (n % 10))))
    return found
