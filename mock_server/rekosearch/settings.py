"""How a RekoSearch simulator is set up."""

from dataclasses import dataclass, field

from mock_server.faults import FaultSettings
from mock_server.rekosearch.jobs import Clock, system_clock

# Well-known mock tokens: the simulator prints them at start-up so that clients can use them.
DEFAULT_TOKEN = "mock-rekosearch-token"  # noqa: S105
SECOND_USER_TOKEN = "mock-rekosearch-token-2"  # noqa: S105


@dataclass(frozen=True)
class RekoSearchSettings:
    """Settings of one simulator.

    Attributes:
        token: The first demo user's token (the second's is `SECOND_USER_TOKEN`); never shown in a repr.
        strict: Validate every response against the document; a violation becomes a 500 that names it.
        seed: Seeds the generator of user ids, tokens and object uuids, so runs are repeatable.
        demo_users: Start with the demo users of `mock_server.rekosearch.seed`.
        clock: Tells the time (inject a fake one for deterministic dates, links and retention).
        new_user_endpoint: Also serve `POST /_simulator/users` (not part of the API, see `mock_server.rekosearch.app`)
            for test suites that need users nobody else touches; off, that path is API Gateway's 404 like any other.
        faults: Which faults to inject (none by default; `mock_server.faults`); `POST /_simulator/users` never fails.
    """

    token: str = field(default=DEFAULT_TOKEN, repr=False)
    strict: bool = False
    seed: int = 0
    demo_users: bool = True
    clock: Clock = system_clock
    new_user_endpoint: bool = False
    faults: FaultSettings = field(default_factory=FaultSettings)
