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
from typing import Any, Protocol, Required, TypedDict, TypeVar, Unpack

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


class PageOptions(TypedDict, total=False):
    """What the iterators take by keyword.

    Keys:
        client: The client to send the requests with.
        page_size: The items asked for per request (`limit`), from 1 to 50 (default 50, `MAX_PAGE_SIZE`).
        offset: How many items to skip first (default 0).
    """

    client: Required[AuthenticatedClient | Client]
    page_size: int
    offset: int


class _Pages:
    """Where the next page starts, and whether the last one has come: the paging that `_pages` and `_apages`
    carry out. Made with the iterator (its keyword arguments, `PageOptions`, bound as a call binds them); the page
    size and offset are checked when the iteration starts (`start`)."""

    def __init__(
        self, *, client: AuthenticatedClient | Client, page_size: int = MAX_PAGE_SIZE, offset: int = 0
    ) -> None:
        self.client = client
        self.page_size = page_size
        self.offset = offset
        self.ended = False

    def start(self) -> None:
        """Check the page size and the offset."""
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, not {self.page_size}")
        if self.offset < 0:
            raise ValueError(f"offset must be 0 or more, not {self.offset}")

    def turn(self, listing: _Listing[X]) -> list[X]:
        """The items of the page just fetched; a page shorter than the page size is the last one."""
        page = listing.result
        self.ended = len(page) < self.page_size
        self.offset += len(page)
        return page

    def next_page(self) -> dict[str, Any]:
        """The arguments that fetch the next page."""
        return {"client": self.client, "limit": self.page_size, "offset": self.offset}


def _pages(fetch: Callable[..., Response[Any]], expected: type[_Listing[X]], pages: _Pages) -> Iterator[X]:
    pages.start()
    while not pages.ended:
        yield from pages.turn(unwrap(fetch(**pages.next_page()), expected))


async def _apages(
    fetch: Callable[..., Awaitable[Response[Any]]], expected: type[_Listing[X]], pages: _Pages
) -> AsyncIterator[X]:
    pages.start()
    while not pages.ended:
        for item in pages.turn(unwrap(await fetch(**pages.next_page()), expected)):
            yield item


def iter_jobs(account_id: str, **options: Unpack[PageOptions]) -> Iterator[Job]:
    """Every job of the account, newest pages first as the server orders them, fetched a page at a time.

    Args:
        account_id: The account.
        **options: `client` (required), `page_size` (jobs per request) and `offset` (`PageOptions`).

    Returns:
        An iterator over the jobs.

    Raises:
        ValueError: `page_size` or `offset` is out of range (when the iteration starts).
        errors.APIError: A page could not be fetched.
    """
    return _pages(partial(slurper_list_jobs.sync_detailed, account_id), JobListResponse, _Pages(**options))


def aiter_jobs(account_id: str, **options: Unpack[PageOptions]) -> AsyncIterator[Job]:
    """`iter_jobs` for `async for`: the same arguments and errors."""
    return _apages(partial(slurper_list_jobs.asyncio_detailed, account_id), JobListResponse, _Pages(**options))


def iter_job_logs(account_id: str, job_id: str, **options: Unpack[PageOptions]) -> Iterator[JobLog]:
    """Every log entry of a job, oldest first, fetched a page at a time.

    Args:
        account_id: The account.
        job_id: The job.
        **options: `client` (required), `page_size` (entries per request) and `offset` (`PageOptions`).

    Returns:
        An iterator over the log entries.

    Raises:
        ValueError: `page_size` or `offset` is out of range (when the iteration starts).
        errors.APIError: A page could not be fetched.
    """
    fetch = partial(slurper_get_job_logs.sync_detailed, account_id, job_id)
    return _pages(fetch, JobLogListResponse, _Pages(**options))


def aiter_job_logs(account_id: str, job_id: str, **options: Unpack[PageOptions]) -> AsyncIterator[JobLog]:
    """`iter_job_logs` for `async for`: the same arguments and errors."""
    fetch = partial(slurper_get_job_logs.asyncio_detailed, account_id, job_id)
    return _apages(fetch, JobLogListResponse, _Pages(**options))


__all__ = ["MAX_PAGE_SIZE", "PageOptions", "aiter_job_logs", "aiter_jobs", "iter_job_logs", "iter_jobs"]
