"""RekoSearch authentication: `Authorization: <token>`, checked the way API Gateway's JWT authorizer checks it.

The token is sent bare (reference §3); the authorizer also accepts it after a `Bearer ` prefix, so the simulator does
too. A request without a token, or with one no user has, gets 401 `{"message": "Unauthorized"}` before any endpoint
runs. Tokens are compared in constant time and never logged or echoed.
"""

from collections.abc import Mapping

from mock_server.rekosearch import errors
from mock_server.rekosearch.jobs import RekoSearchJobs, User

BEARER_SCHEME = "bearer"


def authenticate(headers: Mapping[str, str], jobs: RekoSearchJobs) -> User:
    """Find the user a request is from.

    Args:
        headers: The request headers, looked up by lower-case name.
        jobs: The users and their tokens.

    Returns:
        The user.

    Raises:
        RekoSearchError: 401 when there is no token or no user has it.
    """
    token = headers.get("authorization", "").strip()
    scheme, _, rest = token.partition(" ")
    if scheme.lower() == BEARER_SCHEME:
        token = rest.strip()
    if not token:
        raise errors.unauthorized(token_sent=False)
    user = jobs.authenticate(token)
    if user is None:
        raise errors.unauthorized(token_sent=True)
    return user
