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

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from functools import partial
from typing import Any, Protocol, TypeVar

from generated_client.slurper._responses import unwrap
from generated_client.slurper.api.r2_super_slurper import slurper_get_job_logs, slurper_list_jobs
from generated_client.slurper.client import AuthenticatedClient, Client
from generated_client.slurper.models.job import Job
from generated_client.slurper.models.job_list_response import JobListResponse
from generated_client.slurper.models.job_log import JobLog
from generated_client.slurper.models.job_log_list_response import JobLogListResponse
from generated_client.slurper.types import Response

# The most a page may hold: the document's maximum for `limit`.
MAX_PAGE_SIZE = 50

X = TypeVar("X")


class _Listing(Protocol[X]):
    """A list endpoint's success model: its `result` is the page."""

    @property
    def result(self) -> list[X]: ...


class _Pages:
    """Where the next page starts, and whether the last one has come: the paging that `_pages` and `_apages`
    carry out."""

    def __init__(self, page_size: int, offset: int) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, not {page_size}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, not {offset}")
        self.page_size = page_size
        self.offset = offset
        self.ended = False

    def turn(self, listing: _Listing[X]) -> list[X]:
        """The items of the page just fetched; a page shorter than the page size is the last one."""
        page = listing.result
        self.ended = len(page) < self.page_size
        self.offset += len(page)
        return page


def _pages(
    fetch: Callable[..., Response[Any]], expected: type[_Listing[X]], page_size: int, offset: int
) -> Iterator[X]:
    pages = _Pages(page_size, offset)
    while not pages.ended:
        yield from pages.turn(unwrap(fetch(limit=pages.page_size, offset=pages.offset), expected))


async def _apages(
    fetch: Callable[..., Awaitable[Response[Any]]], expected: type[_Listing[X]], page_size: int, offset: int
) -> AsyncIterator[X]:
    pages = _Pages(page_size, offset)
    while not pages.ended:
        for item in pages.turn(unwrap(await fetch(limit=pages.page_size, offset=pages.offset), expected)):
            yield item


def iter_jobs(
    account_id: str, *, client: AuthenticatedClient | Client, page_size: int = MAX_PAGE_SIZE, offset: int = 0
) -> Iterator[Job]:
    """Every job of the account, newest pages first as the server orders them, fetched a page at a time.

    Args:
        account_id: The account.
        client: The client to send the requests with.
        page_size: The jobs asked for per request (`limit`), from 1 to 50.
        offset: How many jobs to skip first.

    Returns:
        An iterator over the jobs.

    Raises:
        ValueError: `page_size` or `offset` is out of range (when the iteration starts).
        errors.APIError: A page could not be fetched.
    """
    fetch = partial(slurper_list_jobs.sync_detailed, account_id, client=client)
    return _pages(fetch, JobListResponse, page_size, offset)


def aiter_jobs(
    account_id: str, *, client: AuthenticatedClient | Client, page_size: int = MAX_PAGE_SIZE, offset: int = 0
) -> AsyncIterator[Job]:
    """`iter_jobs` for `async for`: the same arguments and errors."""
    fetch = partial(slurper_list_jobs.asyncio_detailed, account_id, client=client)
    return _apages(fetch, JobListResponse, page_size, offset)


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

    Returns:
        An iterator over the log entries.

    Raises:
        ValueError: `page_size` or `offset` is out of range (when the iteration starts).
        errors.APIError: A page could not be fetched.
    """
    fetch = partial(slurper_get_job_logs.sync_detailed, account_id, job_id, client=client)
    return _pages(fetch, JobLogListResponse, page_size, offset)


def aiter_job_logs(
    account_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    page_size: int = MAX_PAGE_SIZE,
    offset: int = 0,
) -> AsyncIterator[JobLog]:
    """`iter_job_logs` for `async for`: the same arguments and errors."""
    fetch = partial(slurper_get_job_logs.asyncio_detailed, account_id, job_id, client=client)
    return _apages(fetch, JobLogListResponse, page_size, offset)


__all__ = ["MAX_PAGE_SIZE", "aiter_job_logs", "aiter_jobs", "iter_job_logs", "iter_jobs"]
