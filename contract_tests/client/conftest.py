"""What every client test shares: responses held to the document before the client sees them, a way to run one
endpoint function in each of its four forms (sync, sync_detailed, asyncio, asyncio_detailed), and a clock for the
retries of every package in the registry: the waits between attempts are recorded instead of slept, so that a test of
a 503 does not take seconds and a test of `Retry-After` can see the wait asked for. Also what the tests against
simulators that inject faults share: a simulator started with fault options, and a client of it."""

import asyncio
import importlib
import json
import signal
import typing
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import attrs
import httpx
import pytest

from contract_tests.client.runtime.calls import ApiClient
from contract_tests.documents import encode_body, json_sequence_media_type, response_problems
from generator.registry import load_apis
from mock_server.announcement import Announcement
from mock_server.launcher import launch

MODES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
RETRIES = [importlib.import_module(f"generated_client.{api.package}.retries") for api in load_apis().values()]
# A wait helper's polling, fast: the tests answer at once.
FAST = {"interval": 0.001, "max_interval": 0.002}


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds every retry of this test waited, in order; nothing is actually slept."""
    recorded: list[float] = []

    def pause(seconds: float) -> None:
        recorded.append(seconds)

    async def apause(seconds: float) -> None:
        recorded.append(seconds)

    for module in RETRIES:
        monkeypatch.setattr(module, "pause", pause)
        monkeypatch.setattr(module, "apause", apause)
    return recorded


@pytest.fixture
def router(request: pytest.FixtureRequest) -> Iterator[Any]:
    """respx in place of the server of the test module's `OPERATIONS` (contract_tests/client/operations.py): every
    route must be called, and every request routed."""
    with request.module.OPERATIONS.mocked() as mocked:
        yield mocked


@pytest.fixture
def client(request: pytest.FixtureRequest) -> Any:
    """A client of the server of the test module's `OPERATIONS`, authenticated as its API wants."""
    return request.module.OPERATIONS.client()


def contract_response(
    api: str,
    operation_id: str,
    status: int,
    body: Any,
    headers: dict[str, str] | None = None,
    media_type: str = "application/json",
) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect answering `status` with `body` in `media_type`, after checking both against the document.

    A fixture that drifts from openapi/<api>.yaml fails here, before the client under test sees it. `body` is what
    the document's schema describes (the list of values for a sequence of JSON values, sent one per line); None
    sends no body at all.
    """
    problems = response_problems(api, operation_id, status, media_type, body)
    assert problems == [], f"the mocked response breaks the document: {problems}"
    sequence = json_sequence_media_type(api, operation_id, status) is not None

    def respond(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status, headers=headers)
        if media_type == "application/json" and not sequence:
            return httpx.Response(status, json=body, headers=headers)
        content = encode_body(media_type, body, sequence=sequence)
        return httpx.Response(status, content=content, headers={"Content-Type": media_type, **(headers or {})})

    return respond


def off_contract_response(status: int, content: bytes, content_type: str) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect for what the document does not promise: a 520, a proxy's HTML page, truncated JSON."""

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"Content-Type": content_type})

    return respond


def call(module: ModuleType, mode: str, *args: Any, **kwargs: Any) -> Any:
    """Run one of `module`'s four endpoint functions and return what it returns."""
    function = getattr(module, mode)
    if mode.startswith("asyncio"):
        return asyncio.run(function(*args, **kwargs))
    return function(*args, **kwargs)


def parsed_of(result: Any, mode: str) -> Any:
    """The parsed model, whichever form was called."""
    return result.parsed if mode.endswith("_detailed") else result


def sent_json(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def answers_in_turn(side_effects: list[Any]) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect that gives each answer in turn, then the last one again and again; an exception is
    raised, a callable is called with the request."""
    remaining = list(side_effects)

    def next_answer(request: httpx.Request) -> httpx.Response:
        effect = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        if isinstance(effect, Exception):
            raise effect
        return effect(request) if callable(effect) else effect

    return next_answer


def unset_able(model: type, attribute: str, unset: type) -> bool:
    """Whether a generated model types the attribute `Unset`-able, with UNSET as its default."""
    hint = typing.get_type_hints(model)[attribute]
    default = attrs.fields_dict(model)[attribute].default
    return unset in typing.get_args(hint) and isinstance(default, unset)


# Against simulators that inject faults (mock_server/faults.py).

ALL_KINDS = "429,503,520,drop,stall"
# Seeded: the same requests fail the same way on every run, so the test is as repeatable as the client's requests.
SEED = "7"
# Long enough that a client waiting it out would see the stall's 503, far longer than any client timeout here.
STALL = "30"
# The clients' timeouts: a stalled answer is given up on after this (and retried).
TIMEOUT = httpx.Timeout(0.5, connect=0.5)
# Enough retries that a 30% fault rate never exhausts them on this seed's sequence.
PATIENT = {"max_retries": 8}


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Iterator[Announcement]:
    """A simulator started with the fault options of `request.param`: (api, rate, kinds[, extra arguments])."""
    api, rate, kinds, *extra = request.param
    arguments = ("--fault-rate", rate, "--fault-kinds", kinds, "--fault-seed", SEED, "--stall-seconds", STALL)
    mock = launch(api, *arguments, *(extra[0] if extra else ()), strict=True)
    try:
        yield mock.announcement
    finally:
        # At once: a stalled request would hold a graceful shutdown for the whole stall.
        mock.stop(signal.SIGKILL)


@pytest.fixture
def opened() -> Iterator[Callable[[Any], Any]]:
    """Keeps the clients a test makes, and closes their connections at its end."""
    clients: list[Any] = []

    def keep(client: Any) -> Any:
        clients.append(client)
        return client

    yield keep
    for client in clients:
        client.get_httpx_client().close()


def faulty_client(api: ApiClient, announcement: Announcement, **retry: Any) -> Any:
    """A client of a simulator that injects faults: short timeouts, the retry policy `retry` asks for, and errors
    raised."""
    return api.simulator_client(
        announcement, timeout=TIMEOUT, retry=api.package.RetryPolicy(**retry), raise_on_error=True
    )


def assert_kept_raw(result: Any, mode: str, status: int, content: bytes, response_type: type) -> None:
    """What an endpoint function gives for an answer the document does not promise: in the detailed forms its status and
    raw body, nothing parsed (`response_type` is the package's `Response`); in the plain forms, None."""
    if mode.endswith("_detailed"):
        assert isinstance(result, response_type)
        assert result.status_code == status
        assert result.content == content
        assert result.parsed is None
    else:
        assert result is None
