"""How an API's error body reads, as `errors.py` asks it: the default, for an error body that has no model.

Hand-written; never copied as it is: every package gets its API's own module instead
(generator/runtime/<api>/error_details.py, which generation requires), with the same names:

- `ErrorDetails`: the API's error model, the type of `APIStatusError.details`;
- `read_error_details(body)`: the body (JSON, or None) as that model, or None when it is not one;
- `describe_error_details(details)`: the error as exception messages show it;
- `is_unsuccessful(body)`: whether a 2xx body is a failure all the same;
- `MISSING_ENDPOINT_HINT`: what is said after "endpoint not available on this server" when a 404 is not the API's
  own error.

This one reads no body as details (so every 404 is a missing endpoint), which is what `errors.py` is checked against
where it lives.
"""

from typing import Any

# Said after "endpoint not available on this server" when a 404 is not the API's own error.
MISSING_ENDPOINT_HINT = "check the base URL"

ErrorDetails = object


def read_error_details(body: Any) -> ErrorDetails | None:
    """None: without a model, no body is one."""
    return None


def describe_error_details(details: ErrorDetails) -> str:
    """The details' repr."""
    return repr(details)


def is_unsuccessful(body: Any) -> bool:
    """False: only a 4xx or a 5xx is a failure."""
    return False
