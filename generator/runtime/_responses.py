"""How a request is sent and its answer becomes this package's `Response`, for every endpoint function; and `unwrap`,
which turns any `Response` into its result or the right exception.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

from collections.abc import Callable
from http import HTTPStatus
from types import TracebackType
from typing import Any, TypeVar, overload

import httpx

from . import _drift, errors
from ._json_sequence import read_json_sequence
from .client import AuthenticatedClient, Client
from .types import Response

T = TypeVar("T")
S = TypeVar("S")


def to_status(code: int) -> HTTPStatus | int:
    """`HTTPStatus(code)` when Python knows the code, else the plain integer (e.g. Cloudflare's 520-527)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def json_sequence(response: httpx.Response) -> list[Any]:
    """The values of a body that is a sequence of JSON values (its media type object says `x-json-sequence: true`),
    in any framing: newline-delimited, concatenated, RFC 7464 or server-sent events (`_json_sequence`).

    Raises:
        ValueError: A value is not JSON (`build_response` then treats the body as not what was declared).
    """
    values, _ = read_json_sequence(response.content, response.headers.get("content-type"))
    return values


class _Answered:
    """The context of one request sent by `send` or `asend`: httpx's failure to get an answer becomes this package's."""

    __slots__ = ("_kwargs",)

    def __init__(self, kwargs: dict[str, Any]) -> None:
        self._kwargs = kwargs

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not isinstance(exc, httpx.TransportError):
            return
        method, url = str(self._kwargs["method"]).upper(), str(self._kwargs["url"])
        if isinstance(exc, httpx.TimeoutException):
            raise errors.APITimeoutError(f"timed out ({type(exc).__name__})", method=method, url=url) from exc
        raise errors.APIConnectionError(f"no answer ({type(exc).__name__}: {exc})", method=method, url=url) from exc


def send(client: AuthenticatedClient | Client, kwargs: dict[str, Any]) -> httpx.Response:
    """Send a request with the client's httpx.Client (and so its retries).

    Raises:
        errors.APITimeoutError: The request timed out, after any retries.
        errors.APIConnectionError: The request got no answer, after any retries.
    """
    with _Answered(kwargs):
        return client.get_httpx_client().request(**kwargs)


async def asend(client: AuthenticatedClient | Client, kwargs: dict[str, Any]) -> httpx.Response:
    """Send a request with the client's httpx.AsyncClient (and so its retries); raises as `send` does."""
    with _Answered(kwargs):
        return await client.get_async_httpx_client().request(**kwargs)


def _is_failure(status_code: int, parsed: object, unreadable: bool) -> bool:
    # A slurper envelope says `success`; the other APIs' models have no such field.
    return not 200 <= status_code <= 299 or unreadable or getattr(parsed, "success", None) is False


def build_response(
    *,
    client: AuthenticatedClient | Client,
    response: httpx.Response,
    parse: Callable[..., T | None],
) -> Response[T]:
    """Parse `response` with an endpoint's `parse` function, keeping the status and raw body whatever happens.

    A body that is not the JSON the document declares (a proxy's HTML 502, a truncated answer, another service's
    JSON error where the document declares its own error model) is treated like an undocumented status: `parsed` is
    None, or `errors.UnexpectedStatus` is raised when the client asks for it. With `client.raise_on_error`, every
    failure raises its `errors` exception instead.
    """
    status = response.status_code
    if client.raise_on_error and not 200 <= status <= 299:
        raise errors.error_for_response(status, response.content, response.headers)
    unreadable = False
    success = 200 <= status <= 299
    try:
        token = _drift.start()
        try:
            parsed = parse(client=client, response=response)
        finally:
            collected = _drift.stop(token)
        # The models read a body that differs from the document (drift); an error body that does is not the API's
        # error model (another service's JSON error), as before: it is treated as unreadable.
        if not success and collected.found:
            raise ValueError("an error body that is not the document's")
    # JSONDecodeError and UnicodeDecodeError are ValueErrors; a model's `from_dict` raises KeyError, TypeError,
    # ValueError or AttributeError for JSON of another shape (the same set openapi-python-client's unions catch).
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if client.raise_on_error:
            raise errors.error_for_response(status, response.content, response.headers) from exc
        if client.raise_on_unexpected_status:
            raise errors.UnexpectedStatus(status, response.content, response.headers) from exc
        parsed, unreadable = None, True
    drift = _drift.located(collected) if success and not _is_failure(status, parsed, unreadable) else ()
    if drift and client.strict and not unreadable:
        raise errors.DriftError(status, response.content, response.headers, drift)
    if client.raise_on_error and _is_failure(status, parsed, unreadable):
        raise errors.error_for_response(status, response.content, response.headers)
    return Response(
        status_code=to_status(status),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
        drift=drift,
    )


@overload
def unwrap(response: Response[T]) -> T | None: ...


@overload
def unwrap(response: Response[Any], expected: type[S]) -> S: ...


def unwrap(response: Response[Any], expected: type[Any] | None = None) -> Any:
    """The result of a `*_detailed` call, or the exception for its failure.

    Args:
        response: What a `*_detailed` function returned.
        expected: The success model (e.g. `JobResponse`); the result is checked to be one, and typed as one.

    Returns:
        The parsed success model (None for a success without a body, such as a 204).

    Raises:
        errors.APIStatusError: The matching subclass for a 4xx, a 5xx, a 2xx whose body says it failed, or a body
            that is not what the document declares (`UnexpectedStatus`).
    """
    status = int(response.status_code)
    unreadable = response.parsed is None and bool(response.content.strip())
    if _is_failure(status, response.parsed, unreadable):
        raise errors.error_for_response(status, response.content, response.headers)
    if expected is not None and not isinstance(response.parsed, expected):
        raise errors.UnexpectedStatus(status, response.content, response.headers)
    return response.parsed


__all__ = ["build_response", "json_sequence", "unwrap"]
