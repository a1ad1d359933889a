"""How the Connect client reports a failed jobs request, and how it tells a missing endpoint from a missing job.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).

A Connect server older than 2022.10.0 has no v1 jobs endpoints and answers them with Go's plain-text
`404 page not found`, while a current server answers a missing job with a JSON error (`{"code": 4, ...}`). Like
Posit's own R package, the difference is told by the JSON `code`: a 404 without one means the endpoint is missing.

The generated functions never raise for it: `*_detailed` keeps the 404 and its body with `parsed` None (or raise
`errors.UnexpectedStatus` when the client asks for that). `check_endpoint_available` turns such a response into the
clear `EndpointNotAvailable`; the streaming helpers (`log_tail`, `log_download`) raise it themselves.
"""

import json
from collections.abc import Iterator
from typing import TypeVar

import httpx

from .models.api_error import APIError
from .types import Response

T = TypeVar("T")

ENDPOINT_NOT_AVAILABLE = "endpoint not available on this server"
# An error body is small; a misbehaving server or proxy must not make the client read an endless one.
MAX_ERROR_BODY_BYTES = 64 * 1024
_SHOWN_BODY_CHARACTERS = 200


class RequestFailed(Exception):
    """A jobs request was answered with an error instead of what it asked for.

    Attributes:
        status_code: The HTTP status.
        content: The start of the response body (at most `MAX_ERROR_BODY_BYTES`).
        api_error: Connect's error (`code`, `error`) when the body is one, else None.
    """

    def __init__(self, status_code: int, content: bytes, api_error: APIError | None, message: str) -> None:
        """Describe the failure.

        Args:
            status_code: The HTTP status.
            content: The start of the response body.
            api_error: Connect's error, when the body is one.
            message: What went wrong, for people.
        """
        super().__init__(message)
        self.status_code = status_code
        self.content = content
        self.api_error = api_error


class EndpointNotAvailable(RequestFailed):
    """The server does not have the endpoint (Connect before 2022.10.0 has no v1 jobs endpoints)."""


def connect_error(content: bytes) -> APIError | None:
    """Read Connect's error from a response body.

    Args:
        content: The body.

    Returns:
        The error when the body is a JSON object with an integer `code` and a string `error`, else None.
    """
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    if not isinstance(body.get("code"), int) or isinstance(body.get("code"), bool):
        return None
    if not isinstance(body.get("error"), str):
        return None
    return APIError.from_dict(body)


def is_endpoint_missing(status_code: int, content: bytes) -> bool:
    """Tell whether a response says the endpoint itself does not exist on this server.

    Args:
        status_code: The HTTP status.
        content: The body.

    Returns:
        True for a 404 that is not a Connect error (no JSON `code`), such as Go's `404 page not found`.
    """
    return status_code == 404 and connect_error(content) is None


def failure(status_code: int, content: bytes) -> RequestFailed:
    """Build the exception for a failed response.

    Args:
        status_code: The HTTP status.
        content: The start of the body.

    Returns:
        `EndpointNotAvailable` for a missing endpoint, else `RequestFailed` naming Connect's error or showing the
        start of the body.
    """
    if is_endpoint_missing(status_code, content):
        shown = content[:_SHOWN_BODY_CHARACTERS].decode("utf-8", "replace").strip()
        return EndpointNotAvailable(
            status_code,
            content,
            None,
            f"{ENDPOINT_NOT_AVAILABLE}: it answered 404 {shown!r} (the v1 jobs endpoints need Connect 2022.10.0 "
            "or newer)",
        )
    api_error = connect_error(content)
    if api_error is not None:
        return RequestFailed(
            status_code, content, api_error, f"HTTP {status_code}, Connect error {api_error.code}: {api_error.error}"
        )
    shown = content[:_SHOWN_BODY_CHARACTERS].decode("utf-8", "replace").strip()
    return RequestFailed(status_code, content, None, f"HTTP {status_code}: {shown!r}")


def check_endpoint_available(response: Response[T]) -> Response[T]:
    """Pass a `*_detailed` result through, unless the server said the endpoint does not exist.

    Args:
        response: What a generated `*_detailed` function returned.

    Returns:
        The same response.

    Raises:
        EndpointNotAvailable: The response is a 404 without a Connect error code.
    """
    if is_endpoint_missing(int(response.status_code), response.content):
        raise failure(int(response.status_code), response.content)
    return response


def read_error_body(response: httpx.Response) -> bytes:
    """Read the start of a streamed error response (at most `MAX_ERROR_BODY_BYTES`); the caller closes it.

    Args:
        response: A response opened with `stream=True`.

    Returns:
        The start of the body.
    """
    return _bounded(response.iter_bytes())


async def aread_error_body(response: httpx.Response) -> bytes:
    """Read the start of a streamed error response, asynchronously (see `read_error_body`).

    Args:
        response: A response opened with `stream=True` by an `httpx.AsyncClient`.

    Returns:
        The start of the body.
    """
    content = bytearray()
    async for chunk in response.aiter_bytes():
        content += chunk
        if len(content) >= MAX_ERROR_BODY_BYTES:
            break
    return bytes(content[:MAX_ERROR_BODY_BYTES])


def _bounded(chunks: Iterator[bytes]) -> bytes:
    content = bytearray()
    for chunk in chunks:
        content += chunk
        if len(content) >= MAX_ERROR_BODY_BYTES:
            break
    return bytes(content[:MAX_ERROR_BODY_BYTES])


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


__all__ = [
    "ENDPOINT_NOT_AVAILABLE",
    "EndpointNotAvailable",
    "RequestFailed",
    "check_endpoint_available",
    "connect_error",
    "is_endpoint_missing",
]
