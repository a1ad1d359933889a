"""What the conformance suite runs against: an embedded simulator (the default) or a live server (--base-url).

Each API contributes a `TargetSettings` (in contract_tests/server/<api>/target.py): how to authenticate against a
live server from environment variables, which parameter values a live run must use, and which of its operations
write. Everything else here is the same for every API.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import ChecksConfig, SchemathesisConfig

from contract_tests.documents import OPENAPI, ROOT
from generator.registry import load_apis
from mock_server.announcement import Announcement
from mock_server.launcher import RunningSimulator, launch

# The statuses schemathesis counts as rejecting a request that breaks the document (413 is added: `Target.schema`).
REJECTIONS = tuple(ChecksConfig().negative_data_rejection.expected_statuses)


@dataclass(frozen=True)
class Options:
    """The command-line options of a suite run (see conftest.py)."""

    apis: tuple[str, ...]
    base_url: str | None = None
    allow_writes: bool = False
    max_examples: int = 25
    mock_root: Path = ROOT
    strict_mock: bool = True


@dataclass(frozen=True)
class Credentials:
    """One way to authenticate: schemathesis' `[auth.openapi.*]` blocks, the raw headers, and what to redact."""

    auth: dict[str, dict[str, str]]
    headers: dict[str, str]

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(value.split(" ")[-1] for value in self.headers.values())


@dataclass(frozen=True)
class Target:
    """A server to test: where it is, how to authenticate, and whether the suite may change its state."""

    api: str
    base_url: str
    live: bool
    allow_writes: bool
    credentials: Credentials
    alternative_credentials: tuple[Credentials, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)
    # The embedded simulator's start-up line; None for a live server.
    announcement: Announcement | None = None
    fuzzed_writes: bool = True

    @property
    def announced(self) -> Announcement:
        """The embedded simulator's start-up line (a live server announces nothing)."""
        if self.announcement is None:
            raise LookupError(f"the {self.api} target is a live server, not a simulator that announced itself")
        return self.announcement

    @property
    def may_fuzz_writes(self) -> bool:
        """Generated requests (schemathesis' phases and stateful walks) may call operations that write: always on a
        simulator; on a live server only with --allow-writes, and only where the API allows it (`TargetSettings`)."""
        return self.allow_writes and self.fuzzed_writes

    @property
    def may_probe_credentials(self) -> bool:
        """Sending missing and wrong credentials on purpose is fine, except against a live server in read-only mode."""
        return not self.live or self.allow_writes

    @property
    def secrets(self) -> tuple[str, ...]:
        found = list(self.credentials.secrets)
        for other in self.alternative_credentials:
            found += other.secrets
        return tuple(found)

    def schema(self, settings: "TargetSettings", max_examples: int) -> Any:
        """The API's document as a schemathesis schema, configured for this target."""
        config: dict[str, Any] = {
            "base-url": self.base_url,
            "auth": {"openapi": self.credentials.auth},
            "generation": {"max-examples": max_examples, "database": "none"},
            "parameters": dict(self.parameters),
            # A negative case can be a body over the server's size limit (a `keys` list past its maxItems, say):
            # refusing it with 413 Content Too Large is rejecting it, as much as a 400 is.
            "checks": {"negative_data_rejection": {"expected-statuses": [*REJECTIONS, "413"]}},
        }
        if self.live and not self.allow_writes:
            # Read-only: GET operations only, no undocumented methods, no wrong or missing credentials sent on
            # purpose (positive cases only: negative ones drop or garble the credentials).
            config["generation"]["mode"] = "positive"
            config["phases"] = {"coverage": {"unexpected-methods": []}, "stateful": {"enabled": False}}
            config["checks"]["ignored_auth"] = {"enabled": False}
            config["operations"] = [{"include-method": method, "enabled": False} for method in settings.write_methods]
        elif not self.may_fuzz_writes:
            # Writes allowed, but not generated ones: the API's own tests make the few writes they need.
            config["phases"] = {"stateful": {"enabled": False}}
            config["operations"] = [{"include-method": method, "enabled": False} for method in settings.write_methods]
        return schemathesis.openapi.from_path(OPENAPI / f"{self.api}.yaml", config=SchemathesisConfig.from_dict(config))


@dataclass(frozen=True)
class TargetSettings:
    """What differs per API when choosing a target."""

    api: str
    live_credentials: Callable[[], tuple[Credentials, ...]]
    live_parameters: Callable[[], dict[str, str]]
    mock_credentials: Callable[[Announcement], tuple[Credentials, ...]]
    write_methods: tuple[str, ...] = ("POST", "PUT", "PATCH", "DELETE")
    # False when generated requests must not write to a live server even with --allow-writes: where ids are small
    # sequential numbers, a fuzzed or linked DELETE would hit the account's real resources.
    live_fuzzed_writes: bool = True
    # What the embedded simulator is started with (e.g. faster clocks), and parameter values a run against it uses
    # (from its start-up line), like `live_parameters` for a live server.
    mock_arguments: tuple[str, ...] = ()
    mock_parameters: Callable[[Announcement], dict[str, str]] | None = None
    # The environment a live run (`--base-url`) needs to test a simulator started on its own, from its start-up
    # line: its credentials and parameters as a user would give a real server's.
    live_environment_of_mock: Callable[[Announcement], dict[str, str]] = lambda announcement: {}


def target_settings(api: str) -> TargetSettings:
    """The `TargetSettings` of an API (its suite's `target` module, as the registry names it)."""
    settings: TargetSettings = load_apis()[api].part("suite", "target").SETTINGS
    return settings


class Targets:
    """The targets of one run: the live server given with --base-url, or a simulator per API started on first use
    (from --mock-root, for the planted-defect tests) and stopped by `stop`."""

    def __init__(self, options: Options) -> None:
        """Prepare the targets of a run.

        Args:
            options: The run's options.
        """
        self._options = options
        self._simulators: dict[str, RunningSimulator] = {}
        self._targets: dict[str, Target] = {}

    def get(self, api: str) -> Target:
        """The target of `api` (started, for a simulator, the first time it is asked for)."""
        if api not in self._targets:
            self._targets[api] = self._live(api) if self._options.base_url else self._simulator(api)
        return self._targets[api]

    def _live(self, api: str) -> Target:
        settings = target_settings(api)
        credentials = settings.live_credentials()
        return Target(
            api=api,
            base_url=str(self._options.base_url),
            live=True,
            allow_writes=self._options.allow_writes,
            credentials=credentials[0],
            alternative_credentials=credentials[1:],
            parameters=settings.live_parameters(),
            fuzzed_writes=settings.live_fuzzed_writes,
        )

    def _simulator(self, api: str) -> Target:
        settings = target_settings(api)
        # The simulator of --mock-root (a copy of the repository, for the planted-defect tests) runs, not this one.
        simulator = launch(
            api, *settings.mock_arguments, root=self._options.mock_root, strict=self._options.strict_mock
        )
        self._simulators[api] = simulator
        announcement = simulator.announcement
        credentials = settings.mock_credentials(announcement)
        return Target(
            api=api,
            base_url=announcement.base_url,
            live=False,
            allow_writes=True,
            credentials=credentials[0],
            alternative_credentials=credentials[1:],
            parameters=settings.mock_parameters(announcement) if settings.mock_parameters else {},
            announcement=announcement,
        )

    def stop(self) -> None:
        """Stop every simulator the run started."""
        for simulator in self._simulators.values():
            simulator.stop()
        self._simulators.clear()
