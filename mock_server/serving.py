"""Serve a simulator with uvicorn: listen, announce, and stop cleanly.

uvicorn runs on uvloop with the httptools parser. The socket is bound before uvicorn starts, so `--port 0` gets a
free port that can be reported. Once uvicorn is listening, exactly one JSON line is printed on stdout (and flushed)
for scripts and CI to parse (`mock_server.announcement`; `mock_server.launcher` reads it). SIGINT and SIGTERM stop
the server gracefully and the process exits 0. uvicorn logs at warning level only, with no access log, so
nothing a client sends (credentials included) is written out.
"""

import asyncio
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

import uvicorn
import uvloop
from starlette.types import ASGIApp

from mock_server.announcement import Announcement


def serve(app: ASGIApp, *, host: str, port: int, announcement: Callable[[str], Announcement]) -> int:
    """Serve an app until SIGINT or SIGTERM.

    Args:
        app: The ASGI app.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        announcement: Tells the start-up line from the server's origin (e.g. "http://127.0.0.1:8787").

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
    line = announcement(f"http://{url_host}:{bound_port}").to_json()
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
