"""Every simulator of the registry side by side, for the tests that hold all of them to the same property (faults,
hostile input, tenancy, load): how to build each with given fault settings, how to authenticate, one request per
operation that succeeds, what only a write can change, and what its error body looks like. Each API's part is its
`SIMULATOR` in mock_server/tests/<api>/simulator.py, beside its own tests; its document and error schema come from
its simulator's `PROFILE`. Also: any app served on a real socket, for what in-process transport cannot show.
"""

import importlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette

from mock_server.faults import FaultSettings
from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.openapi import OpenAPIDocument
from mock_server.profile import Profile, profiles

STARTUP_SECONDS = 10.0
# Where an in-process client sends its requests.
ORIGIN = "http://testserver"


@dataclass(frozen=True)
class Call:
    """One request: method, path under the server root (query included), and a JSON body or None."""

    method: str
    path: str
    json: Any = None

    def send(self, client: httpx.AsyncClient, **kwargs: Any) -> "Awaitable[httpx.Response]":
        """Send it with a client (more `httpx` arguments, e.g. headers, may be given)."""
        if self.json is not None:
            kwargs.setdefault("json", self.json)
        return client.request(self.method, self.path, **kwargs)


@dataclass(frozen=True)
class Simulator:
    """One API's simulator, as the cross-API tests see it.

    Attributes:
        profile: The simulator's `PROFILE`: its name, its document, the schema of its error bodies.
        build: Builds an app with the given fault settings (demo data in, strict response validation on).
        authorization: The headers that present a credential the way the API takes it.
        credential: A credential that works.
        probe: Given an app, the path (under the server root) of a GET that succeeds on its demo data.
        calls: Given an app, one request per operation of the document that succeeds on its demo data, by
            operationId.
        listing: The operation (one of `calls`) that lists the jobs.
        summary: What only a write can change, read from the listing's body (a running job moves on by itself, so
            that is left out).
        body_limit: The largest request body the simulator reads.
    """

    profile: Profile[Any]
    build: Callable[[FaultSettings], Starlette]
    authorization: Callable[[str], dict[str, str]]
    credential: str
    probe: Callable[[Starlette], str]
    calls: Callable[[Starlette], dict[str, "Call"]]
    listing: str
    summary: Callable[[Any], list[Any]]
    body_limit: int = DEFAULT_MAX_BODY_BYTES

    @property
    def api(self) -> str:
        """The API's name."""
        return self.profile.name

    @property
    def document(self) -> OpenAPIDocument:
        """The compiled document."""
        return self.profile.document()

    @property
    def error_schema(self) -> str:
        """A JSON pointer to the schema of its error bodies."""
        return self.profile.api.error_schema

    @property
    def headers(self) -> dict[str, str]:
        """Credentials that work."""
        return self.authorization(self.credential)

    def client(self, app: Starlette, **kwargs: Any) -> httpx.AsyncClient:
        """An in-process client of an app of this simulator whose paths are the document's (under its base path),
        with credentials that work unless `headers` says otherwise."""
        kwargs.setdefault("headers", self.headers)
        return in_process(app, base_url=ORIGIN + self.document.base_path, **kwargs)

    def origin_path(self, path: str) -> str:
        """A path of the API (as the document writes it) under the server root."""
        return self.document.base_path + path

    def error_problems(self, response: httpx.Response) -> list[str]:
        """What is wrong with a response that should be the API's own error body (empty when nothing is)."""
        if not response.headers.get("content-type", "").startswith("application/json"):
            return [f"Content-Type {response.headers.get('content-type')!r} is not JSON: {response.text[:200]}"]
        return self.document.schema_problems(self.error_schema, response.json())

    async def snapshot(self, app: Starlette, client: httpx.AsyncClient) -> list[Any]:
        """Which jobs there are, and what only a write can do to each (`summary`)."""
        response = await self.calls(app)[self.listing].send(client)
        assert response.status_code == 200, response.text
        return self.summary(response.json())


@cache
def simulators() -> dict[str, Simulator]:
    """Every simulator of the registry, by name, in the registry's order.

    Raises:
        TypeError: An API's tests describe another API's simulator.
    """
    found: dict[str, Simulator] = {}
    for api, profile in profiles():
        simulator = importlib.import_module(f"mock_server.tests.{api.name}.simulator").SIMULATOR
        if not isinstance(simulator, Simulator) or simulator.profile is not profile:
            raise TypeError(f"mock_server/tests/{api.name}/simulator.py must describe {api.name}, not {simulator!r}")
        found[api.name] = simulator
    return found


def in_process(app: Starlette, base_url: str = ORIGIN, **kwargs: Any) -> httpx.AsyncClient:
    """An async client that calls the app in-process (whole responses only; no timeouts, no connection)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, **kwargs)


def json_error(response: httpx.Response, status: int) -> Any:
    """Check a response is a JSON error of `status`, and give its body, for the API's own checks of its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    """Serve an app with uvicorn on a free loopback port in a thread, as `python -m mock_server` does.

    Yields:
        Its origin, e.g. "http://127.0.0.1:41234".
    """
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    sock = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)
        sock.close()


SIMULATORS = tuple(simulators().values())
SIMULATOR_IDS = list(simulators())
