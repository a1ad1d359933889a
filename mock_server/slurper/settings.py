"""How a slurper simulator is set up."""

from dataclasses import dataclass, field

from mock_server.settings import SimulatorSettings
from mock_server.slurper.auth import Credentials
from mock_server.slurper.jobs import DEFAULT_MAX_CONCURRENT_JOBS


@dataclass(frozen=True, kw_only=True)
class SlurperSettings(SimulatorSettings):
    """Settings of one slurper simulator, besides those of every simulator (`SimulatorSettings`: strict mode, the
    seed of its job ids, its clock, its faults).

    Attributes:
        credentials: The token and the e-mail + key pair that are accepted.
        max_concurrent_jobs: How many active (running or paused) jobs an account may have.
        demo_jobs: Start with the demo jobs of `mock_server.slurper.seed`.
    """

    credentials: Credentials = field(default_factory=Credentials)
    max_concurrent_jobs: int = DEFAULT_MAX_CONCURRENT_JOBS
    demo_jobs: bool = True
