"""What the Connect streaming helpers (`log_tail`, `log_download`) share: opening a streamed request, and reading
a failed one into the package's typed errors.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).
A failed streamed request raises the same `errors` exceptions as the generated functions do with `raise_on_error`:
Go's plain-text `404 page not found` from a Connect server older than 2022.10.0 (no v1 jobs endpoints) becomes
`errors.EndpointNotAvailable`, a Connect error body becomes `details`.
"""

from collections.abc import Iterator

import httpx

from . import errors

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


def open_stream(httpx_client: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send `request` and return its open 200 response, to be read as a stream and closed by the caller.

    Raises:
        errors.APIStatusError: The server answered with another status (the subclass says which).
        errors.APIConnectionError: The request got no answer (after the client's retries).
    """
    try:
        response = httpx_client.send(request, stream=True)
    except httpx.TransportError as exc:
        raise connection_error(exc, request) from exc
    if response.status_code == 200:
        return response
    try:
        content = _bounded(response.iter_bytes())
    finally:
        response.close()
    raise errors.error_for_response(response.status_code, content, response.headers)


async def aopen_stream(httpx_client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """`open_stream` for an `httpx.AsyncClient`."""
    try:
        response = await httpx_client.send(request, stream=True)
    except httpx.TransportError as exc:
        raise connection_error(exc, request) from exc
    if response.status_code == 200:
        return response
    content = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            content += chunk
            if len(content) >= MAX_ERROR_BODY_BYTES:
                break
    finally:
        await response.aclose()
    raise errors.error_for_response(response.status_code, bytes(content[:MAX_ERROR_BODY_BYTES]), response.headers)


def _bounded(chunks: Iterator[bytes]) -> bytes:
    content = bytearray()
    for chunk in chunks:
        content += chunk
        if len(content) >= MAX_ERROR_BODY_BYTES:
            break
    return bytes(content[:MAX_ERROR_BODY_BYTES])
