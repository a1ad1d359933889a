"""The `connect` subcommand: `python -m mock_server connect [options]`.

Keys come from the options, else from MOCK_CONNECT_OWNER_KEY, MOCK_CONNECT_COLLABORATOR_KEY, MOCK_CONNECT_VIEWER_KEY
and MOCK_CONNECT_ADMINISTRATOR_KEY, else from the fixed defaults in `mock_server.connect.auth`. They are mock keys and
are printed in the start-up line, with the seeded content GUIDs and job keys.
"""

import argparse
import os
import sys
from typing import Any

from mock_server import serving
from mock_server.connect.app import connect_document, create_app
from mock_server.connect.auth import DEFAULT_KEYS, ApiKeys, Role
from mock_server.connect.jobs import Timing
from mock_server.connect.settings import ConnectSettings

API = "connect"
DEFAULT_PORT = 3939
_DEFAULT_TIMING = Timing()


def register(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `connect` subcommand.

    Args:
        subcommands: The subparsers of `python -m mock_server`.
    """
    parser = subcommands.add_parser(
        API,
        help="the Posit Connect content jobs API (openapi/connect.yaml)",
        description="Serve a stateful simulator of the Posit Connect content jobs API under /__api__.",
    )
    serving.add_server_arguments(parser, default_port=DEFAULT_PORT)
    for role in Role:
        parser.add_argument(
            f"--{role.value}-key",
            dest=f"{role.value}_key",
            help=f"the accepted API key of the {role.value} (env MOCK_CONNECT_{role.value.upper()}_KEY)",
        )
    parser.add_argument(
        "--line-interval",
        type=_positive_float,
        default=_DEFAULT_TIMING.line_interval,
        help="seconds between two log lines of a running job (default: %(default)s)",
    )
    parser.add_argument(
        "--job-lines",
        type=_positive_int,
        default=_DEFAULT_TIMING.job_lines,
        help="log lines a job started by the simulator writes; then it exits, except an app's process, which stays "
        "up until killed (default: %(default)s)",
    )
    parser.add_argument(
        "--finalize-delay",
        type=_positive_float,
        default=_DEFAULT_TIMING.finalize_delay,
        help="seconds from a job's exit until it is finalized and its tail closes (default: %(default)s)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="validate every response against the document (a violation is a 500)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve the simulator until stopped.

    Args:
        args: The parsed command line.

    Returns:
        The process exit code.
    """
    keys = {
        role: getattr(args, f"{role.value}_key") or os.environ.get(f"MOCK_CONNECT_{role.value.upper()}_KEY") or key
        for role, key in DEFAULT_KEYS.items()
    }
    try:
        api_keys = ApiKeys(keys)
    except ValueError as error:
        print(f"mock_server connect: {error}", file=sys.stderr)
        return 2
    timing = Timing(line_interval=args.line_interval, job_lines=args.job_lines, finalize_delay=args.finalize_delay)
    settings = ConnectSettings(keys=api_keys, timing=timing, strict=args.strict, faults=serving.fault_settings(args))
    app = create_app(settings)
    demo_jobs: dict[str, list[str]] = app.state.demo_jobs

    def announcement(origin: str) -> dict[str, Any]:
        return {
            "api": API,
            "base_url": origin + connect_document().base_path,
            "keys": {role.value: key for role, key in keys.items()},
            "content": list(demo_jobs),
            "jobs": demo_jobs,
            "timing": {
                "line_interval": timing.line_interval,
                "job_lines": timing.job_lines,
                "finalize_delay": timing.finalize_delay,
            },
            "strict": settings.strict,
            "faults": settings.faults.describe(),
        }

    return serving.serve(app, host=args.host, port=args.port, announcement=announcement)


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, not {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
