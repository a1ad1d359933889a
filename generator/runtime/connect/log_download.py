"""Download a job's log file without holding it in memory: `GET /v1/content/{guid}/jobs/{key}/download`.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).

The generated `job_download_log` functions return the whole file as one string. These stream it instead, chunk by
chunk, to a file or to the caller::

    saved = download_job_log(guid, key, "logs/", client=client)        # a folder: the server's file name is used
    print(saved.path, saved.size)

    with stream_job_log(guid, key, client=client) as log:               # the bytes as they arrive
        print(log.filename)
        for chunk in log:
            sink.write(chunk)

Asynchronous forms: `download_job_log_async` and `stream_job_log_async` (`async with` / `async for`). A download to a
path goes to `<path>.part` first and is renamed when complete, so a failed download never leaves a partial file
under the final name.
"""

import os
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import TracebackType
from typing import BinaryIO, Required, Self, TypedDict, Unpack

import httpx

from generated_client.connect.api.jobs import job_download_log
from generated_client.connect.client import AuthenticatedClient, Client
from generated_client.connect.types import UNSET, Unset

from ._streams import AsyncStream, Stream, Streamed, stream_timeout

CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class DownloadedLog:
    """A finished download.

    Attributes:
        filename: The file name the server gave in `Content-Disposition`, or None when it gave none.
        path: Where the file was written, or None when it was written to a file object.
        size: How many bytes were written.
    """

    filename: str | None
    path: Path | None
    size: int


def attachment_filename(content_disposition: str | None) -> str | None:
    """The file name of a `Content-Disposition` header (`filename*=` in RFC 5987 form wins over `filename=`).

    Args:
        content_disposition: The header's value, or None when there is none.

    Returns:
        The name, reduced to its last path component so that it cannot point outside a folder; None when the header
        names no usable file.
    """
    if not content_disposition:
        return None
    message = Message()
    message["Content-Disposition"] = content_disposition
    values = [value for name, value in message.get_params([], "content-disposition") if name.lower() == "filename"]
    encoded = [value for value in values if isinstance(value, tuple)]
    plain = [value for value in values if isinstance(value, str)]
    name = collapse_rfc2231_value(encoded[0]) if encoded else next(iter(plain), "")
    if not name:
        return None
    name = PureWindowsPath(PurePosixPath(name).name).name
    return None if name in ("", ".", "..") else name


class DownloadOptions(TypedDict, total=False):
    """What `stream_job_log` and `download_job_log` (and their async forms) take by keyword.

    Keys:
        client: The client to send the request with (its base URL, API key and settings are used).
        filename: The file name to ask the server for (it comes back in `Content-Disposition`).
        chunk_size: The largest chunk handed out, in bytes (default `CHUNK_SIZE`, 64 KiB).
        timeout: The longest wait for the next bytes, in seconds; None (the default) keeps the client's read timeout.
    """

    client: Required[AuthenticatedClient | Client]
    filename: str | Unset
    chunk_size: int
    timeout: float | None


class _Download(Streamed[bytes]):
    """What `LogDownload` and `AsyncLogDownload` share: the request, and the file's bytes cut into chunks."""

    def __init__(
        self,
        guid: str,
        key: str,
        *,
        client: AuthenticatedClient | Client,
        filename: str | Unset = UNSET,
        chunk_size: int = CHUNK_SIZE,
        timeout: float | None = None,
    ) -> None:
        """Prepare the download (the arguments are `stream_job_log`'s, the keyword ones `DownloadOptions`, with their
        defaults); nothing is sent before `open()`, `with` or the first iteration.

        Raises:
            ValueError: `chunk_size` is less than 1.
        """
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        super().__init__(client)
        self._kwargs = job_download_log._get_kwargs(guid, key, filename=filename)
        self._chunk_size = chunk_size
        self._timeout = timeout
        self.filename: str | None = None

    def _request(self, httpx_client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        read = self._timeout if self._timeout is not None else httpx_client.timeout.read
        return httpx_client.build_request(
            self._kwargs["method"],
            self._kwargs["url"],
            params=self._kwargs.get("params"),
            timeout=stream_timeout(httpx_client.timeout, read),
        )

    def _opened(self, response: httpx.Response) -> None:
        super()._opened(response)
        self.filename = attachment_filename(response.headers.get("content-disposition"))

    def _items(self, chunk: bytes | None) -> list[bytes]:
        # httpx is asked for what has arrived, whatever its size (with a chunk size it would wait until it has that
        # much), and that is cut to `chunk_size` here.
        if chunk is None:
            return []
        return [chunk[start : start + self._chunk_size] for start in range(0, len(chunk), self._chunk_size)]


class LogDownload(_Download, Stream[bytes]):
    """A job's log file as an open stream of byte chunks (see the module docstring): `open()` (or `with`) sends the
    request, iterating yields the file's bytes chunk by chunk as they arrive (content encodings such as gzip undone),
    and `close()` closes the connection, also in the middle of the file.

    Attributes:
        filename: The file name the server gave in `Content-Disposition` (None before `open()` or without one).
        response: The open response once the download has started, else None.
    """


class AsyncLogDownload(_Download, AsyncStream[bytes]):
    """`LogDownload` for `async with` and `async for`.

    Attributes:
        filename: The file name the server gave in `Content-Disposition` (None before `open()` or without one).
        response: The open response once the download has started, else None.
    """


def stream_job_log(guid: str, key: str, **options: Unpack[DownloadOptions]) -> LogDownload:
    """Stream a job's log file: use the result with `with` and iterate its byte chunks.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        **options: `client` (required), `filename`, `chunk_size` and `timeout` (`DownloadOptions`).

    Returns:
        The download: a context manager that yields `bytes`, with the server's file name in `.filename`.
    """
    return LogDownload(guid, key, **options)


def stream_job_log_async(guid: str, key: str, **options: Unpack[DownloadOptions]) -> AsyncLogDownload:
    """Stream a job's log file asynchronously: `stream_job_log` for `async with` and `async for`, with the same
    arguments."""
    return AsyncLogDownload(guid, key, **options)


Destination = str | os.PathLike[str] | BinaryIO


class _Saved:
    """Where `download_job_log` and `download_job_log_async` write the chunks: a file object, or a file at a path,
    written as `<path>.part` first and renamed when complete, so a failed download leaves nothing under the final name.
    """

    def __init__(self, destination: Destination, server_name: str | None, guid: str, key: str) -> None:
        self._server_name = server_name
        self._size = 0
        self._target: Path | None = None
        if isinstance(destination, str | os.PathLike):
            path = Path(destination)
            self._target = path / (server_name or f"{guid}.{key}.log") if path.is_dir() else path
        else:
            self._file = destination

    def __enter__(self) -> Self:
        if self._target is not None:
            self._file = self._partial(self._target).open("wb")
        return self

    def write(self, chunk: bytes) -> None:
        """Write the next chunk."""
        self._file.write(chunk)
        self._size += len(chunk)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._target is None:
            return  # the caller's file object stays open
        partial = self._partial(self._target)
        try:
            self._file.close()
            if exc is None:
                partial.replace(self._target)
        finally:
            partial.unlink(missing_ok=True)

    @staticmethod
    def _partial(target: Path) -> Path:
        return target.with_name(target.name + ".part")

    def result(self) -> DownloadedLog:
        """What was written where."""
        return DownloadedLog(self._server_name, self._target, self._size)


def download_job_log(
    guid: str, key: str, destination: Destination, **options: Unpack[DownloadOptions]
) -> DownloadedLog:
    """Download a job's log file to a file, chunk by chunk.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        destination: A file path; an existing folder (the file then gets the server's name, or
            `<guid>.<key>.log` when it gives none); or a binary file object, which is written to and left open.
        **options: `client` (required), `filename`, `chunk_size` (the largest chunk read at a time) and `timeout`
            (`DownloadOptions`).

    Returns:
        What was written where.

    Raises:
        errors.EndpointNotAvailable: The server has no download endpoint (Connect before 2022.10.0).
        errors.APIStatusError: The server answered with another error.
        errors.APIConnectionError: The transfer failed; nothing is left under the final file name.
    """
    with (
        stream_job_log(guid, key, **options) as download,
        _Saved(destination, download.filename, guid, key) as saved,
    ):
        for chunk in download:
            saved.write(chunk)
    return saved.result()


async def download_job_log_async(
    guid: str, key: str, destination: Destination, **options: Unpack[DownloadOptions]
) -> DownloadedLog:
    """Download a job's log file asynchronously: `download_job_log` with the same arguments, result and errors (the
    file itself is written synchronously)."""
    async with stream_job_log_async(guid, key, **options) as download:
        with _Saved(destination, download.filename, guid, key) as saved:
            async for chunk in download:
                saved.write(chunk)
    return saved.result()


__all__ = [
    "AsyncLogDownload",
    "DownloadOptions",
    "DownloadedLog",
    "LogDownload",
    "attachment_filename",
    "download_job_log",
    "download_job_log_async",
    "stream_job_log",
    "stream_job_log_async",
]
