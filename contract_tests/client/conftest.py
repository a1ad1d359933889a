"""What every client test shares: responses held to the document before the client sees them, a way to run one
endpoint function in each of its four forms (sync, sync_detailed, asyncio, asyncio_detailed), and a clock for the
retries: the waits between attempts are recorded instead of slept, so that a test of a 503 does not take seconds
and a test of `Retry-After` can see the wait asked for."""

import asyncio
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from contract_tests.documents import encode_body, json_sequence_media_type, response_problems
from generated_client.connect import retries as connect_retries
from generated_client.rekosearch import retries as rekosearch_retries
from generated_client.slurper import retries as slurper_retries

MODES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds every retry of this test waited, in order; nothing is actually slept."""
    recorded: list[float] = []

    def pause(seconds: float) -> None:
        recorded.append(seconds)

    async def apause(seconds: float) -> None:
        recorded.append(seconds)

    for module in (slurper_retries, connect_retries, rekosearch_retries):
        monkeypatch.setattr(module, "pause", pause)
        monkeypatch.setattr(module, "apause", apause)
    return recorded


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
