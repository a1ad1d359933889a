"""Every error the RekoSearch simulator answers with, in the API's own shape: `{"message": ...}`, plus
`affected_query_parameter` (`"<name>: <type>"`) when a query parameter is at fault.

Who answers what follows the path a request takes in the real API (reference §2, §3, §6.5): API Gateway answers an
unknown route (404 "Not Found") and a missing or rejected token (401 "Unauthorized", with a `WWW-Authenticate`
header) before any endpoint runs; the endpoint answers a missing or malformed query parameter (400) and, on jobs/get
only, a job it cannot find (404 "The job does not exist").
"""

from collections.abc import Mapping
from typing import Any

from mock_server.replies import ApiError

NOT_FOUND = "Not Found"
UNAUTHORIZED = "Unauthorized"
JOB_DOES_NOT_EXIST = "The job does not exist"
INTERNAL_ERROR = "Internal error in the simulator"
# How the endpoints name a parameter's type in `affected_query_parameter`: the API's pages call an integer "number".
PARAMETER_TYPE_NAMES = {"integer": "number", "number": "number", "string": "string", "boolean": "boolean"}


class RekoSearchError(ApiError):
    """A failed request, on its way to becoming an error body.

    Attributes:
        status: The HTTP status.
        message: The `message` the client is told; it never quotes a credential.
        affected_query_parameter: `"<name>: <type>"` when a query parameter is at fault, else None.
        headers: Extra response headers (WWW-Authenticate on a 401).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        affected_query_parameter: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the failure.

        Args:
            status: The HTTP status.
            message: What the client is told.
            affected_query_parameter: The parameter at fault, written `"<name>: <type>"`.
            headers: Extra response headers.
        """
        super().__init__(status, message, headers)
        self.affected_query_parameter = affected_query_parameter

    def body(self) -> dict[str, Any]:
        """Build the error body (ErrorResponse, or QueryParameterError when a parameter is at fault).

        Returns:
            `{"message": ...}`, with `affected_query_parameter` when a query parameter is at fault.
        """
        body: dict[str, Any] = {"message": self.message}
        if self.affected_query_parameter is not None:
            body["affected_query_parameter"] = self.affected_query_parameter
        return body


def affected(name: str, json_type: str) -> str:
    """Write a parameter the way `affected_query_parameter` does.

    Args:
        name: The parameter's name, e.g. "job-id".
        json_type: The JSON type its schema declares, e.g. "integer".

    Returns:
        E.g. "job-id: number".
    """
    return f"{name}: {PARAMETER_TYPE_NAMES.get(json_type, json_type)}"


def not_found() -> RekoSearchError:
    """API Gateway's answer to a method and path it has no route for.

    Returns:
        404 `{"message": "Not Found"}`.
    """
    return RekoSearchError(404, NOT_FOUND)


def unauthorized(*, token_sent: bool) -> RekoSearchError:
    """API Gateway's JWT authorizer's answer to a missing or rejected token.

    Args:
        token_sent: Whether the request carried a token (a rejected one gets `error="invalid_token"`).

    Returns:
        401 `{"message": "Unauthorized"}` with a WWW-Authenticate header.
    """
    challenge = 'Bearer error="invalid_token"' if token_sent else "Bearer"
    return RekoSearchError(401, UNAUTHORIZED, headers={"WWW-Authenticate": challenge})


def query_parameter_missing(name: str, json_type: str) -> RekoSearchError:
    """The documented answer to a required query parameter that was not sent (or sent empty).

    Args:
        name: The parameter's name.
        json_type: The JSON type its schema declares.

    Returns:
        400 "The <name> query parameter is missing".
    """
    return RekoSearchError(
        400, f"The {name} query parameter is missing", affected_query_parameter=affected(name, json_type)
    )


def query_parameter_malformed(name: str, json_type: str) -> RekoSearchError:
    """The simulator's answer to a query parameter that is not what its schema says (e.g. `job-id=abc`).

    The real API's message for this case is not documented (reference §9); this wording is the simulator's own.

    Args:
        name: The parameter's name.
        json_type: The JSON type its schema declares.

    Returns:
        400 "The <name> query parameter is not a valid <type>".
    """
    type_name = PARAMETER_TYPE_NAMES.get(json_type, json_type)
    return RekoSearchError(
        400,
        f"The {name} query parameter is not a valid {type_name}",
        affected_query_parameter=affected(name, json_type),
    )


def job_does_not_exist() -> RekoSearchError:
    """The answer of jobs/get to a job id the caller has no job with.

    Returns:
        404 "The job does not exist", naming job-id.
    """
    return RekoSearchError(404, JOB_DOES_NOT_EXIST, affected_query_parameter=affected("job-id", "integer"))
