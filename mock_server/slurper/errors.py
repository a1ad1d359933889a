"""Every error the slurper simulator answers with, and the failure envelope that carries it.

Codes follow Cloudflare's v4 API. 7003, 9103, 9106 and 10000 are Cloudflare's own; 10001, 10404, 10409, 10410 and
10411 are the ones `openapi/slurper.yaml` shows in its examples; the rest are made up in the same style. The status of
each error is its HTTP status; the document declares `4XX` on every operation, so any 4xx is allowed, and 409 is also
declared by name on create, pause and delete.
"""

from collections.abc import Mapping
from typing import Any

from mock_server.replies import ApiError, ErrorCodes

DOCUMENTATION_URL = "https://developers.cloudflare.com/r2/data-migration/super-slurper/"


class ErrorCode(ErrorCodes):
    """An error: its Cloudflare code, HTTP status and standard message."""

    NO_ROUTE = 7003, 404, "No route for the URI"
    METHOD_NOT_ALLOWED = 10405, 405, "Method not allowed"
    MISSING_CREDENTIALS = 9106, 400, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
    UNKNOWN_API_KEY = 9103, 403, "Unknown X-Auth-Key or X-Auth-Email"
    AUTHENTICATION_ERROR = 10000, 403, "Authentication error"
    INVALID_REQUEST = 10001, 400, "Invalid request"
    MALFORMED_JSON = 10002, 400, "Malformed JSON in request body"
    UNSUPPORTED_MEDIA_TYPE = 10003, 400, "Unsupported media type"
    REQUEST_TOO_LARGE = 10004, 413, "Request body is too large"
    JOB_NOT_FOUND = 10404, 404, "Job not found"
    TOO_MANY_CONCURRENT_JOBS = 10409, 409, "Maximum number of concurrent jobs has been reached"
    JOB_STILL_ACTIVE = 10410, 409, "Job is still active"
    JOB_NOT_RUNNING = 10411, 409, "Job is not running"
    # Resuming is only documented with `4XX`; 409 is what the same conflict gets on pause, so resume uses it too.
    JOB_NOT_PAUSED = 10412, 409, "Job is not paused"
    JOB_NOT_ACTIVE = 10413, 409, "Job is not active"
    # What fault injection (mock_server.faults) answers with.
    RATE_LIMITED = 10429, 429, "Rate limited"
    SERVICE_UNAVAILABLE = 10503, 503, "Service unavailable"
    # The two 5xx are the simulator's own faults, never the client's; no test should ever see them.
    INTERNAL_ERROR = 10500, 500, "Internal error in the simulator"
    CONTRACT_VIOLATION = 10501, 500, "The simulator's response violates openapi/slurper.yaml"


class SlurperError(ApiError):
    """A failed request, on its way to becoming a failure envelope.

    Attributes:
        error: Which error it is.
        message: What the client is told; the standard message unless a more precise one was given.
        pointer: A JSON pointer to the offending part of the request body, if any.
        status: The HTTP status of the failure (the error's).
        headers: Extra response headers (e.g. Allow on a 405).
    """

    def __init__(
        self,
        error: ErrorCode,
        message: str | None = None,
        *,
        pointer: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the failure.

        Args:
            error: Which error it is.
            message: A more precise message naming the problem; it must never quote a credential.
            pointer: A JSON pointer to the offending part of the request body.
            headers: Extra response headers.
        """
        self.error = error
        self.pointer = pointer
        super().__init__(error.status, message or error.message, headers)

    def body(self) -> dict[str, Any]:
        """Build the failure envelope (FailureResponse in the document).

        Returns:
            `{"success": false, "errors": [{"code", "message", ...}], "messages": [], "result": null}`; the error
            carries `documentation_url` and `source.pointer` when the problem is inside the request body.
        """
        detail: dict[str, Any] = {"code": self.error.code, "message": self.message}
        if self.pointer is not None:
            detail["documentation_url"] = DOCUMENTATION_URL
            detail["source"] = {"pointer": self.pointer}
        return {"success": False, "errors": [detail], "messages": [], "result": None}
