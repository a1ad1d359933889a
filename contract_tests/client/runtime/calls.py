"""What the cross-API runtime tests call of each API: every generated package promises the same behaviour (retries,
typed errors, secrets, tolerant reading, faults), so each such test runs against every API of the registry.

Each API's part is `contract_tests/client/<api>/calls.py` (the registry's `client_tests` part, module `calls`), which
exports `CALLS`, an `ApiCalls`: how its client is made, one read and its writes (each a `Call`), and what the tests
hold its answers to. `api_calls()` reads them in the registry's order; `READS`, `WRITES` and `CREATES` are their calls
side by side.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.parts import api_parts
from mock_server.announcement import Announcement


@dataclass(frozen=True)
class ApiClient:
    """How the tests make one API's generated client.

    Attributes:
        name: The API's name in the registry.
        package: The generated package.
        base_url: The document's server URL.
        credential: A credential in the form the API issues them (only ever sent to respx).
        prefix: What the client writes before the credential in `Authorization` ("" for the bare credential).
        error_body: The API's own error body for a status.
    """

    name: str
    package: ModuleType
    base_url: str
    credential: str
    prefix: str
    error_body: Callable[[int], Any]

    def client(self, **options: Any) -> Any:
        """The package's AuthenticatedClient, authenticated as the API wants, with `options`."""
        return self.package.AuthenticatedClient(
            base_url=self.base_url, token=self.credential, prefix=self.prefix, **options
        )

    def simulator_client(self, announcement: Announcement, **options: Any) -> Any:
        """The package's AuthenticatedClient of a running simulator, as its first announced identity."""
        scheme = f"{self.prefix} " if self.prefix else ""
        token = announcement.identity().headers["Authorization"].removeprefix(scheme)
        return self.package.AuthenticatedClient(
            base_url=announcement.base_url, token=token, prefix=self.prefix, **options
        )


@dataclass(frozen=True)
class Call:
    """One operation of one API: how to call it, where it goes, and a documented success body."""

    on: ApiClient
    module: ModuleType
    method: str
    url: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    success_status: int = 200
    success: Any = None

    def __str__(self) -> str:
        return f"{self.api}-{self.method}"

    @property
    def api(self) -> str:
        """The API's name."""
        return self.on.name

    @property
    def package(self) -> ModuleType:
        """The API's generated package."""
        return self.on.package

    @property
    def credential(self) -> str:
        """The credential its client sends."""
        return self.on.credential

    def error_body(self, status: int) -> Any:
        """The API's own error body for `status`."""
        return self.on.error_body(status)

    def client(self, **options: Any) -> Any:
        """The package's AuthenticatedClient, authenticated as the API wants, with `options`."""
        return self.on.client(**options)

    def sync(self, client: Any) -> Any:
        return self.module.sync_detailed(*self.args, client=client, **self.kwargs)

    async def asyncio(self, client: Any) -> Any:
        return await self.module.asyncio_detailed(*self.args, client=client, **self.kwargs)


@dataclass(frozen=True)
class ErrorExample:
    """One of an API's error bodies, and what its typed error makes of it.

    Attributes:
        status: The status it comes with.
        body: The body.
        details: Reads what the test compares from the error's `details` (the API's own error model).
        expected: What `details` must read.
        message: The error's `str()`.
    """

    status: int
    body: Any
    details: Callable[[Any], Any]
    expected: Any
    message: str


@dataclass(frozen=True)
class LeftOut:
    """A property of an API's read (`ApiCalls.read`) that a test leaves out of its documented success body.

    Attributes:
        operation_id: The read's operation.
        place: Where the object that holds it is in the body.
        name: The property, as the document names it.
        attributes: The same place in the model, then the attribute.
    """

    operation_id: str
    place: tuple[str, ...]
    name: str
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class ApiCalls:
    """What the cross-API runtime tests need of one API.

    Attributes:
        client: How its client is made.
        read: A read of one job.
        error_example: One of its error bodies, and what its typed error makes of it.
        assumed: A property of the read's success body that the document only assumes a server sends.
        read_demo_job: Reads a simulator's first demo job with a client (the simulator's start-up line, a client).
        writes: Its idempotent writes (PUT or DELETE), retried as reads are.
        creates: Its writes that are not idempotent (POST), retried only when asked.
        guaranteed: A property of the read's success body that a source guarantees, where the document has one.
        unset_able: Models' attributes, as (model, attribute), that a server may leave out (some of them).
        kept_required: Models' attributes that stay required although their requiredness is assumed (union tags,
            requests; some of them).
        lasting_faults: Fault kinds (`--fault-kinds`) that, when they never stop, end a read of the demo job in a
            typed error after the retries: (kind, the error's class).
    """

    client: ApiClient
    read: Call
    error_example: ErrorExample
    assumed: LeftOut
    read_demo_job: Callable[[Announcement, Any], object]
    writes: tuple[Call, ...] = ()
    creates: tuple[Call, ...] = ()
    guaranteed: LeftOut | None = None
    unset_able: frozenset[tuple[str, str]] = frozenset()
    kept_required: frozenset[tuple[str, str]] = frozenset()
    lasting_faults: tuple[tuple[str, str], ...] = ()

    @property
    def api(self) -> str:
        """The API's name."""
        return self.client.name


@cache
def api_calls() -> dict[str, ApiCalls]:
    """Every API of the registry that has client tests, with its `CALLS`, by name, in the registry's order."""
    return api_parts("calls", "CALLS", ApiCalls)


READS = [calls.read for calls in api_calls().values()]
WRITES = [write for calls in api_calls().values() for write in calls.writes]
CREATES = [create for calls in api_calls().values() for create in calls.creates]


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    """A response with a JSON body (or none)."""
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


# How `raised_by` makes a call fail: with `raise_on_error`, sync or async, or through `unwrap`.
ERROR_MODES = ("sync", "asyncio", "unwrap")


def raised_by(call: Call, response: httpx.Response, mode: str) -> Any:
    """The exception the call raises for `response`, with `raise_on_error` (sync or async) or through `unwrap`."""
    client = call.client(retry=call.package.RetryPolicy.disabled(), raise_on_error=mode != "unwrap")
    with respx.mock() as router:
        router.route(method=call.method, url=call.url).mock(return_value=response)
        with pytest.raises(call.package.errors.APIError) as raised:
            _failing_call(call, client, mode)
    return raised.value


def _failing_call(call: Call, client: Any, mode: str) -> None:
    if mode == "asyncio":
        asyncio.run(call.asyncio(client))
    elif mode == "sync":
        call.sync(client)
    else:
        call.package.unwrap(call.sync(client))


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every log record captured, its logger, message and arguments."""
    return "\n".join(f"{record.name} {record.getMessage()} {record.args!r}" for record in caplog.records)
