"""How a Cloudflare error body reads: the failure envelope, `{"success": false, "errors": [{code, message}], ...}`.

Hand-written; copied into generated_client/slurper/ by `python -m generator` (source: generator/runtime/slurper/).
`errors.py` builds each exception's `details` and message with these, the names the default error_details.py lists.
"""

from typing import Any

from generated_client.slurper.models.failure_response import FailureResponse

# Said after "endpoint not available on this server" when a 404 is not the API's own error.
MISSING_ENDPOINT_HINT = "check the base URL: the API is at https://api.cloudflare.com/client/v4"

ErrorDetails = FailureResponse


def read_error_details(body: Any) -> FailureResponse | None:
    """Cloudflare's failure envelope when the body is one with at least one error item, else None (a proxy's page,
    another service's JSON)."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list) or not body["errors"]:
        return None
    if not all(isinstance(item, dict) and "code" in item and "message" in item for item in body["errors"]):
        return None
    try:
        return FailureResponse.from_dict({"success": False, "messages": [], **body})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def describe_error_details(details: FailureResponse) -> str:
    """Every error item's code and message, separated by `; `, e.g. `[10006] Job not found`."""
    return "; ".join(f"[{item.code}] {item.message}" for item in details.errors)


def is_unsuccessful(body: Any) -> bool:
    """Whether the body is an envelope whose `success` is false: Cloudflare can answer 200 with it."""
    return isinstance(body, dict) and body.get("success") is False
