"""The exceptions this package raises: one hierarchy, rooted at `APIError`.

`APIStatusError` and its subclasses carry the HTTP status, the API's own error details (`details`, the document's
error model, or None when the body is not one), the parsed JSON `body` and the raw `content`. Messages never contain
credentials: bodies are shown with secret-looking fields redacted, and request headers are never shown.

    APIError
    ├── APIConnectionError            no answer (refused, reset, DNS, ...), after any retries
    │   └── APITimeoutError
    ├── APIStatusError                an answer that is not a success
    │   ├── ClientError               4xx
    │   │   ├── BadRequestError       400, 422
    │   │   ├── AuthenticationError   401
    │   │   ├── PermissionDeniedError 403
    │   │   ├── NotFoundError         404
    │   │   │   └── EndpointNotAvailable   a 404 that is not the API's own error: the server lacks the endpoint
    │   │   ├── ConflictError         409
    │   │   └── RateLimitError        429
    │   ├── ServerError               5xx, Cloudflare's 520-527
    │   ├── UnsuccessfulResponse      a 2xx whose body says it failed (Cloudflare's `"success": false`)
    │   └── UnexpectedStatus          a status or body the document does not declare
    └── WaitTimeout                   a `wait_for_job` helper gave up before the job ended

Hand-written, the same for every API; copied into every generated package by `python -m generator` (source:
generator/runtime/). What is the API's own (how its error body reads, when a 2xx is a failure) comes from the
package's `error_details` module (generator/runtime/<api>/error_details.py).
"""

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import httpx

from ._drift import DOCUMENT, Drift, DriftWarning
from .error_details import (
    MISSING_ENDPOINT_HINT,
    ErrorDetails,
    describe_error_details,
    is_unsuccessful,
    read_error_details,
)

ENDPOINT_NOT_AVAILABLE = "endpoint not available on this server"
# How much of a body an exception message shows; the whole body stays in `content`.
_SHOWN_CHARACTERS = 300
_SECRET_KEY = re.compile(r"secret|private|password|passwd|token|api[_-]?key|authorization|credential", re.IGNORECASE)
_REDACTED = "<redacted>"


class APIError(Exception):
    """The base of every exception this package raises."""


class APIConnectionError(APIError):
    """The request got no answer: the connection was refused, reset or dropped, after any retries.

    Attributes:
        method: The request's method.
        url: The request's URL.
    """

    def __init__(self, message: str, *, method: str, url: str) -> None:
        """Describe the failure.

        Args:
            message: What happened.
            method: The request's method.
            url: The request's URL (query strings are left out: they can carry identifiers, never credentials here,
                but the path is enough to tell which call failed).
        """
        super().__init__(f"{method} {url}: {message}")
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, writing, or waiting for the answer), after any retries."""


class APIStatusError(APIError):
    """The server answered, and the answer is not a success.

    Attributes:
        status_code: The HTTP status, as an int.
        content: The raw body.
        headers: The response headers.
        body: The body as JSON, or None when it is not JSON.
        details: The API's own error (the document's error model), or None when the body is not one.
    """

    def __init__(self, status_code: int, content: bytes, headers: Mapping[str, str] | None = None) -> None:
        """Read the failure from the response.

        Args:
            status_code: The HTTP status.
            content: The raw body.
            headers: The response headers.
        """
        self.status_code = int(status_code)
        self.content = content
        self.headers = httpx.Headers(headers or {})
        self.body = _json_or_none(content)
        self.details: ErrorDetails | None = read_error_details(self.body)
        super().__init__(self._message())

    def _message(self) -> str:
        try:
            reason = HTTPStatus(self.status_code).phrase
        except ValueError:
            reason = "(no standard name)"
        if self.details is not None:
            return f"{self.status_code} {reason}: {describe_error_details(self.details)}"
        return f"{self.status_code} {reason}: {_preview(self.body, self.content)}"


class ClientError(APIStatusError):
    """A 4xx: the request was wrong, or not allowed."""


class BadRequestError(ClientError):
    """400 or 422: the server rejected the request's parameters or body."""


class AuthenticationError(ClientError):
    """401: no credentials, or credentials the server does not accept."""


class PermissionDeniedError(ClientError):
    """403: the credentials are valid but may not do this."""


class NotFoundError(ClientError):
    """404: what the request names does not exist (or is not visible to these credentials)."""


class EndpointNotAvailable(NotFoundError):
    """A 404 that is not the API's own error, such as Go's plain-text `404 page not found`: the server does not have
    the endpoint at all (an older server, or a wrong base URL)."""

    def _message(self) -> str:
        return (
            f"{ENDPOINT_NOT_AVAILABLE}: it answered 404 {_preview(self.body, self.content)} ({MISSING_ENDPOINT_HINT})"
        )


class ConflictError(ClientError):
    """409: the request conflicts with the current state (e.g. pausing a job that is not running)."""


class RateLimitError(ClientError):
    """429: too many requests.

    Attributes:
        retry_after: The seconds the server asked to wait (`Retry-After`), or None when it did not say.
    """

    def __init__(self, status_code: int, content: bytes, headers: Mapping[str, str] | None = None) -> None:
        """Read the failure and the server's `Retry-After`.

        Args:
            status_code: The HTTP status.
            content: The raw body.
            headers: The response headers.
        """
        super().__init__(status_code, content, headers)
        self.retry_after = retry_after_seconds(self.headers.get("Retry-After"))


class ServerError(APIStatusError):
    """5xx, including Cloudflare's 520-527: the server or a proxy in front of it failed."""


class UnsuccessfulResponse(APIStatusError):
    """A 2xx whose body says the call failed (Cloudflare can answer 200 with `"success": false`)."""


class UnexpectedStatus(APIStatusError):
    """A status the document does not declare for the operation, or a body that is not what it declares."""


class DriftError(APIError):
    """A success response that differs from the document, read by a client with `strict=True` (without it, the
    model is read and the differences are on `Response.drift`).

    Attributes:
        status_code: The HTTP status, as an int.
        content: The raw body.
        headers: The response headers.
        body: The body as JSON.
        drift: Every difference found (`Drift`: location, kind, what was expected, what came).
    """

    def __init__(
        self, status_code: int, content: bytes, headers: Mapping[str, str] | None, drift: "tuple[Drift, ...]"
    ) -> None:
        """Keep the response and its differences from the document."""
        self.status_code = int(status_code)
        self.content = content
        self.headers = httpx.Headers(headers or {})
        self.body = _json_or_none(content)
        self.drift = drift
        listed = "; ".join(str(each) for each in drift[:5]) + ("; ..." if len(drift) > 5 else "")
        super().__init__(f"{self.status_code}: the response differs from {DOCUMENT}: {listed}")


class WaitTimeout(APIError):
    """A `wait_for_job` helper gave up: the job had not ended when the timeout ran out.

    Attributes:
        last: The last state seen (the API's progress or job model), or None when none was read.
    """

    def __init__(self, message: str, last: object | None) -> None:
        """Describe the wait.

        Args:
            message: What was waited for, and for how long.
            last: The last state seen.
        """
        super().__init__(message)
        self.last = last


def error_for_response(status_code: int, content: bytes, headers: Mapping[str, str] | None = None) -> APIStatusError:
    """The exception for a response that is not a success.

    Args:
        status_code: The HTTP status.
        content: The raw body.
        headers: The response headers.

    Returns:
        The most specific `APIStatusError` subclass for the status (and, for a 404, for the body).
    """
    status = int(status_code)
    kind: type[APIStatusError]
    if status in (400, 422):
        kind = BadRequestError
    elif status == 401:
        kind = AuthenticationError
    elif status == 403:
        kind = PermissionDeniedError
    elif status == 404:
        kind = NotFoundError if read_error_details(_json_or_none(content)) is not None else EndpointNotAvailable
    elif status == 409:
        kind = ConflictError
    elif status == 429:
        kind = RateLimitError
    elif 400 <= status <= 499:
        kind = ClientError
    elif 500 <= status <= 599:
        kind = ServerError
    elif 200 <= status <= 299 and is_unsuccessful(_json_or_none(content)):
        kind = UnsuccessfulResponse
    else:
        kind = UnexpectedStatus
    return kind(status, content, headers)


def retry_after_seconds(value: str | None) -> float | None:
    """Read a `Retry-After` header: delay-seconds or an HTTP date.

    Args:
        value: The header's value, or None.

    Returns:
        The seconds to wait (0 for a date in the past), or None when there is no readable value.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _json_or_none(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def redact(value: Any) -> Any:
    """A copy of a JSON value with the values of secret-looking keys (secret, private key, token, ...) replaced.

    Args:
        value: A JSON value.

    Returns:
        The same structure, with `"<redacted>"` for every value under a secret-looking key.
    """
    if isinstance(value, dict):
        return {
            key: _REDACTED if isinstance(key, str) and _SECRET_KEY.search(key) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _preview(body: Any, content: bytes) -> str:
    if body is not None:
        text = json.dumps(redact(body), separators=(",", ":"))
    elif content:
        text = content.decode("utf-8", "replace").strip()
    else:
        return "(empty body)"
    if len(text) > _SHOWN_CHARACTERS:
        text = text[:_SHOWN_CHARACTERS] + "..."
    return repr(text)


__all__ = [
    "ENDPOINT_NOT_AVAILABLE",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "Drift",
    "DriftError",
    "DriftWarning",
    "EndpointNotAvailable",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "UnexpectedStatus",
    "UnsuccessfulResponse",
    "WaitTimeout",
    "error_for_response",
    "redact",
    "retry_after_seconds",
]
