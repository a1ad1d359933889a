"""Follow a job's log as it is written: `GET /v1/content/{guid}/jobs/{key}/tail`, one `LogEntry` at a time.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).

The tail is a long-lived response: Connect sends the entries already written, then each new one, and closes the
connection when the job is finalized. The generated `job_tail_log` functions wait for that close; these classes yield
every entry as soon as its line is complete, holding at most one unfinished line in memory::

    with tail_job_log(guid, key, client=client, timeout=60.0) as entries:
        for entry in entries:
            print(entry.timestamp, entry.source, entry.data)

    async with tail_job_log_async(guid, key, client=client) as entries:
        async for entry in entries:
            ...

The framing is newline-delimited JSON, one `LogEntry` object per line (openapi/README.md says why); blank lines are
skipped and a last line without its newline still counts. The Content-Type is not checked: the document says
`application/x-ndjson`, Posit's own spec says `application/json`. Leaving the `with` block (or `close()`) closes the
connection at once, also in the middle of the stream.
"""

import json
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Self

import httpx

from . import errors
from ._streams import aopen_stream, connection_error, open_stream, stream_timeout
from .api.jobs import job_tail_log
from .client import AuthenticatedClient, Client
from .models.log_entry import LogEntry

# A log entry is a line of the job's output in a small JSON object; a "line" longer than this is a broken stream.
MAX_LINE_BYTES = 1024 * 1024


class TailTimeout(errors.APIError, TimeoutError):
    """No new log entry (not even a blank keep-alive line) arrived within the tail's timeout."""


class LogStreamError(errors.APIError, ValueError):
    """A line of the tail is not a `LogEntry` in JSON.

    Attributes:
        line_number: The line's number in the stream, counting from 1.
    """

    def __init__(self, line_number: int, reason: str) -> None:
        """Describe the line.

        Args:
            line_number: The line's number in the stream, counting from 1.
            reason: What is wrong with it.
        """
        super().__init__(f"line {line_number} of the log tail is not a log entry: {reason}")
        self.line_number = line_number


class _Lines:
    """Splits a byte stream into numbered lines and parses them; only the unfinished last line is kept."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._count = 0

    def feed(self, chunk: bytes) -> list[LogEntry]:
        if b"\n" not in chunk:
            # Only a line's middle: kept, not split again on every chunk, and never more than MAX_LINE_BYTES.
            self._pending += chunk
            self._check_length()
            return []
        self._pending += chunk
        *complete, rest = self._pending.split(b"\n")
        self._pending = bytearray(rest)
        self._check_length()
        return self._entries(complete)

    def _check_length(self) -> None:
        if len(self._pending) > MAX_LINE_BYTES:
            raise LogStreamError(self._count + 1, f"longer than {MAX_LINE_BYTES} bytes without a newline")

    def finish(self) -> list[LogEntry]:
        rest, self._pending = self._pending, bytearray()
        return self._entries([rest])

    def _entries(self, lines: list[bytearray]) -> list[LogEntry]:
        entries = []
        for line in lines:
            # Blank lines count, so that an error names the line of the raw stream.
            self._count += 1
            if line.strip():
                entries.append(_entry(bytes(line), self._count))
        return entries


def _entry(line: bytes, line_number: int) -> LogEntry:
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise LogStreamError(line_number, f"not JSON ({error})") from None
    if not isinstance(value, dict):
        raise LogStreamError(line_number, f"a JSON {type(value).__name__}, not an object")
    try:
        return LogEntry.from_dict(value)
    except (KeyError, ValueError, TypeError) as error:
        raise LogStreamError(line_number, f"{type(error).__name__}: {error}") from None


class LogTail:
    """The entries of a job's log as the server writes them (see the module docstring).

    Attributes:
        response: The open response once the tail has started, else None.
    """

    def __init__(self, guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None) -> None:
        """Prepare the tail; nothing is sent before `open()`, `with` or the first iteration.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            timeout: The longest wait for the next line, in seconds; None waits as long as the server keeps the
                connection open.
        """
        self._guid = guid
        self._key = key
        self._client = client
        self._timeout = timeout
        self.response: httpx.Response | None = None
        self._closed = False

    def open(self) -> Self:
        """Send the request and check the answer.

        Returns:
            The tail itself.

        Raises:
            errors.EndpointNotAvailable: The server has no tail endpoint (Connect before 2022.10.0).
            errors.APIStatusError: The server answered with another error (401, 403, 404, ...).
            errors.APIConnectionError: The request got no answer.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_httpx_client()
        kwargs = job_tail_log._get_kwargs(self._guid, self._key)
        request = httpx_client.build_request(
            kwargs["method"], kwargs["url"], timeout=stream_timeout(httpx_client.timeout, self._timeout)
        )
        response = open_stream(httpx_client, request)
        self.response = response
        return self

    def close(self) -> None:
        """Close the connection (at once, also in the middle of the stream); iterating then yields nothing more."""
        self._closed = True
        if self.response is not None:
            self.response.close()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[LogEntry]:
        """Yield each entry as its line arrives, until the server closes the stream.

        Raises:
            TailTimeout: No line arrived within the timeout.
            LogStreamError: A line is not a log entry.
            errors.APIConnectionError: The connection broke.
        """
        if self._closed:
            return
        response = self.open().response
        assert response is not None
        lines = _Lines()
        try:
            for chunk in response.iter_bytes():
                for entry in lines.feed(chunk):
                    if self._closed:
                        return
                    yield entry
            for entry in lines.finish():
                if self._closed:
                    return
                yield entry
        except httpx.ReadTimeout:
            raise TailTimeout(f"no log line within {self._timeout} s") from None
        except httpx.StreamClosed:
            # close() was called while a chunk was awaited: the consumer asked for the end.
            return
        except httpx.TransportError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            self.close()


class AsyncLogTail:
    """`LogTail` for `async with` and `async for`.

    Attributes:
        response: The open response once the tail has started, else None.
    """

    def __init__(self, guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None) -> None:
        """Prepare the tail; nothing is sent before `open()`, `async with` or the first iteration.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            timeout: The longest wait for the next line, in seconds; None waits as long as the server keeps the
                connection open.
        """
        self._guid = guid
        self._key = key
        self._client = client
        self._timeout = timeout
        self.response: httpx.Response | None = None
        self._closed = False

    async def open(self) -> Self:
        """Send the request and check the answer (see `LogTail.open`).

        Returns:
            The tail itself.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_async_httpx_client()
        kwargs = job_tail_log._get_kwargs(self._guid, self._key)
        request = httpx_client.build_request(
            kwargs["method"], kwargs["url"], timeout=stream_timeout(httpx_client.timeout, self._timeout)
        )
        response = await aopen_stream(httpx_client, request)
        self.response = response
        return self

    async def close(self) -> None:
        """Close the connection (at once, also in the middle of the stream); iterating then yields nothing more."""
        self._closed = True
        if self.response is not None:
            await self.response.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[LogEntry]:
        """Yield each entry as its line arrives, until the server closes the stream (see `LogTail.__iter__`)."""
        if self._closed:
            return
        response = (await self.open()).response
        assert response is not None
        lines = _Lines()
        try:
            async for chunk in response.aiter_bytes():
                for entry in lines.feed(chunk):
                    if self._closed:
                        return
                    yield entry
            for entry in lines.finish():
                if self._closed:
                    return
                yield entry
        except httpx.ReadTimeout:
            raise TailTimeout(f"no log line within {self._timeout} s") from None
        except httpx.StreamClosed:
            return
        except httpx.TransportError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            await self.close()


def tail_job_log(guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None = None) -> LogTail:
    """Follow a job's log: use the result with `with` and iterate it.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        client: The client to send the request with (its base URL, API key and settings are used).
        timeout: The longest wait for the next line, in seconds (`TailTimeout` after it); None, the default, waits
            as long as the server keeps the connection open, which for a running app can be a long time.

    Returns:
        The tail: a context manager that yields `LogEntry` objects.
    """
    return LogTail(guid, key, client=client, timeout=timeout)


def tail_job_log_async(
    guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None = None
) -> AsyncLogTail:
    """Follow a job's log asynchronously: use the result with `async with` and `async for` (see `tail_job_log`).

    Args:
        guid: The content item's GUID.
        key: The job's key.
        client: The client to send the request with.
        timeout: The longest wait for the next line, in seconds; None waits as long as the server keeps it open.

    Returns:
        The tail: an async context manager that yields `LogEntry` objects.
    """
    return AsyncLogTail(guid, key, client=client, timeout=timeout)


__all__ = ["AsyncLogTail", "LogStreamError", "LogTail", "TailTimeout", "tail_job_log", "tail_job_log_async"]
