"""Wait until a migration job ends, watching its progress: `wait_for_job` and `wait_for_job_async`.

Hand-written; copied into generated_client/slurper/ by `python -m generator` (source: generator/runtime/slurper/).

The job's progress is polled (GET .../jobs/{job_id}/progress) until its status is `completed` or `aborted`, or
until `timeout` seconds have passed. `on_progress` sees every poll, so a progress bar can follow the migration::

    final = wait_for_job(account_id, job_id, client=client, timeout=3600, on_progress=show)
    print(final.status, final.transferred_objects, "of", final.objects)  # a counter the server left out: UNSET

A progress's fields are `Unset`-able (openapi/slurper.yaml only assumes a server sends them): a progress without
`status` has not shown the job ended, so the wait goes on; its counters are what the poll had.

A paused job is still a job that has not ended: the wait goes on until it is resumed and ends, or the timeout. No
request reaches past the deadline; polls that get no answer, or a 408/429/5xx, are tried again as the client's
`RetryPolicy` says (see `_polling`).
"""

from collections.abc import Callable
from typing import Unpack

from generated_client.slurper import _polling
from generated_client.slurper.api.r2_super_slurper import slurper_get_job_progress
from generated_client.slurper.models.job_progress import JobProgress
from generated_client.slurper.models.job_progress_response import JobProgressResponse
from generated_client.slurper.models.job_status import JobStatus

FINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.ABORTED})


def _done(progress: JobProgress) -> bool:
    # UNSET (a progress without its status) is in no set of statuses: not ended.
    return progress.status in FINAL_STATUSES


def _progress(envelope: JobProgressResponse) -> JobProgress:
    return envelope.result


# The job's progress is polled, until its status is final; `on_progress` sees every progress.
_PROGRESS = _polling.Polled(slurper_get_job_progress, JobProgressResponse, _progress, _done, "on_progress")


class WaitOptions(_polling.Options, total=False):
    """What `wait_for_job` takes by keyword: the client and the schedule (`_polling.Options`), and `on_progress`,
    called with the progress after every poll, the last one included."""

    on_progress: Callable[[JobProgress], object] | None


def _wait(account_id: str, job_id: str, options: WaitOptions) -> _polling.Wait[JobProgressResponse, JobProgress]:
    kwargs = slurper_get_job_progress._get_kwargs(account_id, job_id)
    return _PROGRESS.wait(kwargs, f"job {job_id}", options)


def wait_for_job(account_id: str, job_id: str, **options: Unpack[WaitOptions]) -> JobProgress:
    """Poll a job's progress until it is `completed` or `aborted`.

    Args:
        account_id: The account.
        job_id: The job.
        **options: `client` (required), `timeout`, `interval`, `max_interval` and `on_progress` (`WaitOptions`).

    Returns:
        The final progress.

    Raises:
        errors.WaitTimeout: The job had not ended within `timeout` (`last` is the last progress seen).
        errors.APIError: A poll failed for good (e.g. `NotFoundError` for a job that does not exist).
        ValueError: `timeout`, `interval` or `max_interval` is not positive, or `max_interval < interval`.
    """
    return _wait(account_id, job_id, options).run()


async def wait_for_job_async(account_id: str, job_id: str, **options: Unpack[WaitOptions]) -> JobProgress:
    """`wait_for_job` with the client's `httpx.AsyncClient`: the same arguments, result and errors."""
    return await _wait(account_id, job_id, options).arun()


__all__ = ["FINAL_STATUSES", "WaitOptions", "wait_for_job", "wait_for_job_async"]
