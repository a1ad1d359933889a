"""Serve a simulator with uvicorn: listen, announce, and stop cleanly.

uvicorn runs on uvloop with the httptools parser. The socket is bound before uvicorn starts, so `--port 0` gets a
free port that can be reported. Once uvicorn is listening, exactly one JSON line is printed on stdout (and flushed)
for scripts and CI to parse. SIGINT and SIGTERM
stop the server gracefully and the process exits 0. uvicorn logs at warning level only, with no access log, so
nothing a client sends (credentials included) is written out.
"""

import argparse
import asyncio
import json
import signal
import socket
import sys
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

import uvicorn
import uvloop
from starlette.types import ASGIApp

from mock_server.faults import FaultKind, FaultSettings, parse_kinds

Announcement = Callable[[str], Mapping[str, Any]]


def add_server_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    """Add the options every simulator has: --host, --port and fault injection (--fault-rate, --fault-kinds,
    --fault-seed, --stall-seconds, --retry-after; read them with `fault_settings`).

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
    faults = parser.add_argument_group("fault injection (mock_server.faults)")
    faults.add_argument(
        "--fault-rate",
        type=_fraction,
        default=0.0,
        help="the fraction of requests that get a fault instead of an answer, 0 to 1 (default: %(default)s)",
    )
    faults.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=tuple(FaultKind),
        help=f"comma-separated, from {','.join(FaultKind)} (default: all)",
    )
    faults.add_argument("--fault-seed", type=int, default=0, help="seeds which requests fail (default: %(default)s)")
    faults.add_argument(
        "--stall-seconds",
        type=_non_negative,
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
    """The fault injection the command line asks for.

    Args:
        args: The parsed command line of a simulator (see `add_server_arguments`).

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


def serve(app: ASGIApp, *, host: str, port: int, announcement: Announcement) -> int:
    """Serve an app until SIGINT or SIGTERM.

    Args:
        app: The ASGI app.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        announcement: Builds the start-up line from the server's origin (e.g. "http://127.0.0.1:8787").

    Returns:
        The process exit code: 0 after a signal, 1 when the address cannot be bound.
    """
    try:
        sock = _bind(host, port)
    except OSError as error:
        print(f"mock_server: cannot listen on {host}:{port}: {error}", file=sys.stderr)
        return 1
    bound_port = sock.getsockname()[1]
    url_host = f"[{host}]" if ":" in host else host
    line = json.dumps(dict(announcement(f"http://{url_host}:{bound_port}")))
    config = uvicorn.Config(app, http="httptools", log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    # uvicorn installs its own handlers while it serves and, once stopped, re-raises the signal it caught into the
    # handlers that were there before; these make that a no-op instead of a kill, so the process exits 0.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    # uvloop and httptools (uvicorn's fast event loop and HTTP parser) roughly double what one process serves.
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(_serve(server, sock, line))
    return 0


async def _serve(server: uvicorn.Server, sock: socket.socket, line: str) -> None:
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(line, flush=True)
    await serving


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text}")
    return value


def _kinds(text: str) -> tuple[FaultKind, ...]:
    try:
        kinds = parse_kinds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not kinds:
        raise argparse.ArgumentTypeError("name at least one fault kind")
    return kinds


def _bind(host: str, port: int) -> socket.socket:
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock
