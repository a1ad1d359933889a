"""How an httpx response becomes this package's `Response`, for every endpoint function.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

import httpx

from . import errors
from .client import AuthenticatedClient, Client
from .types import Response

T = TypeVar("T")


def to_status(code: int) -> HTTPStatus | int:
    """`HTTPStatus(code)` when Python knows the code, else the plain integer (e.g. Cloudflare's 520-527)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def json_lines(response: httpx.Response) -> list[Any]:
    """The values of a newline-delimited JSON body (`application/x-ndjson`), one per line; blank lines are skipped.

    Raises:
        json.JSONDecodeError: A line is not JSON (`build_response` then treats the body as not what was declared).
    """
    return [json.loads(line) for line in response.content.split(b"\n") if line.strip()]


def build_response(
    *,
    client: AuthenticatedClient | Client,
    response: httpx.Response,
    parse: Callable[..., T | None],
) -> Response[T]:
    """Parse `response` with an endpoint's `parse` function, keeping the status and raw body whatever happens.

    A body that is not the JSON the document declares (a proxy's HTML 502, a truncated answer, another service's
    JSON error where the document declares its own error model) is treated like an undocumented status: `parsed` is
    None, or `errors.UnexpectedStatus` is raised when the client asks for it.
    """
    try:
        parsed = parse(client=client, response=response)
    # JSONDecodeError and UnicodeDecodeError are ValueErrors; a model's `from_dict` raises KeyError, TypeError,
    # ValueError or AttributeError for JSON of another shape (the same set openapi-python-client's unions catch).
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if client.raise_on_unexpected_status:
            raise errors.UnexpectedStatus(response.status_code, response.content) from exc
        parsed = None
    return Response(
        status_code=to_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )
