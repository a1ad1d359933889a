"""What a simulator answers before it is sent: a `Reply`, or an `ApiError` that becomes one.

Every API's operations give back a `Reply` (a status, a JSON body and extra headers), and every API's errors are
`ApiError`s that know their status, headers and body in the API's own shape (Cloudflare's failure envelope, Connect's
`{code, error, payload}`, API Gateway's `{"message": ...}`). The pipeline (`mock_server.pipeline`) checks a reply
against the document in strict mode and renders it with `json_response`; Connect's streamed replies (the log file, the
tail) are its own (`mock_server.connect.routes`).
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from mock_server.openapi.media_types import json_bytes

JSON_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class Reply:
    """A whole JSON answer.

    Attributes:
        status: The HTTP status.
        body: The JSON body.
        headers: Extra response headers (Allow on a 405, WWW-Authenticate on a 401, ...).
    """

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class ErrorCodes(enum.Enum):
    """The base of an API's table of coded errors: each member is `NAME = code, HTTP status, standard message`."""

    def __init__(self, code: int, status: int, message: str) -> None:
        """Unpack the member's value.

        Args:
            code: The API's error code.
            status: The HTTP status.
            message: The standard message.
        """
        self.code = code
        self.status = status
        self.message = message


class ApiError(Exception):
    """A failed request, on its way to becoming the API's error body; every API's errors are one of these.

    Attributes:
        status: The HTTP status.
        message: What the client is told; it never quotes a credential.
        headers: Extra response headers (e.g. Allow on a 405).
    """

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        """Describe the failure.

        Args:
            status: The HTTP status.
            message: What the client is told.
            headers: Extra response headers.
        """
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> Any:
        """The error body, in the API's own shape.

        Raises:
            NotImplementedError: Each API's error class says.
        """
        raise NotImplementedError

    def reply(self) -> Reply:
        """The error as a reply.

        Returns:
            Its status, body and headers.
        """
        return Reply(self.status, self.body(), self.headers)


def json_response(reply: Reply) -> Response:
    """Render a reply: its body compact, every non-ASCII character escaped (`json_bytes` says why).

    Args:
        reply: The reply.

    Returns:
        The response, `application/json`.
    """
    return Response(json_bytes(reply.body), reply.status, dict(reply.headers), JSON_MEDIA_TYPE)
