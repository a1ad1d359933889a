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
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import TracebackType
from typing import BinaryIO, Self

import httpx

from ._streams import aopen_stream, connection_error, open_stream, stream_timeout
from .api.jobs import job_download_log
from .client import AuthenticatedClient, Client
from .types import UNSET, Unset

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


def _pieces(received: bytes, chunk_size: int) -> list[bytes]:
    return [received[start : start + chunk_size] for start in range(0, len(received), chunk_size)]


def _request(
    httpx_client: httpx.Client | httpx.AsyncClient, guid: str, key: str, filename: str | Unset, timeout: float | None
) -> httpx.Request:
    kwargs = job_download_log._get_kwargs(guid, key, filename=filename)
    return httpx_client.build_request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        timeout=stream_timeout(httpx_client.timeout, timeout),
    )


class LogDownload:
    """A job's log file as an open stream of byte chunks (see the module docstring).

    Attributes:
        filename: The file name the server gave in `Content-Disposition` (None before `open()` or without one).
        response: The open response once the download has started, else None.
    """

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
        """Prepare the download; nothing is sent before `open()`, `with` or the first iteration.

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            filename: The file name to ask the server for; by default the server chooses.
            chunk_size: The largest chunk handed out, in bytes.
            timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

        Raises:
            ValueError: `chunk_size` is less than 1.
        """
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        self._guid = guid
        self._key = key
        self._client = client
        self._filename = filename
        self._chunk_size = chunk_size
        self._timeout = timeout
        self.filename: str | None = None
        self.response: httpx.Response | None = None
        self._closed = False

    def open(self) -> Self:
        """Send the request and check the answer.

        Returns:
            The download itself.

        Raises:
            errors.EndpointNotAvailable: The server has no download endpoint (Connect before 2022.10.0).
            errors.APIStatusError: The server answered with another error (401, 403, 404, ...).
            errors.APIConnectionError: The request got no answer.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_httpx_client()
        timeout = self._timeout if self._timeout is not None else httpx_client.timeout.read
        request = _request(httpx_client, self._guid, self._key, self._filename, timeout)
        response = open_stream(httpx_client, request)
        self.response = response
        self.filename = attachment_filename(response.headers.get("content-disposition"))
        return self

    def close(self) -> None:
        """Close the connection, also in the middle of the file."""
        self._closed = True
        if self.response is not None:
            self.response.close()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        """Yield the file's bytes chunk by chunk as they arrive (content encodings such as gzip undone)."""
        if self._closed:
            return
        response = self.open().response
        assert response is not None
        try:
            # Without a chunk size httpx hands out what has arrived; with one it would wait until it has that much.
            for received in response.iter_bytes():
                for chunk in _pieces(received, self._chunk_size):
                    if self._closed:
                        return
                    yield chunk
        except httpx.StreamClosed:
            return
        except httpx.TransportError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            self.close()


class AsyncLogDownload:
    """`LogDownload` for `async with` and `async for`.

    Attributes:
        filename: The file name the server gave in `Content-Disposition` (None before `open()` or without one).
        response: The open response once the download has started, else None.
    """

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
        """Prepare the download (see `LogDownload`).

        Args:
            guid: The content item's GUID.
            key: The job's key.
            client: The client to send the request with.
            filename: The file name to ask the server for; by default the server chooses.
            chunk_size: The largest chunk handed out, in bytes.
            timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

        Raises:
            ValueError: `chunk_size` is less than 1.
        """
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        self._guid = guid
        self._key = key
        self._client = client
        self._filename = filename
        self._chunk_size = chunk_size
        self._timeout = timeout
        self.filename: str | None = None
        self.response: httpx.Response | None = None
        self._closed = False

    async def open(self) -> Self:
        """Send the request and check the answer (see `LogDownload.open`).

        Returns:
            The download itself.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_async_httpx_client()
        timeout = self._timeout if self._timeout is not None else httpx_client.timeout.read
        request = _request(httpx_client, self._guid, self._key, self._filename, timeout)
        response = await aopen_stream(httpx_client, request)
        self.response = response
        self.filename = attachment_filename(response.headers.get("content-disposition"))
        return self

    async def close(self) -> None:
        """Close the connection, also in the middle of the file."""
        self._closed = True
        if self.response is not None:
            await self.response.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield the file's bytes chunk by chunk as they arrive."""
        if self._closed:
            return
        response = (await self.open()).response
        assert response is not None
        try:
            async for received in response.aiter_bytes():
                for chunk in _pieces(received, self._chunk_size):
                    if self._closed:
                        return
                    yield chunk
        except httpx.StreamClosed:
            return
        except httpx.TransportError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            await self.close()


def stream_job_log(
    guid: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    filename: str | Unset = UNSET,
    chunk_size: int = CHUNK_SIZE,
    timeout: float | None = None,
) -> LogDownload:
    """Stream a job's log file: use the result with `with` and iterate its byte chunks.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        client: The client to send the request with (its base URL, API key and settings are used).
        filename: The file name to ask the server for (it comes back in `Content-Disposition`).
        chunk_size: The largest chunk handed out, in bytes.
        timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

    Returns:
        The download: a context manager that yields `bytes`, with the server's file name in `.filename`.
    """
    return LogDownload(guid, key, client=client, filename=filename, chunk_size=chunk_size, timeout=timeout)


def stream_job_log_async(
    guid: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    filename: str | Unset = UNSET,
    chunk_size: int = CHUNK_SIZE,
    timeout: float | None = None,
) -> AsyncLogDownload:
    """Stream a job's log file asynchronously: use the result with `async with` and `async for`.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        client: The client to send the request with.
        filename: The file name to ask the server for.
        chunk_size: The largest chunk handed out, in bytes.
        timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

    Returns:
        The download: an async context manager that yields `bytes`.
    """
    return AsyncLogDownload(guid, key, client=client, filename=filename, chunk_size=chunk_size, timeout=timeout)


Destination = str | os.PathLike[str] | BinaryIO


def _target(destination: str | os.PathLike[str], server_name: str | None, guid: str, key: str) -> Path:
    path = Path(destination)
    if path.is_dir():
        return path / (server_name or f"{guid}.{key}.log")
    return path


def download_job_log(
    guid: str,
    key: str,
    destination: Destination,
    *,
    client: AuthenticatedClient | Client,
    filename: str | Unset = UNSET,
    chunk_size: int = CHUNK_SIZE,
    timeout: float | None = None,
) -> DownloadedLog:
    """Download a job's log file to a file, chunk by chunk.

    Args:
        guid: The content item's GUID.
        key: The job's key.
        destination: A file path; an existing folder (the file then gets the server's name, or
            `<guid>.<key>.log` when it gives none); or a binary file object, which is written to and left open.
        client: The client to send the request with.
        filename: The file name to ask the server for.
        chunk_size: The largest chunk read at a time, in bytes.
        timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

    Returns:
        What was written where.

    Raises:
        errors.EndpointNotAvailable: The server has no download endpoint (Connect before 2022.10.0).
        errors.APIStatusError: The server answered with another error.
        errors.APIConnectionError: The transfer failed; nothing is left under the final file name.
    """
    with stream_job_log(
        guid, key, client=client, filename=filename, chunk_size=chunk_size, timeout=timeout
    ) as download:
        if not isinstance(destination, str | os.PathLike):
            size = 0
            for chunk in download:
                destination.write(chunk)
                size += len(chunk)
            return DownloadedLog(download.filename, None, size)
        target = _target(destination, download.filename, guid, key)
        partial = target.with_name(target.name + ".part")
        try:
            size = 0
            with partial.open("wb") as file:
                for chunk in download:
                    file.write(chunk)
                    size += len(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return DownloadedLog(download.filename, target, size)


async def download_job_log_async(
    guid: str,
    key: str,
    destination: Destination,
    *,
    client: AuthenticatedClient | Client,
    filename: str | Unset = UNSET,
    chunk_size: int = CHUNK_SIZE,
    timeout: float | None = None,
) -> DownloadedLog:
    """Download a job's log file asynchronously (see `download_job_log`; the file itself is written synchronously).

    Args:
        guid: The content item's GUID.
        key: The job's key.
        destination: A file path, an existing folder, or a binary file object.
        client: The client to send the request with.
        filename: The file name to ask the server for.
        chunk_size: The largest chunk read at a time, in bytes.
        timeout: The longest wait for the next bytes, in seconds; None keeps the client's read timeout.

    Returns:
        What was written where.
    """
    async with stream_job_log_async(
        guid, key, client=client, filename=filename, chunk_size=chunk_size, timeout=timeout
    ) as download:
        if not isinstance(destination, str | os.PathLike):
            size = 0
            async for chunk in download:
                destination.write(chunk)
                size += len(chunk)
            return DownloadedLog(download.filename, None, size)
        target = _target(destination, download.filename, guid, key)
        partial = target.with_name(target.name + ".part")
        try:
            size = 0
            with partial.open("wb") as file:
                async for chunk in download:
                    file.write(chunk)
                    size += len(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return DownloadedLog(download.filename, target, size)


__all__ = [
    "AsyncLogDownload",
    "DownloadedLog",
    "LogDownload",
    "attachment_filename",
    "download_job_log",
    "download_job_log_async",
    "stream_job_log",
    "stream_job_log_async",
]
