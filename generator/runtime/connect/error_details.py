"""How a Connect error body reads: `{"code": 163, "error": "...", "payload": null}`.

Hand-written; copied into generated_client/connect/ by `python -m generator` (source: generator/runtime/connect/).
`errors.py` builds each exception's `details` and message with these, the names the default error_details.py lists.
A Connect server older than 2022.10.0 has no v1 jobs endpoints and answers them with Go's plain-text `404 page not
found`, which is not a Connect error: like Posit's own R package, `errors.py` tells a missing endpoint from a missing
job by that.
"""

from typing import Any

from generated_client.connect.models.api_error import APIError

# Said after "endpoint not available on this server" when a 404 is not the API's own error.
MISSING_ENDPOINT_HINT = "the v1 jobs endpoints need Connect 2022.10.0 or newer"

ErrorDetails = APIError


def read_error_details(body: Any) -> APIError | None:
    """Connect's error body when it is one: an object with an integer `code` and a string `error`."""
    if not isinstance(body, dict):
        return None
    code = body.get("code")
    if not isinstance(code, int) or isinstance(code, bool) or not isinstance(body.get("error"), str):
        return None
    return APIError.from_dict(body)


def describe_error_details(details: APIError) -> str:
    """Connect's code and text, e.g. `Connect error 4: The requested object does not exist.`."""
    return f"Connect error {details.code}: {details.error}"


def is_unsuccessful(body: Any) -> bool:
    """False: Connect reports every failure with a 4xx or 5xx status, so a 2xx body is never a failure."""
    return False
