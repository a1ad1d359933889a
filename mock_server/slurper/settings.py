"""How a slurper simulator is set up."""

from dataclasses import dataclass, field

from mock_server.faults import FaultSettings
from mock_server.slurper.auth import Credentials
from mock_server.slurper.jobs import DEFAULT_MAX_CONCURRENT_JOBS, Clock, system_clock


@dataclass(frozen=True)
class SlurperSettings:
    """Settings of one simulator.

    Attributes:
        credentials: The token and the e-mail + key pair that are accepted.
        max_concurrent_jobs: How many active (running or paused) jobs an account may have.
        strict: Validate every response against the document; a violation becomes a 500 that names it.
        seed: Seeds the generator of job ids, so runs are repeatable.
        demo_jobs: Start with the demo jobs of `mock_server.slurper.seed`.
        clock: Tells the time (inject a fake one for deterministic timestamps).
        faults: Which faults to inject (none by default; `mock_server.faults`).
    """

    credentials: Credentials = field(default_factory=Credentials)
    max_concurrent_jobs: int = DEFAULT_MAX_CONCURRENT_JOBS
    strict: bool = False
    seed: int = 0
    demo_jobs: bool = True
    clock: Clock = system_clock
    faults: FaultSettings = field(default_factory=FaultSettings)
