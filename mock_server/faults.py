"""Fault injection: a simulator that, on request, fails a given fraction of requests the way real networks do.

With `FaultSettings(rate=0.2)` one request in five (drawn from a generator seeded by `seed`, so a run is repeatable)
gets, instead of its answer, one of the `kinds`, chosen at random:

- `429`: Too Many Requests, with `Retry-After: <retry_after>` (seconds), in the API's own error shape;
- `503`: Service Unavailable, in the API's own error shape;
- `520`: the HTML page a Cloudflare edge sends when the origin answered something it could not use (not JSON);
- `drop`: the connection is closed without a byte of response;
- `stall`: nothing is sent for `stall_seconds`, then a 503 in the API's error shape.

A fault is decided before the request reaches the simulator, so a faulted request is never routed, authenticated or
run: it changes no state, whatever its kind. Every injected response carries `X-Simulator-Fault: <kind>` (a dropped
connection carries nothing), and `FaultInjector.injected` counts them by kind.

Dropping a connection needs the server's transport. Under uvicorn (pinned in pyproject.toml) it is the transport of
the request-response cycle whose `send` the app is handed; it is aborted, and the client sees the connection closed.
In-process (httpx.ASGITransport) there is no connection, so the app raises `httpx.RemoteProtocolError`, what an httpx
client raises when a server drops the connection.
"""

import asyncio
import enum
import random
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

FAULT_HEADER = "X-Simulator-Fault"
_DISCONNECT_TURNS = 100
# What a Cloudflare edge sends for "520: Web server is returning an unknown error" (a short version of its page).
ORIGIN_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>520: Web server is returning an unknown error</title></head>"
    "<body><h1>Web server is returning an unknown error</h1><p>Error code 520</p></body></html>\n"
)

ErrorRenderer = Callable[[int, str], Response]
"""Builds a response in the API's own error shape from an HTTP status and a message."""


class FaultKind(enum.StrEnum):
    """A kind of fault, as named on the command line (`--fault-kinds 429,503,520,drop,stall`)."""

    TOO_MANY_REQUESTS = "429"
    SERVICE_UNAVAILABLE = "503"
    ORIGIN_ERROR = "520"
    DROP = "drop"
    STALL = "stall"


@dataclass(frozen=True)
class FaultSettings:
    """Which faults a simulator injects, and how often.

    Attributes:
        rate: The fraction of requests that get a fault, 0 (none, the default) to 1 (every one).
        kinds: The kinds to choose from, each equally likely.
        seed: Seeds the choice of which requests fail and how.
        stall_seconds: How long a stalled request waits before its 503.
        retry_after: The `Retry-After` of a 429, in whole seconds.
    """

    rate: float = 0.0
    kinds: tuple[FaultKind, ...] = tuple(FaultKind)
    seed: int = 0
    stall_seconds: float = 5.0
    retry_after: int = 1

    def __post_init__(self) -> None:
        """Check the values make sense.

        Raises:
            ValueError: The rate is outside 0..1, there are no kinds, or a duration is negative.
        """
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"the fault rate must be between 0 and 1, not {self.rate}")
        if not self.kinds:
            raise ValueError("at least one fault kind is needed")
        if self.stall_seconds < 0 or self.retry_after < 0:
            raise ValueError("stall_seconds and retry_after must not be negative")

    def describe(self) -> dict[str, Any]:
        """The settings for the start-up line.

        Returns:
            rate, kinds, seed, stall_seconds and retry_after.
        """
        return {
            "rate": self.rate,
            "kinds": [kind.value for kind in self.kinds],
            "seed": self.seed,
            "stall_seconds": self.stall_seconds,
            "retry_after": self.retry_after,
        }


def parse_kinds(text: str) -> tuple[FaultKind, ...]:
    """Read a comma-separated list of fault kinds.

    Args:
        text: E.g. "429,503,drop".

    Returns:
        The kinds, in the order given, each once.

    Raises:
        ValueError: A name is not a fault kind.
    """
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FaultKind.__members__.values()]
    if unknown:
        raise ValueError(f"unknown fault kinds {unknown}; choose from {[kind.value for kind in FaultKind]}")
    return tuple(dict.fromkeys(FaultKind(name) for name in names))


class FaultInjector:
    """Decides which requests fail and counts what it injected; one per app."""

    def __init__(self, settings: FaultSettings) -> None:
        """Start counting.

        Args:
            settings: Which faults, how often.
        """
        self.settings = settings
        # Repeatable faults are the point here, not unpredictable ones.
        self._random = random.Random(settings.seed)  # noqa: S311
        self.requests = 0
        self.injected: Counter[FaultKind] = Counter()

    def draw(self) -> FaultKind | None:
        """Decide the fate of one request.

        Returns:
            The fault to inject, or None for a request that goes through.
        """
        self.requests += 1
        # Both numbers are drawn every time, so which requests fail does not depend on the list of kinds.
        roll, choice = self._random.random(), self._random.randrange(len(self.settings.kinds))
        if roll >= self.settings.rate:
            return None
        kind = self.settings.kinds[choice]
        self.injected[kind] += 1
        return kind


class FaultInjection:
    """ASGI middleware: the outermost layer of a simulator, where `FaultInjector` decides each request's fate."""

    def __init__(
        self,
        app: ASGIApp,
        injector: FaultInjector,
        render_error: ErrorRenderer,
        *,
        exempt_paths: Collection[str] = (),
    ) -> None:
        """Wrap an app.

        Args:
            app: The simulator.
            injector: Decides and counts.
            render_error: Builds the API's error responses (429, 503).
            exempt_paths: Paths that never fail (the simulator's own set-up endpoints).
        """
        self._app = app
        self._injector = injector
        self._render_error = render_error
        self._exempt_paths = frozenset(exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._exempt_paths or self._injector.settings.rate == 0:
            await self._app(scope, receive, send)
            return
        kind = self._injector.draw()
        if kind is None:
            await self._app(scope, receive, send)
            return
        if kind is FaultKind.DROP:
            await drop_connection(send)
            return
        response = await self._fault_response(kind)
        response.headers[FAULT_HEADER] = kind.value
        await response(scope, receive, send)

    async def _fault_response(self, kind: FaultKind) -> Response:
        settings = self._injector.settings
        if kind is FaultKind.TOO_MANY_REQUESTS:
            response = self._render_error(429, f"Too many requests: retry after {settings.retry_after} s")
            response.headers["Retry-After"] = str(settings.retry_after)
            return response
        if kind is FaultKind.ORIGIN_ERROR:
            return Response(ORIGIN_ERROR_PAGE, 520, media_type="text/html")
        if kind is FaultKind.STALL:
            await asyncio.sleep(settings.stall_seconds)
        return self._render_error(503, "Service unavailable: try again later")


async def drop_connection(send: Send) -> None:
    """Close the request's connection without a response.

    Args:
        send: The ASGI send callable the server handed the app.

    Raises:
        httpx.RemoteProtocolError: There is no connection to close (the app runs in-process).
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    transport.abort()
    # uvicorn learns of the closed connection on the loop's next turn; until then, an app that returns without a
    # response would make it log an error and try to send a 500.
    for _ in range(_DISCONNECT_TURNS):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0)
