"""What every simulator is set up with: `SimulatorSettings`, which each API's settings extend with their own."""

from dataclasses import dataclass, field

from mock_server.clock import Clock, system_clock
from mock_server.faults import FaultSettings


@dataclass(frozen=True, kw_only=True)
class SimulatorSettings:
    """Settings every simulator has.

    Attributes:
        strict: Validate every response against the document; a violation becomes a 500 that names it.
        seed: Seeds the simulator's random choices (ids, plans, tokens), so runs are repeatable.
        clock: Tells the time (inject one a test moves, for deterministic timestamps and job lives).
        faults: Which faults to inject (none by default; `mock_server.faults`).
    """

    strict: bool = False
    seed: int = 0
    clock: Clock = system_clock
    faults: FaultSettings = field(default_factory=FaultSettings)
