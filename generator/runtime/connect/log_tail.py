"""Follow a job's log as it is written: `GET /v1/content/{guid}/jobs/{key}/tail`, one `LogEntry` at a time.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).

The tail is a long-lived response: Connect sends the entries already written, then each new one, and closes the
connection when the job is finalized. The generated `job_tail_log` functions wait for that close; these classes yield
every entry as soon as it is complete, holding at most one unfinished entry in memory::

    with tail_job_log(guid, key, client=client, timeout=60.0) as entries:
        for entry in entries:
            print(entry.timestamp, entry.source, entry.data)

    async with tail_job_log_async(guid, key, client=client) as entries:
        async for entry in entries:
            ...

How the entries are framed on the wire is not documented (reference §6.1; the document says `application/json` with
`x-json-sequence: true`, as Posit's spec says `application/json`). So any framing is read, told from the bytes
(`_json_sequence`): newline-delimited JSON, JSON objects one after another, RFC 7464 JSON text sequences and
server-sent events; the tail's `framing` says which one the server used. The Content-Type is not checked (only
`text/event-stream` is taken as a hint). Leaving the `with` block (or `close()`) closes the connection at once, also
in the middle of the stream.
"""

from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any, Self

import httpx

from . import errors
from ._json_sequence import JSONSequenceError, JSONSequenceReader
from ._streams import aopen_stream, connection_error, open_stream, stream_timeout
from .api.jobs import job_tail_log
from .client import AuthenticatedClient, Client
from .models.log_entry import LogEntry

# A log entry is a line of the job's output in a small JSON object; a longer "entry" is a broken stream.
MAX_ENTRY_BYTES = 1024 * 1024


class TailTimeout(errors.APIError, TimeoutError):
    """No new log entry (not even a keep-alive) arrived within the tail's timeout."""


class LogStreamError(errors.APIError, ValueError):
    """An entry of the tail is not a `LogEntry` in JSON.

    Attributes:
        entry_number: The entry's number in the stream, counting from 1.
    """

    def __init__(self, entry_number: int, reason: str) -> None:
        """Describe the entry.

        Args:
            entry_number: The entry's number in the stream, counting from 1.
            reason: What is wrong with it.
        """
        super().__init__(f"entry {entry_number} of the log tail is not a log entry: {reason}")
        self.entry_number = entry_number


class _Entries:
    """The log entries of a stream's chunks, in whatever framing the stream has."""

    def __init__(self, response: httpx.Response) -> None:
        self.sequence = JSONSequenceReader(response.headers.get("content-type"), max_value_bytes=MAX_ENTRY_BYTES)

    def read(self, chunk: bytes | None) -> list[LogEntry]:
        """The entries `chunk` completes; None for the end of the stream, which completes the last one."""
        try:
            values = self.sequence.finish() if chunk is None else self.sequence.feed(chunk)
        except JSONSequenceError as error:
            where = f"at byte {error.offset} of {self.sequence.framing or 'a stream of unknown framing'}"
            raise LogStreamError(error.number, f"{error.reason}, {where}") from None
        first = self.sequence.count - len(values) + 1
        return [_entry(value, number) for number, value in enumerate(values, first)]


def _entry(value: Any, entry_number: int) -> LogEntry:
    if not isinstance(value, dict):
        raise LogStreamError(entry_number, f"a JSON {type(value).__name__}, not an object")
    try:
        return LogEntry.from_dict(value)
    except (KeyError, ValueError, TypeError) as error:
        raise LogStreamError(entry_number, f"{type(error).__name__}: {error}") from None


class LogTail:
    """The entries of a job's log as the server writes them (see the module docstring).

    Attributes:
        response: The open response once the tail has started, else None.
        framing: How the server frames the entries, once its first ones have come (`_json_sequence.NDJSON`,
            `CONCATENATED`, `JSON_SEQ` or `SSE`: "newline-delimited JSON", ...); None before.
    """

    def __init__(self, guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None) -> None:
        """Prepare the tail; nothing is sent before `open()`, `with` or the first iteration.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            timeout: The longest wait for the next bytes, in seconds; None waits as long as the server keeps the
                connection open.
        """
        self._guid = guid
        self._key = key
        self._client = client
        self._timeout = timeout
        self.response: httpx.Response | None = None
        self._entries: _Entries | None = None
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
        self._entries = _Entries(response)
        return self

    @property
    def framing(self) -> str | None:
        """How the server frames the entries (see the class docstring)."""
        return None if self._entries is None else self._entries.sequence.framing

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
        """Yield each entry as soon as it is complete, until the server closes the stream.

        Raises:
            TailTimeout: Nothing arrived within the timeout.
            LogStreamError: An entry is not a log entry.
            errors.APIConnectionError: The connection broke.
        """
        if self._closed:
            return
        self.open()
        response, entries = self.response, self._entries
        assert response is not None and entries is not None
        try:
            for chunk in response.iter_bytes():
                for entry in entries.read(chunk):
                    if self._closed:
                        return
                    yield entry
            for entry in entries.read(None):
                if self._closed:
                    return
                yield entry
        except httpx.ReadTimeout:
            raise TailTimeout(f"nothing arrived on the log tail within {self._timeout} s") from None
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
        framing: How the server frames the entries, once its first ones have come (`_json_sequence.NDJSON`,
            `CONCATENATED`, `JSON_SEQ` or `SSE`: "newline-delimited JSON", ...); None before.
    """

    def __init__(self, guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None) -> None:
        """Prepare the tail; nothing is sent before `open()`, `async with` or the first iteration.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            timeout: The longest wait for the next bytes, in seconds; None waits as long as the server keeps the
                connection open.
        """
        self._guid = guid
        self._key = key
        self._client = client
        self._timeout = timeout
        self.response: httpx.Response | None = None
        self._entries: _Entries | None = None
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
        self._entries = _Entries(response)
        return self

    @property
    def framing(self) -> str | None:
        """How the server frames the entries (see the class docstring)."""
        return None if self._entries is None else self._entries.sequence.framing

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
        """Yield each entry as soon as it is complete, until the server closes the stream (see `LogTail.__iter__`)."""
        if self._closed:
            return
        await self.open()
        response, entries = self.response, self._entries
        assert response is not None and entries is not None
        try:
            async for chunk in response.aiter_bytes():
                for entry in entries.read(chunk):
                    if self._closed:
                        return
                    yield entry
            for entry in entries.read(None):
                if self._closed:
                    return
                yield entry
        except httpx.ReadTimeout:
            raise TailTimeout(f"nothing arrived on the log tail within {self._timeout} s") from None
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
        timeout: The longest wait for the next bytes, in seconds (`TailTimeout` after it); None, the default, waits
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
        timeout: The longest wait for the next bytes, in seconds; None waits as long as the server keeps it open.

    Returns:
        The tail: an async context manager that yields `LogEntry` objects.
    """
    return AsyncLogTail(guid, key, client=client, timeout=timeout)


__all__ = ["AsyncLogTail", "LogStreamError", "LogTail", "TailTimeout", "tail_job_log", "tail_job_log_async"]
