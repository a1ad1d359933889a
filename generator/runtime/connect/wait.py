"""Wait until a Connect job is finalized: `wait_for_job` and `wait_for_job_async`, optionally following its log.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).

A job is active (0), then finished (1, its process exited), then finalized (2, its log complete). The job is polled
(GET .../jobs/{key}) until it is finalized or `timeout` seconds have passed. With `on_log`, the job's log is followed
first (the tail, which the server closes when the job is finalized), every entry handed to `on_log` as it arrives::

    job = wait_for_job(guid, key, client=client, timeout=600, on_log=lambda entry: print(entry.data))
    print(job.status, job.exit_code)

No request reaches past the deadline; polls that get no answer, or a 408/429/5xx, are tried again as the client's
`RetryPolicy` says (see `_polling`).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from generated_client.connect import _polling, errors
from generated_client.connect.api.jobs import get_job
from generated_client.connect.client import AuthenticatedClient, Client
from generated_client.connect.models.job_item import JobItem
from generated_client.connect.models.job_status import JobStatus
from generated_client.connect.models.log_entry import LogEntry

from .log_tail import TailTimeout, tail_job_log, tail_job_log_async


def _done(job: JobItem) -> bool:
    return job.status == JobStatus.FINALIZED


# The job itself is polled, until it is finalized.
_JOB = _polling.Polled(get_job, JobItem, _polling.same, _done)


def _late(key: str, poller: _polling.Poller) -> errors.WaitTimeout:
    return errors.WaitTimeout(f"job {key}'s log had not ended after {poller.timeout:g} s", None)


@contextmanager
def _log_in_time(key: str, poller: _polling.Poller) -> Iterator[None]:
    """Following the log: running out of time on it (its next entry, or its answer, did not come in time) is the
    wait's timeout."""
    try:
        yield
    except (TailTimeout, errors.APITimeoutError) as exc:
        if isinstance(exc, errors.APITimeoutError) and poller.remaining() > 0:
            raise
        raise _late(key, poller) from exc


def _hand_over(entry: LogEntry, on_log: Callable[[LogEntry], object], key: str, poller: _polling.Poller) -> None:
    on_log(entry)
    if poller.remaining() <= 0:
        raise _late(key, poller)


def wait_for_job(
    guid: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    timeout: float = 3600.0,
    interval: float = 1.0,
    max_interval: float = 15.0,
    on_update: Callable[[JobItem], object] | None = None,
    on_log: Callable[[LogEntry], object] | None = None,
) -> JobItem:
    """Wait until a job is finalized.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        client: The client to send the requests with.
        timeout: The most seconds to wait in all.
        interval: The first wait between polls, in seconds; it grows by half after each poll, up to `max_interval`.
        max_interval: The longest wait between polls.
        on_update: Called with the job after every poll, the last one included.
        on_log: When given, the job's log is followed first and every entry handed to it as it arrives.

    Returns:
        The finalized job.

    Raises:
        errors.WaitTimeout: The job was not finalized within `timeout`.
        errors.APIError: A request failed for good (e.g. `NotFoundError`, or `EndpointNotAvailable` on a Connect
            older than 2022.10.0).
    """
    wait = _JOB.wait(client, get_job._get_kwargs(guid, key), f"job {key}", timeout, interval, max_interval, on_update)
    if on_log is not None:
        with (
            _log_in_time(key, wait.poller),
            tail_job_log(guid, key, client=client, timeout=wait.poller.remaining()) as entries,
        ):
            for entry in entries:
                _hand_over(entry, on_log, key, wait.poller)
    return wait.run()


async def wait_for_job_async(
    guid: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    timeout: float = 3600.0,
    interval: float = 1.0,
    max_interval: float = 15.0,
    on_update: Callable[[JobItem], object] | None = None,
    on_log: Callable[[LogEntry], object] | None = None,
) -> JobItem:
    """`wait_for_job` with the client's `httpx.AsyncClient`: the same arguments, result and errors."""
    wait = _JOB.wait(client, get_job._get_kwargs(guid, key), f"job {key}", timeout, interval, max_interval, on_update)
    if on_log is not None:
        with _log_in_time(key, wait.poller):
            async with tail_job_log_async(guid, key, client=client, timeout=wait.poller.remaining()) as entries:
                async for entry in entries:
                    _hand_over(entry, on_log, key, wait.poller)
    return await wait.arun()


__all__ = ["wait_for_job", "wait_for_job_async"]
