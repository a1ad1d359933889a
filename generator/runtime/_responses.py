"""How an httpx response becomes this package's `Response`, for every endpoint function.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

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


def build_response(
    *,
    client: AuthenticatedClient | Client,
    response: httpx.Response,
    parse: Callable[..., T | None],
) -> Response[T]:
    """Parse `response` with an endpoint's `parse` function, keeping the status and raw body whatever happens.

    A body that is not the JSON the document declares (a proxy's HTML 502, a truncated answer) is treated like an
    undocumented status: `parsed` is None, or `errors.UnexpectedStatus` is raised when the client asks for it.
    """
    try:
        parsed = parse(client=client, response=response)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        if client.raise_on_unexpected_status:
            raise errors.UnexpectedStatus(response.status_code, response.content) from exc
        parsed = None
    return Response(
        status_code=to_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )
