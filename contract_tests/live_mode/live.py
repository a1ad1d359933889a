"""What the live-mode tests hold every API's suite to, and how they see each API: its `LIVE` (a `LiveApi`) in
`contract_tests/live_mode/<api>.py`, one module for every API of the registry that has a conformance suite
(`live_apis`). The "live" server is the API's simulator in this process, behind a middleware that records every
request it receives (`RequestLog`)."""

import importlib
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from contract_tests.suite_process import run_conformance_suite
from generator.registry import load_apis

# Where the suite writes what it found: none of them may hold the credential it was given.
REPORTS = ("conformance-summary.md", "conformance.html", "conformance.json")


class Request(NamedTuple):
    """One HTTP request the server received."""

    method: str
    path: str
    query: str
    authorization: str | None


class RequestLog:
    """ASGI middleware: remembers every HTTP request (`Request`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[Request] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            authorization = dict(scope["headers"]).get(b"authorization")
            self.requests.append(
                Request(
                    scope["method"],
                    scope["path"],
                    scope["query_string"].decode("latin-1"),
                    authorization.decode("latin-1") if authorization is not None else None,
                )
            )
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class LiveApi:
    """One API's live mode, as its tests see it.

    Attributes:
        name: The API (its suite's `--api`).
        app: Builds the "live" server: a strict simulator with its demo data.
        environment: What the suite is given to reach the live server (its credential, the resource it may touch);
            every other variable of the suite's (those that begin as these do, up to their first "_") is left out of
            its environment.
        secret: The credential it is given, which no report may hold.
        authorizations: The Authorization headers a read-only run may send (it sends one, and nothing else).
        scope: What every path of a read-only run matches (`re.search`): the resource it was given.
        write_methods: The methods a run with --allow-writes sends (among others).
        reported: Tests a read-only run's summary names all the same (those it does not run).
        written: Whether the server's state shows a write (None: the tests do not look).
        delete: The one DELETE (path, query) a run with --allow-writes may send to that path, when the API's writes
            must touch only the resource given (None: not held to one).
        unreached: A path prefix no request may go to (the simulator's own endpoints), or None.
    """

    name: str
    app: Callable[[], Starlette]
    environment: Mapping[str, str]
    secret: str
    authorizations: frozenset[str]
    scope: re.Pattern[str]
    write_methods: frozenset[str]
    reported: tuple[str, ...] = ()
    written: Callable[[Starlette], bool] | None = None
    delete: tuple[str, str] | None = None
    unreached: str | None = None

    def run_suite(self, origin: str, reports: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        """Run the API's conformance suite against the server at `origin` (under its document's base path), with few
        examples."""
        prefixes = tuple({variable.split("_")[0] + "_" for variable in self.environment})
        env = {name: value for name, value in os.environ.items() if not name.startswith(prefixes)} | self.environment
        base_path = load_apis()[self.name].part("simulator").PROFILE.document().base_path
        url = origin + base_path
        return run_conformance_suite(self.name, reports, "--base-url", url, "--max-examples", "3", *extra, env=env)


@cache
def live_apis() -> tuple[LiveApi, ...]:
    """Every API of the registry that has a conformance suite, with its `LIVE`, in the registry's order.

    Raises:
        ModuleNotFoundError: An API's suite has no live-mode module.
        TypeError: A live-mode module exports something else as its `LIVE`, or another API's.
    """
    return tuple(_live(api.name) for api in load_apis().values() if api.suite)


def _live(api: str) -> LiveApi:
    live = getattr(importlib.import_module(f"contract_tests.live_mode.{api}"), "LIVE", None)
    if not isinstance(live, LiveApi) or live.name != api:
        raise TypeError(f"contract_tests/live_mode/{api}.py must export the LIVE of {api}, not {live!r}")
    return live
