"""How a Connect simulator is set up."""

from dataclasses import dataclass, field

from mock_server.connect.auth import ApiKeys
from mock_server.connect.jobs import Timing
from mock_server.settings import SimulatorSettings

DEFAULT_TAIL_POLL_INTERVAL = 0.02


@dataclass(frozen=True, kw_only=True)
class ConnectSettings(SimulatorSettings):
    """Settings of one Connect simulator, besides those of every simulator (`SimulatorSettings`: strict mode, where a
    violation in the middle of a tail drops the connection instead; the seed of every random choice; its clock; its
    faults).

    Attributes:
        keys: The accepted API keys, one per role.
        timing: How fast jobs write, exit and are finalized.
        demo_content: Start with the demo content of `mock_server.connect.seed`.
        tail_poll_interval: Seconds between two looks at a tailed job.
    """

    keys: ApiKeys = field(default_factory=ApiKeys)
    timing: Timing = field(default_factory=Timing)
    demo_content: bool = True
    tail_poll_interval: float = DEFAULT_TAIL_POLL_INTERVAL
