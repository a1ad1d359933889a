"""How a Connect simulator is set up."""

from dataclasses import dataclass, field

from mock_server.connect.auth import ApiKeys
from mock_server.connect.jobs import Clock, Timing, system_clock
from mock_server.faults import FaultSettings

DEFAULT_TAIL_POLL_INTERVAL = 0.02


@dataclass(frozen=True)
class ConnectSettings:
    """Settings of one simulator.

    Attributes:
        keys: The accepted API keys, one per role.
        timing: How fast jobs write, exit and are finalized.
        strict: Validate every response against the document; a violation becomes a 500 that names it (in the
            middle of a tail, the connection is dropped instead).
        seed: Seeds every random choice, so runs are repeatable.
        demo_content: Start with the demo content of `mock_server.connect.seed`.
        clock: Tells the time (inject one that tests move for deterministic runs).
        tail_poll_interval: Seconds between two looks at a tailed job.
        faults: Which faults to inject (none by default; `mock_server.faults`).
    """

    keys: ApiKeys = field(default_factory=ApiKeys)
    timing: Timing = field(default_factory=Timing)
    strict: bool = False
    seed: int = 0
    demo_content: bool = True
    clock: Clock = system_clock
    tail_poll_interval: float = DEFAULT_TAIL_POLL_INTERVAL
    faults: FaultSettings = field(default_factory=FaultSettings)
