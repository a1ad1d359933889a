"""Cloudflare authentication: an API token, or the legacy e-mail and global API key pair.

Which credentials a request carries decides how it is checked:

1. an `Authorization` header: it must be `Bearer <token>` with the configured token, else 403, code 10000;
2. otherwise an `X-Auth-Email` or `X-Auth-Key` header: both must be there and match, else 403, code 9103;
3. otherwise: 400, code 9106 (the status and message the real API gives).

Blank headers count as absent. Comparisons take constant time, and no credential is ever logged or echoed.
"""

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from mock_server.slurper.errors import ErrorCode, SlurperError

# Well-known mock credentials: the simulator prints them at start-up so that clients can use them.
DEFAULT_TOKEN = "mock-slurper-token"  # noqa: S105
DEFAULT_EMAIL = "mock@example.com"
DEFAULT_KEY = "mock-global-api-key"


@dataclass(frozen=True)
class Credentials:
    """The credentials the simulator accepts.

    Attributes:
        token: The API token.
        email: The account e-mail.
        key: The global API key.
    """

    token: str = field(default=DEFAULT_TOKEN, repr=False)
    email: str = DEFAULT_EMAIL
    key: str = field(default=DEFAULT_KEY, repr=False)


def authenticate(headers: Mapping[str, str], credentials: Credentials) -> None:
    """Check a request's credentials.

    Args:
        headers: The request headers, looked up by lower-case name.
        credentials: What is accepted.

    Raises:
        SlurperError: MISSING_CREDENTIALS, AUTHENTICATION_ERROR or UNKNOWN_API_KEY, as described above.
    """
    authorization = headers.get("authorization", "").strip()
    email = headers.get("x-auth-email", "").strip()
    key = headers.get("x-auth-key", "").strip()
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not _same(token.strip(), credentials.token):
            raise SlurperError(ErrorCode.AUTHENTICATION_ERROR)
        return
    if email or key:
        # Both are compared even when the first differs, so timing does not tell which one was wrong.
        email_matches = _same(email.lower(), credentials.email.lower())
        key_matches = _same(key, credentials.key)
        if not (email_matches and key_matches):
            raise SlurperError(ErrorCode.UNKNOWN_API_KEY)
        return
    raise SlurperError(ErrorCode.MISSING_CREDENTIALS)


def _same(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode(), expected.encode())
