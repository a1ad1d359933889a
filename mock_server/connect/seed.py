"""The content items and jobs a simulator starts with: every job state, with and without an error, on stdout and stderr.

The GUIDs, ids and keys are the ones recorded from real Connect servers (reference §4, §5) and used in the document's
examples, so the document's examples name real objects of the simulator:

- `SHINY_APP` (`8f37d6e0-...`, an R Shiny app that always keeps one process running): the finalized process
  `QBZ5jkKfmf9iT9k8` exactly as Connect 2024.08.0 reported it (null `end_time` and `exit_code`), two more finalized
  ones, and the running process `IuzpAzG329zvnt9s`, which runs until it is killed (then the next one starts);
- `REPORT` (`f2f37341-...`, a scheduled R Markdown report rendered on Kubernetes): a finalized package restore, a
  finalized render that failed (with its error), a finalized render that worked, and the render `tHawGvHZTosJA2Dx`
  that failed as the simulator started (finished, finalized `finalize_delay` seconds later);
- `API` (`3a1f6c52-...`, a FastAPI app with no minimum of processes): a finalized Python restore and a running
  process that exits by itself after `job_lines` lines.

Running processes started a few lines before the simulator did. Everything else lies in the past.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from mock_server.connect.jobs import ConnectJobs, Content, Job, LogLine, session_header

SHINY_APP = "8f37d6e0-3395-4a2c-aa6a-d7f2fe1babd0"
REPORT = "f2f37341-e21d-3d80-c698-a935ad614066"
API = "3a1f6c52-9e0b-4d7a-b5c1-2e8f4d6a9b70"
MISSING_PACKAGE = {
    "code": "RENDER_FAILED",
    "summary": "Error in library(ggplot3): there is no package called 'ggplot3'",
    "help_url": "https://docs.posit.co/connect/user/troubleshooting/",
}
KUBERNETES: dict[str, Any] = {"cluster": "Kubernetes", "image": "someorg/image:jammy"}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _lines(start: datetime, texts: list[tuple[str, str]], step: float = 0.4) -> tuple[LogLine, ...]:
    return tuple(
        LogLine(start + timedelta(seconds=step * index), source, data, (index * 337) % 1000)
        for index, (source, data) in enumerate(texts)
    )


def _past_job(
    content: Content,
    job_id: int,
    key: str,
    tag: str,
    start: str,
    end: str,
    *,
    texts: list[tuple[str, str]],
    exit_code: int | None = 0,
    **job_fields: Any,
) -> Job:
    """Add a job that ended before the simulator started; `job_fields` are more `Job` attributes."""
    begin = _at(start)
    job = Job(
        id=job_id,
        key=key,
        content=content,
        tag=tag,
        start=begin,
        lines=_lines(begin, session_header(content, key) + texts),
        natural_end=_at(end),
        exit_code=exit_code,
        bundle_id=content.bundle_id,
        **job_fields,
    )
    content.jobs.append(job)
    return job


def seed_demo_content(jobs: ConnectJobs) -> dict[str, list[str]]:
    """Create the demo content items and their jobs.

    Args:
        jobs: A state machine with no content.

    Returns:
        The job keys by content GUID, oldest first.
    """
    now = jobs.started_at
    interval = timedelta(seconds=jobs.timing.line_interval)

    shiny = jobs.add_content(
        Content(SHINY_APP, 52389, "Sales dashboard", bundle_id=127015, run_tag="run_app", min_processes=1)
    )
    _past_job(
        shiny, 39811452, "waaTO7v75I84S1hQ", "run_app", "2024-11-18T08:03:10", "2024-11-18T17:45:02",
        pid=2431177, ppid=2431160,
        texts=[("stderr", "Loading required package: shiny"), ("stdout", "Listening on http://127.0.0.1:41207")],
    )  # fmt: skip
    _past_job(
        shiny, 40096649, "QBZ5jkKfmf9iT9k8", "run_app", "2024-11-25T22:17:42", "2024-11-25T22:20:23",
        pid=2509199, ppid=2509183, reports_end=False, exit_code=None,
        texts=[("stderr", "Loading required package: shiny"), ("stdout", "Listening on http://127.0.0.1:39417"),
               ("stdout", "Session 1 started"), ("stdout", "Session 1 ended")],
    )  # fmt: skip
    _past_job(
        shiny, 40512873, "mxPGVOMVk6f8dso2", "run_app", "2024-12-06T19:09:29", "2024-12-06T23:58:40",
        pid=2577301, ppid=2577288,
        texts=[("stderr", "Loading required package: shiny"), ("stdout", "Listening on http://127.0.0.1:43112"),
               ("stderr", "Warning: Error in renderPlot: object 'sales' not found")],
    )  # fmt: skip
    running = jobs.start_process(shiny, now - interval * 3)
    _use_recorded_identity(running, 40793914, "IuzpAzG329zvnt9s")

    report = jobs.add_content(Content(REPORT, 48812, "Quarterly report", bundle_id=119377, run_tag="build_report"))
    _past_job(
        report, 38004511, "Lh3sPq0vNcXe7YbR", "packrat_restore", "2024-10-02T14:11:05", "2024-10-02T14:13:48",
        pid=1980210, ppid=1980199, variant_id=0,
        texts=[("stdout", "Installing ggplot2 (3.5.1) ..."), ("stdout", "Installing rmarkdown (2.29) ...")],
    )  # fmt: skip
    _past_job(
        report, 40633190, "Vt8kQm2ZrL5wNd1x", "build_report", "2025-01-06T06:00:03", "2025-01-06T06:01:29",
        pid=114, ppid=None, variant_id=3, remote_id="S3ViZXJuZXRlczpyZW5kZXItci1tYXJrZG93bi1ob3M4dw",
        queued_time=_at("2025-01-06T06:00:00"), queue_name="default", exit_code=1, logged_error=MISSING_PACKAGE,
        texts=[("stdout", "processing file: quarterly.Rmd"),
               ("stderr", "Error in library(ggplot3): there is no package called 'ggplot3'"),
               ("stderr", "Execution halted")],
        **KUBERNETES,
    )  # fmt: skip
    _past_job(
        report, 40701556, "Gc4nWj9TbA2sKe6u", "build_report", "2025-01-07T06:00:02", "2025-01-07T06:01:11",
        pid=116, ppid=None, variant_id=3, remote_id="S3ViZXJuZXRlczpyZW5kZXItci1tYXJrZG93bi1wcTJ6cg",
        queued_time=_at("2025-01-07T06:00:00"), queue_name="default",
        texts=[("stdout", "processing file: quarterly.Rmd"), ("stdout", "Output created: quarterly.html")],
        **KUBERNETES,
    )  # fmt: skip
    failing = Job(
        id=40811207,
        key="tHawGvHZTosJA2Dx",
        content=report,
        tag="build_report",
        start=now - interval * 4,
        lines=_lines(
            now - interval * 4,
            [
                *session_header(report, "tHawGvHZTosJA2Dx"),
                ("stdout", "processing file: quarterly.Rmd"),
                ("stderr", "Error in library(ggplot3): there is no package called 'ggplot3'"),
                ("stderr", "Execution halted"),
            ],
            step=jobs.timing.line_interval / 2,
        ),
        natural_end=now,
        exit_code=1,
        pid=117,
        ppid=None,
        variant_id=3,
        bundle_id=report.bundle_id,
        hostname="connect-5d8f7c9b4-x2lqp",
        remote_id="S3ViZXJuZXRlczpyZW5kZXItci1tYXJrZG93bi1zaXRlLWtnODJo",
        queued_time=now - interval * 5,
        queue_name="default",
        logged_error=MISSING_PACKAGE,
        cluster="Kubernetes",
        image="someorg/image:jammy",
    )
    report.jobs.append(failing)

    api = jobs.add_content(Content(API, 61024, "Forecast API", bundle_id=133902, run_tag="run_fastapi_app"))
    _past_job(
        api, 40788001, "Pz7cVb3NqW1xRt5y", "python_restore", "2025-01-13T15:40:12", "2025-01-13T15:41:55",
        pid=2609981, ppid=2609970,
        texts=[("stdout", "Collecting fastapi==0.115.6"), ("stdout", "Successfully installed fastapi-0.115.6")],
    )  # fmt: skip
    jobs.start_process(api, now - interval * 2)
    return jobs.job_keys()


def _use_recorded_identity(job: Job, job_id: int, key: str) -> None:
    """Give a started process the id and key of a real one (the kill order recorded from Connect, reference §4.5)."""
    old_key, job.id, job.key = job.key, job_id, key
    job.lines = tuple(
        LogLine(line.at, line.source, line.data.replace(old_key, key), line.nanoseconds) for line in job.lines
    )
