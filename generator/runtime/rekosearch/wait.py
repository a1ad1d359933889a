"""Wait until a RekoSearch job has been processed: `wait_for_job` and `wait_for_job_async`.

Hand-written; copied into generated_client/rekosearch/ by `python -m generator` (source:
generator/runtime/rekosearch/).

A job's `status` is an open string: `queued`, `processing`, `processing_<N>%`, then `success` or a `failed_*`
value. The job is polled (GET /api/v1/jobs/get) until its status is `success` or starts with `failed`, or until
`timeout` seconds have passed::

    job = wait_for_job(job_id, client=client, timeout=600, on_update=print)

A poll whose job has no `job_info`, or no `status` in it, has not shown the job processed: the wait goes on (both are
`Unset`-able, since the document only assumes a server sends them).

No request reaches past the deadline; polls that get no answer, or a 408/429/5xx, are tried again as the client's
`RetryPolicy` says (see `_polling`).
"""

from collections.abc import Callable
from typing import Unpack

from generated_client.rekosearch import _polling
from generated_client.rekosearch.api.jobs import jobs_get
from generated_client.rekosearch.models.job_details import JobDetails
from generated_client.rekosearch.types import Unset


def is_processed(status: str) -> bool:
    """Whether a job's status is final: `success`, or any `failed_*`."""
    return status == "success" or status.startswith("failed")


def _done(job: JobDetails) -> bool:
    if isinstance(job.job_info, Unset) or isinstance(job.job_info.status, Unset):
        return False
    return is_processed(job.job_info.status)


# The job is polled, until its status is final; `on_update` sees every poll's job.
_JOB = _polling.Polled(jobs_get, JobDetails, _polling.same, _done)


class WaitOptions(_polling.Options, total=False):
    """What `wait_for_job` takes by keyword: the client and the schedule (`_polling.Options`), and `on_update`,
    called with the job after every poll, the last one included."""

    on_update: Callable[[JobDetails], object] | None


def _wait(job_id: int, options: WaitOptions) -> _polling.Wait[JobDetails, JobDetails]:
    return _JOB.wait(jobs_get._get_kwargs(job_id=job_id), f"job {job_id}", options)


def wait_for_job(job_id: int, **options: Unpack[WaitOptions]) -> JobDetails:
    """Poll a job until it has been processed.

    Args:
        job_id: The job.
        **options: `client` (required), `timeout`, `interval`, `max_interval` and `on_update` (`WaitOptions`).

    Returns:
        The job, with its final status.

    Raises:
        errors.WaitTimeout: The job was not processed within `timeout`.
        errors.APIError: A poll failed for good (e.g. `NotFoundError` for a job that does not exist).
    """
    return _wait(job_id, options).run()


async def wait_for_job_async(job_id: int, **options: Unpack[WaitOptions]) -> JobDetails:
    """`wait_for_job` with the client's `httpx.AsyncClient`: the same arguments, result and errors."""
    return await _wait(job_id, options).arun()


__all__ = ["WaitOptions", "is_processed", "wait_for_job", "wait_for_job_async"]
