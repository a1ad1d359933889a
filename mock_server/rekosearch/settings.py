"""How a RekoSearch simulator is set up."""

from dataclasses import dataclass, field

from mock_server.settings import SimulatorSettings

# Well-known mock tokens: the simulator prints them at start-up so that clients can use them.
DEFAULT_TOKEN = "mock-rekosearch-token"  # noqa: S105
SECOND_USER_TOKEN = "mock-rekosearch-token-2"  # noqa: S105


@dataclass(frozen=True, kw_only=True)
class RekoSearchSettings(SimulatorSettings):
    """Settings of one RekoSearch simulator, besides those of every simulator (`SimulatorSettings`: strict mode, the
    seed of its user ids, tokens and object uuids, its clock, its faults, which `POST /_simulator/users` never gets).

    Attributes:
        token: The first demo user's token (the second's is `SECOND_USER_TOKEN`); never shown in a repr.
        demo_users: Start with the demo users of `mock_server.rekosearch.seed`.
        new_user_endpoint: Also serve `POST /_simulator/users` (not part of the API, see `mock_server.rekosearch.app`)
            for test suites that need users nobody else touches; off, that path is API Gateway's 404 like any other.
    """

    token: str = field(default=DEFAULT_TOKEN, repr=False)
    demo_users: bool = True
    new_user_endpoint: bool = False
