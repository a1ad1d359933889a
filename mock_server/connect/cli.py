"""Connect's subcommand, `python -m mock_server connect [options]`: its `PROFILE`.

Keys come from the options, else from MOCK_CONNECT_OWNER_KEY, MOCK_CONNECT_COLLABORATOR_KEY, MOCK_CONNECT_VIEWER_KEY
and MOCK_CONNECT_ADMINISTRATOR_KEY, else from the fixed defaults in `mock_server.connect.auth`. They are mock keys and
are printed in the start-up line, one identity per role (the owner's first, the viewer's with role "viewer"); the
tenants are the seeded content items with their job keys, and `details` has the jobs' `timing`.
"""

import argparse

from starlette.applications import Starlette

from mock_server.announcement import Identity, Tenant
from mock_server.cli import option_or_environment, positive_float, positive_int
from mock_server.connect.app import ConnectApi, create_app
from mock_server.connect.auth import DEFAULT_KEYS, ApiKeys, Role
from mock_server.connect.jobs import Timing
from mock_server.connect.settings import ConnectSettings
from mock_server.profile import Introduction, Profile

_DEFAULT_TIMING = Timing()
# The options that set how fast jobs live, by `Timing` field: what each takes, and what it sets.
_TIMING_OPTIONS = {
    "line_interval": (positive_float, "seconds between two log lines of a running job"),
    "job_lines": (
        positive_int,
        "log lines a job started by the simulator writes; then it exits, except an app's process, which stays up "
        "until killed",
    ),
    "finalize_delay": (positive_float, "seconds from a job's exit until it is finalized and its tail closes"),
}


class ConnectProfile(Profile[ConnectSettings]):
    """Connect's simulator on the command line."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        for role in Role:
            parser.add_argument(
                f"--{role.value}-key",
                dest=f"{role.value}_key",
                help=f"the accepted API key of the {role.value} (env MOCK_CONNECT_{role.value.upper()}_KEY)",
            )
        for field, (kind, meaning) in _TIMING_OPTIONS.items():
            option, default = "--" + field.replace("_", "-"), getattr(_DEFAULT_TIMING, field)
            parser.add_argument(option, type=kind, default=default, help=f"{meaning} (default: %(default)s)")

    def settings(self, args: argparse.Namespace) -> ConnectSettings:
        keys = {
            role: option_or_environment(
                getattr(args, f"{role.value}_key"), f"MOCK_CONNECT_{role.value.upper()}_KEY", key
            )
            for role, key in DEFAULT_KEYS.items()
        }
        timing = Timing(**{field: getattr(args, field) for field in _TIMING_OPTIONS})
        return ConnectSettings(keys=ApiKeys(keys), timing=timing)

    def introduce(self, app: Starlette, settings: ConnectSettings, origin: str) -> Introduction:
        demo_jobs: dict[str, list[str]] = app.state.demo_jobs
        return Introduction(
            credentials=tuple(
                Identity(role.value, {"Authorization": f"Key {settings.keys.by_role[role]}"}, role=role.value)
                for role in Role
            ),
            tenants=tuple(Tenant(guid, tuple(keys)) for guid, keys in demo_jobs.items()),
            details={"timing": {field: getattr(settings.timing, field) for field in _TIMING_OPTIONS}},
        )


PROFILE = ConnectProfile(
    ConnectApi,
    create_app,
    default_port=3939,
    description="Serve a stateful simulator of the Posit Connect content jobs API under /__api__.",
)
