"""How a RekoSearch error body reads: `{"message": ...}`, plus `affected_query_parameter` for a parameter's fault.

Hand-written; copied into generated_client/rekosearch/ by `python -m generator` (source: generator/runtime/rekosearch/).
`errors.py` builds each exception's `details` and message with these, the names the default error_details.py lists.
"""

from typing import Any

from generated_client.rekosearch.models.error_response import ErrorResponse

# Said after "endpoint not available on this server" when a 404 is not the API's own error.
MISSING_ENDPOINT_HINT = "check the base URL: the API is at https://rekosearch.com"

ErrorDetails = ErrorResponse


def read_error_details(body: Any) -> ErrorResponse | None:
    """RekoSearch's error body when it is one: an object with a string `message` (and, if any, a string
    `affected_query_parameter`)."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return None
    parameter = body.get("affected_query_parameter")
    if parameter is not None and not isinstance(parameter, str):
        return None
    return ErrorResponse.from_dict(body)


def describe_error_details(details: ErrorResponse) -> str:
    """The message, and the parameter at fault when there is one, e.g. `The job does not exist (job-id: number)`."""
    if isinstance(details.affected_query_parameter, str):
        return f"{details.message} ({details.affected_query_parameter})"
    return details.message


def is_unsuccessful(body: Any) -> bool:
    """False: RekoSearch reports every failure with a 4xx or 5xx status, so a 2xx body is never a failure."""
    return False
