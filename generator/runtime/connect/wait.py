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
from dataclasses import dataclass
from typing import Any, Unpack

from generated_client.connect import _polling, errors
from generated_client.connect.api.jobs import get_job
from generated_client.connect.models.job_item import JobItem
from generated_client.connect.models.job_status import JobStatus
from generated_client.connect.models.log_entry import LogEntry

from .log_tail import TailTimeout, tail_job_log, tail_job_log_async


def _done(job: JobItem) -> bool:
    return job.status == JobStatus.FINALIZED


# The job itself is polled, until it is finalized; `on_update` sees every poll's job.
_JOB = _polling.Polled(get_job, JobItem, _polling.same, _done)


class WaitOptions(_polling.Options, total=False):
    """What `wait_for_job` takes by keyword: the client and the schedule (`_polling.Options`); `on_update`, called
    with the job after every poll, the last one included; and `on_log`, which, when given, has the job's log followed
    first and every entry handed to it as it arrives."""

    on_update: Callable[[JobItem], object] | None
    on_log: Callable[[LogEntry], object] | None


@dataclass(frozen=True)
class _FollowLog:
    """What a wait with `on_log` does before polling: follow the job's log (the tail, which the server closes when the
    job is finalized) within the wait's deadline, handing every entry to `on_log`."""

    guid: str
    key: str
    on_log: Callable[[LogEntry], object]

    def run(self, wait: _polling.Wait[Any, Any]) -> None:
        with (
            self._in_time(wait.poller),
            tail_job_log(self.guid, self.key, client=wait.client, timeout=wait.poller.remaining()) as entries,
        ):
            for entry in entries:
                self._hand_over(entry, wait.poller)

    async def arun(self, wait: _polling.Wait[Any, Any]) -> None:
        with self._in_time(wait.poller):
            async with tail_job_log_async(
                self.guid, self.key, client=wait.client, timeout=wait.poller.remaining()
            ) as entries:
                async for entry in entries:
                    self._hand_over(entry, wait.poller)

    def _late(self, poller: _polling.Poller) -> errors.WaitTimeout:
        return errors.WaitTimeout(f"job {self.key}'s log had not ended after {poller.timeout:g} s", None)

    @contextmanager
    def _in_time(self, poller: _polling.Poller) -> Iterator[None]:
        # Running out of time on the log (its next entry, or its answer, did not come in time) is the wait's timeout.
        try:
            yield
        except (TailTimeout, errors.APITimeoutError) as exc:
            if isinstance(exc, errors.APITimeoutError) and poller.remaining() > 0:
                raise
            raise self._late(poller) from exc

    def _hand_over(self, entry: LogEntry, poller: _polling.Poller) -> None:
        self.on_log(entry)
        if poller.remaining() <= 0:
            raise self._late(poller)


def _wait(guid: str, key: str, options: WaitOptions) -> _polling.Wait[JobItem, JobItem]:
    on_log = options.pop("on_log", None)
    follow = None if on_log is None else _FollowLog(guid, key, on_log)
    return _JOB.wait(get_job._get_kwargs(guid, key), f"job {key}", options, follow)


def wait_for_job(guid: str, key: str, **options: Unpack[WaitOptions]) -> JobItem:
    """Wait until a job is finalized.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        **options: `client` (required), `timeout`, `interval`, `max_interval`, `on_update` and `on_log`
            (`WaitOptions`).

    Returns:
        The finalized job.

    Raises:
        errors.WaitTimeout: The job was not finalized within `timeout`.
        errors.APIError: A request failed for good (e.g. `NotFoundError`, or `EndpointNotAvailable` on a Connect
            older than 2022.10.0).
    """
    return _wait(guid, key, options).run()


async def wait_for_job_async(guid: str, key: str, **options: Unpack[WaitOptions]) -> JobItem:
    """`wait_for_job` with the client's `httpx.AsyncClient`: the same arguments, result and errors."""
    return await _wait(guid, key, options).arun()


__all__ = ["WaitOptions", "wait_for_job", "wait_for_job_async"]
