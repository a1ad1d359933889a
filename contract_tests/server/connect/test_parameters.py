"""Connect's query parameters do what they mean: `maxLogLines` bounds the log to its last n entries, compared with
the whole log for several n (one entry, a few, all but one, all, more than the log has, left out), and `filename`
names the download, Posit's default name being filled in with the job's own values, without changing the file.

Every test reads a finalized job, whose log no longer changes: reading only, so they run against a live server too.
"""

from typing import Any

import pytest

from contract_tests.server import parameters
from contract_tests.server.connect.checks import disposition_filename
from contract_tests.server.verdicts import Verdicts
from generated_client.connect import AuthenticatedClient
from generated_client.connect.api.jobs import get_jobs, job_download_log, job_logs
from generated_client.connect.models import JobItem, JobStatus, LogEntries

API = "connect"
# `maxLogLines` when it is left out (reference §3).
DEFAULT_MAX_LOG_LINES = 5000
# Enough for any log the suite reads: the whole log.
EVERYTHING = 1_000_000
# How many finalized jobs a test looks at, at most.
JOBS = 4


def _finalized(client: AuthenticatedClient, guid: str) -> list[JobItem]:
    listed = get_jobs.sync(guid, client=client)
    assert isinstance(listed, list), listed
    found = [job for job in listed if job.status == JobStatus.FINALIZED][:JOBS]
    if not found:
        pytest.skip("the content has no finalized job")
    return found


def _log(client: AuthenticatedClient, guid: str, key: str, max_log_lines: int | None) -> list[dict[str, Any]]:
    if max_log_lines is None:
        log = job_logs.sync(guid, key, client=client)
    else:
        log = job_logs.sync(guid, key, client=client, max_log_lines=max_log_lines)
    assert isinstance(log, LogEntries), log
    return [entry.to_dict() for entry in log.entries]


def test_max_log_lines_gives_the_last_n_entries_of_the_whole_log(
    client: AuthenticatedClient, guid: str, verdicts: Verdicts
) -> None:
    for job in _finalized(client, guid):
        key = str(job.key)
        everything = _log(client, guid, key, EVERYTHING)
        size = len(everything)
        bounds = sorted({1, 2, 3, size - 1, size, size + 1, 2 * size + 7} - {0, -1})
        for n in bounds:
            part = _log(client, guid, key, n)
            with verdicts.expecting(API, "log-has-at-most-max-log-lines"):
                assert len(part) <= n, f"job {key}: maxLogLines={n} gave {len(part)} entries"
            with verdicts.expecting(API, "max-log-lines-gives-a-contiguous-part"):
                assert len(part) == min(n, size), f"job {key}: maxLogLines={n} gave {len(part)} of {size} entries"
                assert any(everything[start : start + len(part)] == part for start in range(size - len(part) + 1)), (
                    f"job {key}: maxLogLines={n} gave entries that are no contiguous run of the log"
                )
            problems = parameters.last_entries_problems(everything, part, n)
            with verdicts.expecting(API, "max-log-lines-keeps-the-latest"):
                assert not problems, f"job {key}: " + "; ".join(problems)
        unbounded = _log(client, guid, key, None)
        with verdicts.expecting(API, "log-has-at-most-max-log-lines"):
            assert len(unbounded) <= DEFAULT_MAX_LOG_LINES, f"job {key}: without maxLogLines {len(unbounded)} entries"
        with verdicts.expecting(API, "max-log-lines-gives-a-contiguous-part"):
            assert unbounded == everything[-DEFAULT_MAX_LOG_LINES:], (
                f"job {key}: without maxLogLines the log is not the last {DEFAULT_MAX_LOG_LINES} entries of the whole"
            )


def _download(client: AuthenticatedClient, guid: str, key: str, filename: str | None) -> tuple[str | None, bytes]:
    """A job's log file: the name `Content-Disposition` gives it (None without the header), and its content."""
    if filename is None:
        response = job_download_log.sync_detailed(guid, key, client=client)
    else:
        response = job_download_log.sync_detailed(guid, key, client=client, filename=filename)
    assert response.status_code == 200, response.content[:300]
    header = response.headers.get("content-disposition")
    return (disposition_filename(header) if header is not None else None), response.content


def test_filename_names_the_download_and_changes_nothing_else(
    client: AuthenticatedClient, guid: str, verdicts: Verdicts
) -> None:
    for job in _finalized(client, guid):
        key = str(job.key)
        default_name, content = _download(client, guid, key, None)
        with verdicts.expecting(API, "download-names-the-file"):
            assert default_name is not None, f"job {key}: the download sends no Content-Disposition"
        if default_name is not None:
            default = f"rstudio-connect.{job.app_id}.{job.variant_id}.{job.bundle_id}.{job.tag}.{key}.log"
            with verdicts.expecting(API, "download-default-name-is-the-jobs"):
                assert default_name == default, f"job {key}: without a filename the file is {default_name!r}"
        for asked in ("dashboard-process.log", f"{key}.txt", "two words.log"):
            name, named_content = _download(client, guid, key, asked)
            with verdicts.expecting(API, "download-names-the-file"):
                assert name == asked, f"job {key}: asked for the file {asked!r}, the server named it {name!r}"
            with verdicts.expecting(API, "filename-changes-only-the-name"):
                assert named_content == content, f"job {key}: the file asked for as {asked!r} has other content"
