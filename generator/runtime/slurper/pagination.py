"""Every job of an account, and every log entry of a job, as lazy iterators over `limit`/`offset` pages.

Hand-written; copied into generated_client/slurper/ by `python -m generator` (source: generator/runtime/slurper/).

The slurper's list endpoints return a plain array with no paging metadata (no total, no cursor), so a page shorter
than the page size is the last one. Pages are fetched only as the iteration reaches them::

    for job in iter_jobs(account_id, client=client):
        print(job.id, job.status)

    async for entry in aiter_job_logs(account_id, job_id, client=client):
        print(entry.created_at, entry.log_type, entry.object_key)

Every page goes through the client (its retries and timeouts); a failed page raises its `errors` exception.
Offsets are positions in a list the server may change meanwhile: a job created during the iteration can shift the
later pages by one, as with any offset paging.
"""

from collections.abc import AsyncIterator, Iterator

from ._responses import unwrap
from .api.r2_super_slurper import slurper_get_job_logs, slurper_list_jobs
from .client import AuthenticatedClient, Client
from .models.job import Job
from .models.job_list_response import JobListResponse
from .models.job_log import JobLog
from .models.job_log_list_response import JobLogListResponse

# The most a page may hold: the document's maximum for `limit`.
MAX_PAGE_SIZE = 50


def _check(page_size: int, offset: int) -> None:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, not {page_size}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, not {offset}")


def iter_jobs(
    account_id: str, *, client: AuthenticatedClient | Client, page_size: int = MAX_PAGE_SIZE, offset: int = 0
) -> Iterator[Job]:
    """Every job of the account, newest pages first as the server orders them, fetched a page at a time.

    Args:
        account_id: The account.
        client: The client to send the requests with.
        page_size: The jobs asked for per request (`limit`), from 1 to 50.
        offset: How many jobs to skip first.

    Yields:
        Each job.

    Raises:
        ValueError: `page_size` or `offset` is out of range.
        errors.APIError: A page could not be fetched.
    """
    _check(page_size, offset)
    while True:
        response = slurper_list_jobs.sync_detailed(account_id, client=client, limit=page_size, offset=offset)
        page = unwrap(response, JobListResponse).result
        yield from page
        if len(page) < page_size:
            return
        offset += len(page)


async def aiter_jobs(
    account_id: str, *, client: AuthenticatedClient | Client, page_size: int = MAX_PAGE_SIZE, offset: int = 0
) -> AsyncIterator[Job]:
    """`iter_jobs` for `async for`.

    Args:
        account_id: The account.
        client: The client to send the requests with.
        page_size: The jobs asked for per request (`limit`), from 1 to 50.
        offset: How many jobs to skip first.

    Yields:
        Each job.
    """
    _check(page_size, offset)
    while True:
        response = await slurper_list_jobs.asyncio_detailed(account_id, client=client, limit=page_size, offset=offset)
        page = unwrap(response, JobListResponse).result
        for job in page:
            yield job
        if len(page) < page_size:
            return
        offset += len(page)


def iter_job_logs(
    account_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    page_size: int = MAX_PAGE_SIZE,
    offset: int = 0,
) -> Iterator[JobLog]:
    """Every log entry of a job, oldest first, fetched a page at a time.

    Args:
        account_id: The account.
        job_id: The job.
        client: The client to send the requests with.
        page_size: The entries asked for per request (`limit`), from 1 to 50.
        offset: How many entries to skip first.

    Yields:
        Each log entry.

    Raises:
        ValueError: `page_size` or `offset` is out of range.
        errors.APIError: A page could not be fetched.
    """
    _check(page_size, offset)
    while True:
        response = slurper_get_job_logs.sync_detailed(account_id, job_id, client=client, limit=page_size, offset=offset)
        page = unwrap(response, JobLogListResponse).result
        yield from page
        if len(page) < page_size:
            return
        offset += len(page)


async def aiter_job_logs(
    account_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    page_size: int = MAX_PAGE_SIZE,
    offset: int = 0,
) -> AsyncIterator[JobLog]:
    """`iter_job_logs` for `async for`.

    Args:
        account_id: The account.
        job_id: The job.
        client: The client to send the requests with.
        page_size: The entries asked for per request (`limit`), from 1 to 50.
        offset: How many entries to skip first.

    Yields:
        Each log entry.
    """
    _check(page_size, offset)
    while True:
        response = await slurper_get_job_logs.asyncio_detailed(
            account_id, job_id, client=client, limit=page_size, offset=offset
        )
        page = unwrap(response, JobLogListResponse).result
        for entry in page:
            yield entry
        if len(page) < page_size:
            return
        offset += len(page)


__all__ = ["MAX_PAGE_SIZE", "aiter_job_logs", "aiter_jobs", "iter_job_logs", "iter_jobs"]
