"""What the Connect streaming helpers (`log_tail`, `log_download`) share: a streamed request whose chunks become
items, written once (`Streamed`) and carried out with the client's `httpx.Client` (`Stream`: `with`, `for`) or
`httpx.AsyncClient` (`AsyncStream`: `async with`, `async for`).

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).
A failed streamed request raises the same `errors` exceptions as the generated functions do with `raise_on_error`:
Go's plain-text `404 page not found` from a Connect server older than 2022.10.0 (no v1 jobs endpoints) becomes
`errors.EndpointNotAvailable`, a Connect error body becomes `details`.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Generic, NoReturn, Self, TypeVar

import httpx

from generated_client.connect import errors
from generated_client.connect.client import AuthenticatedClient, Client

T = TypeVar("T")

# An error body is small; a misbehaving server or proxy must not make the client read an endless one.
MAX_ERROR_BODY_BYTES = 64 * 1024


def stream_timeout(client_timeout: httpx.Timeout, read: float | None) -> httpx.Timeout:
    """The timeout of a long-lived request: the client's, except for how long to wait for the next bytes.

    Args:
        client_timeout: The timeout the client was configured with.
        read: The longest wait for the next bytes, in seconds; None waits as long as the server keeps the
            connection open.

    Returns:
        The timeout to send the request with.
    """
    return httpx.Timeout(
        connect=client_timeout.connect, read=read, write=client_timeout.write, pool=client_timeout.pool
    )


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> errors.APIConnectionError:
    """The package's exception for a request that got no answer, or whose stream broke."""
    kind = errors.APITimeoutError if isinstance(exc, httpx.TimeoutException) else errors.APIConnectionError
    url = str(request.url.copy_with(query=None))
    return kind(f"no answer ({type(exc).__name__}: {exc})", method=request.method, url=url)


@contextmanager
def _answered(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        raise connection_error(exc, request) from exc


class _ErrorBody:
    """The start of a failed request's body: as much as its error needs, and no more."""

    def __init__(self) -> None:
        self._content = bytearray()

    def add(self, chunk: bytes) -> bool:
        """Keep `chunk`; True once enough is kept."""
        self._content += chunk
        return len(self._content) >= MAX_ERROR_BODY_BYTES

    def error(self, response: httpx.Response) -> errors.APIStatusError:
        """The exception for the failed response."""
        content = bytes(self._content[:MAX_ERROR_BODY_BYTES])
        return errors.error_for_response(response.status_code, content, response.headers)


class Streamed(Generic[T]):
    """A streamed request and what its chunks come to, without the sending: what `Stream` and `AsyncStream` share.

    A subclass says which request (`_request`), what a chunk holds (`_items`), and what a broken stream raises
    (`_broken`).

    Attributes:
        response: The open response once the stream has started, else None.
    """

    def __init__(self, client: AuthenticatedClient | Client) -> None:
        """Prepare the stream; nothing is sent before `open()`, `with` or the first iteration.

        Args:
            client: The client to send the request with.
        """
        self._client = client
        self.response: httpx.Response | None = None
        self._closed = False

    def _request(self, httpx_client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        raise NotImplementedError

    def _opened(self, response: httpx.Response) -> None:
        self.response = response

    def _items(self, chunk: bytes | None) -> list[T]:
        """The items `chunk` completes; None for the end of the body, which completes the last one."""
        raise NotImplementedError

    def _handed_out(self, chunk: bytes | None) -> Iterator[T]:
        # close() may be called between two items: nothing more is handed out after it.
        for item in self._items(chunk):
            if self._closed:
                return
            yield item

    def _broken(self, exc: httpx.TransportError, request: httpx.Request) -> NoReturn:
        raise connection_error(exc, request) from exc

    @contextmanager
    def _reading(self, response: httpx.Response) -> Iterator[None]:
        try:
            yield
        except httpx.StreamClosed:
            # close() was called while a chunk was awaited: the consumer asked for the end.
            return
        except httpx.TransportError as exc:
            self._broken(exc, response.request)


class Stream(Streamed[T]):
    """A `Streamed` request sent with the client's `httpx.Client`: use it with `with` and iterate it."""

    def open(self) -> Self:
        """Send the request and check the answer.

        Returns:
            The stream itself.

        Raises:
            errors.EndpointNotAvailable: The server has no such endpoint (Connect before 2022.10.0).
            errors.APIStatusError: The server answered with another error (401, 403, 404, ...).
            errors.APIConnectionError: The request got no answer.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_httpx_client()
        request = self._request(httpx_client)
        with _answered(request):
            response = httpx_client.send(request, stream=True)
        if response.status_code != 200:
            body = _ErrorBody()
            try:
                for chunk in response.iter_bytes():
                    if body.add(chunk):
                        break
            finally:
                response.close()
            raise body.error(response)
        self._opened(response)
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

    def __iter__(self) -> Iterator[T]:
        """Yield each item as soon as its bytes have arrived, until the server ends the body or `close()` is called.

        Raises:
            errors.APIConnectionError: The connection broke.
        """
        if self._closed:
            return
        response = self.open().response
        assert response is not None  # open() gave it, or raised
        try:
            with self._reading(response):
                for chunk in response.iter_bytes():
                    yield from self._handed_out(chunk)
                    if self._closed:
                        return
                yield from self._handed_out(None)
        finally:
            self.close()


class AsyncStream(Streamed[T]):
    """A `Streamed` request sent with the client's `httpx.AsyncClient`: `Stream` for `async with` and `async for`."""

    async def open(self) -> Self:
        """Send the request and check the answer (see `Stream.open`).

        Returns:
            The stream itself.
        """
        if self.response is not None or self._closed:
            return self
        httpx_client = self._client.get_async_httpx_client()
        request = self._request(httpx_client)
        with _answered(request):
            response = await httpx_client.send(request, stream=True)
        if response.status_code != 200:
            body = _ErrorBody()
            try:
                async for chunk in response.aiter_bytes():
                    if body.add(chunk):
                        break
            finally:
                await response.aclose()
            raise body.error(response)
        self._opened(response)
        return self

    async def close(self) -> None:
        """Close the connection (see `Stream.close`)."""
        self._closed = True
        if self.response is not None:
            await self.response.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[T]:
        """Yield each item as soon as its bytes have arrived (see `Stream.__iter__`)."""
        if self._closed:
            return
        response = (await self.open()).response
        assert response is not None  # open() gave it, or raised
        try:
            with self._reading(response):
                async for chunk in response.aiter_bytes():
                    for item in self._handed_out(chunk):
                        yield item
                    if self._closed:
                        return
                for item in self._handed_out(None):
                    yield item
        finally:
            await self.close()
