"""The `slurper` subcommand: `python -m mock_server slurper [options]`.

Credentials come from the options, else from MOCK_SLURPER_TOKEN, MOCK_SLURPER_EMAIL and MOCK_SLURPER_KEY, else from
the fixed defaults in `mock_server.slurper.auth`. They are mock credentials and are printed in the start-up line.
"""

import argparse
import os
from typing import Any

from mock_server import serving
from mock_server.slurper.app import create_app, slurper_document
from mock_server.slurper.auth import DEFAULT_EMAIL, DEFAULT_KEY, DEFAULT_TOKEN, Credentials
from mock_server.slurper.jobs import DEFAULT_MAX_CONCURRENT_JOBS
from mock_server.slurper.settings import SlurperSettings

API = "slurper"
DEFAULT_PORT = 8787


def register(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `slurper` subcommand.

    Args:
        subcommands: The subparsers of `python -m mock_server`.
    """
    parser = subcommands.add_parser(
        API,
        help="the Cloudflare R2 Super Slurper API (openapi/slurper.yaml)",
        description="Serve a stateful simulator of the Cloudflare R2 Super Slurper API under /client/v4.",
    )
    serving.add_server_arguments(parser, default_port=DEFAULT_PORT)
    parser.add_argument("--token", help="the accepted API token (env MOCK_SLURPER_TOKEN)")
    parser.add_argument("--email", help="the accepted X-Auth-Email (env MOCK_SLURPER_EMAIL)")
    parser.add_argument("--key", help="the accepted X-Auth-Key (env MOCK_SLURPER_KEY)")
    parser.add_argument(
        "--max-concurrent-jobs",
        type=_positive_int,
        default=DEFAULT_MAX_CONCURRENT_JOBS,
        help="how many running or paused jobs an account may have (default: %(default)s)",
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
    credentials = Credentials(
        token=args.token or os.environ.get("MOCK_SLURPER_TOKEN") or DEFAULT_TOKEN,
        email=args.email or os.environ.get("MOCK_SLURPER_EMAIL") or DEFAULT_EMAIL,
        key=args.key or os.environ.get("MOCK_SLURPER_KEY") or DEFAULT_KEY,
    )
    settings = SlurperSettings(
        credentials=credentials,
        max_concurrent_jobs=args.max_concurrent_jobs,
        strict=args.strict,
        faults=serving.fault_settings(args),
    )
    app = create_app(settings)
    demo_jobs: dict[str, list[str]] = app.state.demo_jobs

    def announcement(origin: str) -> dict[str, Any]:
        return {
            "api": API,
            "base_url": origin + slurper_document().base_path,
            "credentials": {"token": credentials.token, "email": credentials.email, "key": credentials.key},
            "accounts": list(demo_jobs),
            "jobs": demo_jobs,
            "max_concurrent_jobs": settings.max_concurrent_jobs,
            "strict": settings.strict,
            "faults": settings.faults.describe(),
        }

    return serving.serve(app, host=args.host, port=args.port, announcement=announcement)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
