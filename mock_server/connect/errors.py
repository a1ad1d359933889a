"""Every error the Connect simulator answers with, and the body that carries it: `{code, error, payload}`.

Codes, messages and statuses are Connect's own (reference §5, the "API Error Codes" table); the simulator adds none.
`payload` is always null, as real servers send it.
"""

from collections.abc import Mapping
from typing import Any

from mock_server.replies import ApiError, ErrorCodes


class ErrorCode(ErrorCodes):
    """An error: its Connect code, HTTP status and standard message."""

    INTERNAL = 1, 500, "An internal failure occurred."
    UNSUPPORTED = 2, 404, "The requested method or endpoint is not supported."
    INVALID_ID = 3, 400, "The requested object ID is invalid."
    NOT_FOUND = 4, 404, "The requested object does not exist."
    NO_PERMISSION = 22, 403, "You don't have permission to perform this operation."
    UNAUTHENTICATED = 24, 401, "The requested operation requires authentication."
    INVALID_PARAMETER = 25, 400, "The parameter is invalid."
    JOB_NOT_ACTIVE = 163, 409, "The specified job cannot be terminated because it is not active"


class ConnectError(ApiError):
    """A failed request, on its way to becoming an error body.

    Attributes:
        error: Which error it is.
        message: What the client is told: the standard message, followed by a detail when there is one.
        status: The HTTP status (the error's own, unless overridden, e.g. 405 for an unsupported method).
        headers: Extra response headers (e.g. Allow on a 405).
    """

    def __init__(
        self,
        error: ErrorCode,
        detail: str | None = None,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the failure.

        Args:
            error: Which error it is.
            detail: What exactly was wrong, appended to the standard message; it must never quote a credential.
            status: Another HTTP status than the error's own.
            headers: Extra response headers.
        """
        self.error = error
        message = error.message if detail is None else f"{error.message} {detail}"
        super().__init__(error.status if status is None else status, message, headers)

    def body(self) -> dict[str, Any]:
        """Build the error body (APIError in the document).

        Returns:
            `{"code": ..., "error": ..., "payload": null}`.
        """
        return {"code": self.error.code, "error": self.message, "payload": None}
