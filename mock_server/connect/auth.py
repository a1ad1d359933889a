"""Connect API keys: `Authorization: Key <api key>`, and the role the key's user has on the seeded content.

1. no `Authorization` header, another scheme than `Key`, or a key the simulator does not know: 401, code 24;
2. otherwise the key's role decides (`mock_server.connect.routes`): owners, collaborators and administrators may use
   every jobs operation, viewers get 403, code 22.

The scheme word is matched case-insensitively and blank headers count as absent. Keys are compared in constant time,
and no key is ever logged or echoed.
"""

import enum
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from mock_server.connect.errors import ConnectError, ErrorCode


class Role(enum.StrEnum):
    """What a key's user is to the seeded content items."""

    OWNER = "owner"
    COLLABORATOR = "collaborator"
    VIEWER = "viewer"
    ADMINISTRATOR = "administrator"


# Well-known mock keys, e.g. "mock-connect-owner-key": the simulator prints them at start-up so that clients can use
# them.
DEFAULT_KEYS = {role: f"mock-connect-{role}-key" for role in Role}


@dataclass(frozen=True)
class ApiKeys:
    """The keys the simulator accepts, one per role.

    Attributes:
        by_role: The key of each role.
    """

    by_role: Mapping[Role, str] = field(default_factory=lambda: dict(DEFAULT_KEYS), repr=False)

    def __post_init__(self) -> None:
        """Check the keys are usable.

        Raises:
            ValueError: A role has no key, a key is blank, or two roles share a key.
        """
        keys = [self.by_role.get(role, "").strip() for role in Role]
        if not all(keys):
            raise ValueError("every role needs a non-blank key")
        if len(set(keys)) != len(keys):
            raise ValueError("every role needs a key of its own")


def authenticate(headers: Mapping[str, str], keys: ApiKeys) -> Role:
    """Find the role of a request's key.

    Args:
        headers: The request headers, looked up by lower-case name.
        keys: The accepted keys.

    Returns:
        The role of the key's user.

    Raises:
        ConnectError: UNAUTHENTICATED, for a missing, malformed or unknown key.
    """
    scheme, _, key = headers.get("authorization", "").strip().partition(" ")
    key = key.strip()
    found = None
    # Every key is compared, so that timing does not tell which role a guessed key is close to.
    for role, accepted in keys.by_role.items():
        if hmac.compare_digest(key.encode(), accepted.encode()):
            found = role
    if scheme.lower() != "key" or not key or found is None:
        raise ConnectError(ErrorCode.UNAUTHENTICATED)
    return found
