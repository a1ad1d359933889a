"""The command line every simulator shares: `python -m mock_server API [--host H] [--port P] [--strict] [fault
injection] [the API's own options]`.

Each API is a subcommand made from its `Profile` (`mock_server.profile`). The options every simulator has are
added here, once: --host and --port (0 picks a free port, which the start-up line reports), --strict, and fault
injection (--fault-rate, --fault-kinds, --fault-seed, --stall-seconds, --retry-after; `mock_server.faults`). `run`
builds the app, serves it (`mock_server.serving`) and prints the start-up line, `mock_server.announcement`.
"""

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterable
from typing import Any

from generator import registry
from mock_server.announcement import Announcement
from mock_server.faults import FaultKind, FaultSettings, parse_kinds
from mock_server.profile import Profile
from mock_server.serving import serve


def parser(simulators: Iterable[tuple[registry.Api, Profile[Any]]]) -> argparse.ArgumentParser:
    """The command line of `python -m mock_server`: one subcommand per API.

    Args:
        simulators: Each API's entry in the registry and its simulator's profile (`mock_server.profile.profiles`).

    Returns:
        The parser; the parsed arguments' `profile` is the chosen API's.
    """
    main = argparse.ArgumentParser(
        prog="python -m mock_server", description="Serve a stateful simulator of one of the project's APIs."
    )
    subcommands = main.add_subparsers(title="APIs", metavar="API", required=True)
    for api, profile in simulators:
        summary = f"the {api.title} API ({api.label})"
        subcommand = subcommands.add_parser(api.name, help=summary, description=profile.description)
        add_shared_arguments(subcommand, default_port=profile.default_port)
        profile.add_arguments(subcommand)
        subcommand.set_defaults(profile=profile)
    return main


def add_shared_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    """Add the options every simulator has (read the fault injection with `fault_settings`).

    Args:
        parser: The simulator's subcommand parser.
        default_port: The port to use when --port is not given.
    """
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port",
        type=int,
        default=default_port,
        help="the port to listen on; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="validate every response against the document (a violation is a 500)"
    )
    faults = parser.add_argument_group("fault injection (mock_server.faults)")
    faults.add_argument(
        "--fault-rate",
        type=fraction,
        default=0.0,
        help="the fraction of requests that get a fault instead of an answer, 0 to 1 (default: %(default)s)",
    )
    faults.add_argument(
        "--fault-kinds",
        type=fault_kinds,
        default=tuple(FaultKind),
        help=f"comma-separated, from {','.join(FaultKind)} (default: all)",
    )
    faults.add_argument("--fault-seed", type=int, default=0, help="seeds which requests fail (default: %(default)s)")
    faults.add_argument(
        "--stall-seconds",
        type=non_negative_float,
        default=FaultSettings.stall_seconds,
        help="how long a stalled request waits before its 503 (default: %(default)s)",
    )
    faults.add_argument(
        "--retry-after",
        type=int,
        default=FaultSettings.retry_after,
        help="the Retry-After of an injected 429, in seconds (default: %(default)s)",
    )


def fault_settings(args: argparse.Namespace) -> FaultSettings:
    """The fault injection a parsed command line asks for.

    Args:
        args: The parsed command line of a simulator (see `add_shared_arguments`).

    Returns:
        The settings.
    """
    return FaultSettings(
        rate=args.fault_rate,
        kinds=args.fault_kinds,
        seed=args.fault_seed,
        stall_seconds=args.stall_seconds,
        retry_after=args.retry_after,
    )


def run(profile: Profile[Any], args: argparse.Namespace) -> int:
    """Serve a simulator until stopped, announcing it once it listens.

    Args:
        profile: The simulator's profile.
        args: The parsed command line.

    Returns:
        The process exit code: 0 after a signal, 1 when the address cannot be bound, 2 for options the simulator
        refuses.
    """
    try:
        settings = dataclasses.replace(profile.settings(args), strict=args.strict, faults=fault_settings(args))
        app = profile.create_app(settings)
    except ValueError as error:
        print(f"mock_server {profile.name}: {error}", file=sys.stderr)
        return 2

    def announcement(origin: str) -> Announcement:
        introduction = profile.introduce(app, settings, origin)
        return Announcement(
            api=profile.name,
            base_url=origin + profile.document().base_path,
            credentials=introduction.credentials,
            tenants=introduction.tenants,
            strict=settings.strict,
            faults=settings.faults.describe(),
            details=introduction.details,
        )

    return serve(app, host=args.host, port=args.port, announcement=announcement)


def option_or_environment(option: str | None, variable: str, default: str) -> str:
    """A setting given on the command line, else in the environment, else the default (blank counts as not given).

    Args:
        option: The option's value, None when not given.
        variable: The environment variable.
        default: The default.

    Returns:
        The setting.
    """
    return option or os.environ.get(variable) or default


def positive_int(text: str) -> int:
    """An option that is a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    """An option that is a number greater than 0."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, not {text}")
    return value


def non_negative_float(text: str) -> float:
    """An option that is a number of at least 0."""
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text}")
    return value


def fraction(text: str) -> float:
    """An option that is a number from 0 to 1."""
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def fault_kinds(text: str) -> tuple[FaultKind, ...]:
    """An option that lists fault kinds, comma-separated (at least one)."""
    try:
        kinds = parse_kinds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not kinds:
        raise argparse.ArgumentTypeError("name at least one fault kind")
    return kinds
