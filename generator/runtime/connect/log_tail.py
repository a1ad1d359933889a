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

from typing import Any, NoReturn

import httpx

from generated_client.connect import errors
from generated_client.connect._json_sequence import JSONSequenceError, JSONSequenceReader
from generated_client.connect.api.jobs import job_tail_log
from generated_client.connect.client import AuthenticatedClient, Client
from generated_client.connect.models.log_entry import LogEntry

from ._streams import AsyncStream, Stream, Streamed, stream_timeout

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


class _Tail(Streamed[LogEntry]):
    """What `LogTail` and `AsyncLogTail` share: the request, and entries read from its chunks."""

    def __init__(self, guid: str, key: str, *, client: AuthenticatedClient | Client, timeout: float | None) -> None:
        """Prepare the tail (the arguments are `tail_job_log`'s); nothing is sent before `open()`, `with` or the first
        iteration."""
        super().__init__(client)
        self._guid = guid
        self._key = key
        self._timeout = timeout
        self._entries: _Entries | None = None

    @property
    def framing(self) -> str | None:
        """How the server frames the entries, once its first ones have come (`_json_sequence.NDJSON`,
        `CONCATENATED`, `JSON_SEQ` or `SSE`: "newline-delimited JSON", ...); None before."""
        return None if self._entries is None else self._entries.sequence.framing

    def _request(self, httpx_client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        kwargs = job_tail_log._get_kwargs(self._guid, self._key)
        timeout = stream_timeout(httpx_client.timeout, self._timeout)
        return httpx_client.build_request(kwargs["method"], kwargs["url"], timeout=timeout)

    def _opened(self, response: httpx.Response) -> None:
        super()._opened(response)
        self._entries = _Entries(response)

    def _items(self, chunk: bytes | None) -> list[LogEntry]:
        assert self._entries is not None  # set when the tail opened
        return self._entries.read(chunk)

    def _broken(self, exc: httpx.TransportError, request: httpx.Request) -> NoReturn:
        if isinstance(exc, httpx.ReadTimeout):
            raise TailTimeout(f"nothing arrived on the log tail within {self._timeout} s") from None
        super()._broken(exc, request)


class LogTail(_Tail, Stream[LogEntry]):
    """The entries of a job's log as the server writes them (see the module docstring): `open()` (or `with`) sends
    the request, iterating yields each entry as soon as it is complete, until the server closes the stream, and
    `close()` closes the connection at once, also in the middle of the stream. Iterating raises `TailTimeout` when
    nothing arrived within the timeout, `LogStreamError` for an entry that is not a log entry, and
    `errors.APIConnectionError` when the connection broke.

    Attributes:
        response: The open response once the tail has started, else None.
        framing: How the server frames the entries, once its first ones have come; None before.
    """


class AsyncLogTail(_Tail, AsyncStream[LogEntry]):
    """`LogTail` for `async with` and `async for`.

    Attributes:
        response: The open response once the tail has started, else None.
        framing: How the server frames the entries, once its first ones have come; None before.
    """


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
    """Follow a job's log asynchronously: `tail_job_log` for `async with` and `async for`, with the same arguments."""
    return AsyncLogTail(guid, key, client=client, timeout=timeout)


__all__ = ["AsyncLogTail", "LogStreamError", "LogTail", "TailTimeout", "tail_job_log", "tail_job_log_async"]
