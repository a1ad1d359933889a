"""The three simulators side by side, for the tests that hold all of them to the same property (faults, hostile input,
tenancy, load): how to build each with given fault settings, how to authenticate, one request that succeeds, and
what its error body looks like. Also: any app served on a real socket, for what in-process transport cannot show.
"""

import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette

from mock_server.connect import ConnectSettings
from mock_server.connect import create_app as create_connect_app
from mock_server.connect.app import ConnectApi
from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.seed import SHINY_APP
from mock_server.faults import FaultSettings
from mock_server.openapi import OpenAPIDocument
from mock_server.rekosearch import RekoSearchSettings
from mock_server.rekosearch import create_app as create_rekosearch_app
from mock_server.rekosearch.app import RekoSearchApi
from mock_server.rekosearch.settings import DEFAULT_TOKEN as REKOSEARCH_TOKEN
from mock_server.slurper import SlurperSettings
from mock_server.slurper import create_app as create_slurper_app
from mock_server.slurper.app import SlurperApi
from mock_server.slurper.auth import DEFAULT_TOKEN as SLURPER_TOKEN
from mock_server.slurper.seed import DEMO_ACCOUNT_ID

STARTUP_SECONDS = 10.0


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
        api: The document's name.
        build: Builds an app with the given fault settings (demo data in, strict response validation on).
        headers: Credentials that work.
        document: The compiled document.
        error_schema: A JSON pointer to the schema of its error bodies.
        probe: Given an app, the path (under the server root) of a GET that succeeds on its demo data.
        calls: Given an app, one request per operation of the document that succeeds on its demo data, by
            operationId.
    """

    api: str
    build: Callable[[FaultSettings], Starlette]
    headers: dict[str, str]
    document: OpenAPIDocument
    error_schema: str
    probe: Callable[[Starlette], str]
    calls: Callable[[Starlette], dict[str, "Call"]]

    def origin_path(self, path: str) -> str:
        """A path of the API (as the document writes it) under the server root."""
        return self.document.base_path + path

    def error_problems(self, response: httpx.Response) -> list[str]:
        """What is wrong with a response that should be the API's own error body (empty when nothing is)."""
        if not response.headers.get("content-type", "").startswith("application/json"):
            return [f"Content-Type {response.headers.get('content-type')!r} is not JSON: {response.text[:200]}"]
        return self.document.schema_problems(self.error_schema, response.json())


def _slurper_probe(app: Starlette) -> str:
    job_id = app.state.demo_jobs[DEMO_ACCOUNT_ID][0]
    return f"/client/v4/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs/{job_id}"


def _connect_probe(app: Starlette) -> str:
    key: str = app.state.demo_jobs[SHINY_APP][0]
    return f"/__api__/v1/content/{SHINY_APP}/jobs/{key}"


def _rekosearch_probe(app: Starlette) -> str:
    return "/api/v1/jobs/get?job-id=2"


def _slurper_calls(app: Starlette) -> dict[str, Call]:
    account = f"/client/v4/accounts/{DEMO_ACCOUNT_ID}/slurper"
    completed, running = app.state.demo_jobs[DEMO_ACCOUNT_ID]
    body = {
        "source": {"vendor": "s3", "bucket": "b", "secret": {"accessKeyId": "k", "secretAccessKey": "s"}},
        "target": {"vendor": "r2", "bucket": "t", "secret": {"accessKeyId": "k", "secretAccessKey": "s"}},
    }
    # In an order in which each succeeds: abortAll last, as it leaves nothing to pause, resume or abort.
    return {
        "slurper-list-jobs": Call("GET", f"{account}/jobs"),
        "slurper-create-job": Call("POST", f"{account}/jobs", body),
        "slurper-get-job": Call("GET", f"{account}/jobs/{running}"),
        "slurper-get-job-logs": Call("GET", f"{account}/jobs/{running}/logs"),
        "slurper-get-job-progress": Call("GET", f"{account}/jobs/{running}/progress"),
        "slurper-pause-job": Call("PUT", f"{account}/jobs/{running}/pause"),
        "slurper-resume-job": Call("PUT", f"{account}/jobs/{running}/resume"),
        "slurper-abort-job": Call("PUT", f"{account}/jobs/{running}/abort"),
        "slurper-delete-job": Call("DELETE", f"{account}/jobs/{completed}"),
        "slurper-check-source-connectivity": Call("PUT", f"{account}/source/connectivity-precheck", body["source"]),
        "slurper-check-target-connectivity": Call("PUT", f"{account}/target/connectivity-precheck", body["target"]),
        "slurper-abort-all-jobs": Call("PUT", f"{account}/jobs/abortAll"),
    }


def _connect_calls(app: Starlette) -> dict[str, Call]:
    content = f"/__api__/v1/content/{SHINY_APP}"
    job = f"{content}/jobs/{app.state.demo_jobs[SHINY_APP][0]}"
    return {
        "GetJobs": Call("GET", f"{content}/jobs"),
        "GetJob": Call("GET", job),
        "KillJob": Call("DELETE", f"{content}/jobs/{app.state.demo_jobs[SHINY_APP][-1]}"),
        "JobDownloadLog": Call("GET", f"{job}/download"),
        "JobError": Call("GET", f"{job}/error"),
        "JobLogs": Call("GET", f"{job}/log"),
        "JobTailLog": Call("GET", f"{job}/tail"),
    }


def _rekosearch_calls(app: Starlette) -> dict[str, Call]:
    return {
        "jobs-get": Call("GET", "/api/v1/jobs/get?job-id=1"),
        "jobs-list": Call("GET", "/api/v1/jobs/list"),
        "jobs-get-object-url": Call("GET", "/api/v1/jobs/get-object-url?job-id=2&object-uuid=x.jpg"),
        "jobs-delete": Call("DELETE", "/api/v1/jobs/delete?job-id=3"),
    }


SLURPER = Simulator(
    api="slurper",
    build=lambda faults: create_slurper_app(SlurperSettings(strict=True, faults=faults)),
    headers={"Authorization": f"Bearer {SLURPER_TOKEN}"},
    document=SlurperApi.load_document(),
    error_schema="/components/schemas/FailureResponse",
    probe=_slurper_probe,
    calls=_slurper_calls,
)
CONNECT = Simulator(
    api="connect",
    build=lambda faults: create_connect_app(ConnectSettings(strict=True, faults=faults)),
    headers={"Authorization": f"Key {DEFAULT_KEYS[Role.OWNER]}"},
    document=ConnectApi.load_document(),
    error_schema="/components/schemas/APIError",
    probe=_connect_probe,
    calls=_connect_calls,
)
REKOSEARCH = Simulator(
    api="rekosearch",
    build=lambda faults: create_rekosearch_app(RekoSearchSettings(strict=True, faults=faults)),
    headers={"Authorization": REKOSEARCH_TOKEN},
    document=RekoSearchApi.load_document(),
    error_schema="/components/schemas/ErrorResponse",
    probe=_rekosearch_probe,
    calls=_rekosearch_calls,
)
SIMULATORS = (SLURPER, CONNECT, REKOSEARCH)
SIMULATOR_IDS = [simulator.api for simulator in SIMULATORS]


def in_process(app: Starlette, **kwargs: Any) -> httpx.AsyncClient:
    """An async client that calls the app in-process (whole responses only; no timeouts, no connection)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver", **kwargs)


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
