"""Each API's operations as its tests call them against respx: the table that `contract_tests/client/<api>/
test_<tag>.py` runs every generated endpoint function from, and that test_operations.py holds to what every package
promises alike (the table covers the document; an answer the document does not promise is kept, or raised when asked).

Each API's table is `contract_tests/client/<api>/operations.py` (the registry's `client_tests` part, module
`operations`), which exports `OPERATIONS`, an `Operations`; `tables()` reads them in the registry's order.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any, NamedTuple

import httpx
import pytest
import respx

from contract_tests.client.conftest import call, contract_response, off_contract_response, parsed_of
from contract_tests.client.generated import endpoint, package
from contract_tests.client.parts import api_parts
from contract_tests.documents import find_operation, load, resolve


@dataclass(frozen=True)
class Operation:
    """How to call one operation, and the request the document says that call must send.

    Attributes:
        operation_id: The operation's id in the document (its generated module's name, `generated.endpoint`).
        method: The HTTP method it must send.
        path: The path it must send, below the table's base URL.
        args: The positional arguments it is called with (the path parameters).
        kwargs: The keyword arguments it is called with (query parameters, the body).
        query: The query it must send for them, by wire name.
        json: The JSON body it must send (None: no body).
        success: The status of its documented success.
        result_type: The model its success is parsed into (where the test of its API asks).
    """

    operation_id: str
    method: str
    path: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    success: int = 200
    result_type: type | None = None

    def __str__(self) -> str:
        return self.operation_id

    def route(self, router: respx.MockRouter) -> respx.Route:
        """The operation's route on `router`."""
        return router.route(method=self.method, path=self.path)


class OffContract(NamedTuple):
    """An answer the document does not promise, but the way to the API can send: a proxy's HTML page, truncated JSON."""

    name: str
    status: int
    content: bytes
    content_type: str

    def respond(self) -> Callable[[httpx.Request], httpx.Response]:
        """A respx side effect giving this answer."""
        return off_contract_response(self.status, self.content, self.content_type)


class Documented(NamedTuple):
    """A response the document gives an operation: its status, and one of its examples in one of its media types (or
    no media type and no body, for a response without one)."""

    operation: Operation
    status: int
    media_type: str | None
    body: Any


@dataclass(frozen=True)
class Operations:
    """One API's operations, as its tests call them.

    Attributes:
        api: The API's name in the registry.
        base_url: The server the tests mock.
        operations: Every operation of the document.
        off_contract: The answers the document does not promise that every operation is sent.
        client: Makes the package's AuthenticatedClient of `base_url`, authenticated as the API wants, with options.
        statuses: The statuses that stand for a documented range (`4XX`) or for `default`.
        text_success: The operations whose success is text: any body is the answer, so a success is never off-contract.
    """

    api: str
    base_url: str
    operations: tuple[Operation, ...]
    off_contract: tuple[OffContract, ...]
    client: Callable[..., Any]
    statuses: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    text_success: frozenset[str] = frozenset()

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __getitem__(self, operation_id: str) -> Operation:
        """The operation called `operation_id`."""
        return next(operation for operation in self.operations if operation.operation_id == operation_id)

    @property
    def package(self) -> ModuleType:
        """The API's generated package."""
        return package(self.api)

    def call(self, operation: Operation, mode: str, client: Any) -> Any:
        """Run the operation's endpoint function in `mode` (sync, sync_detailed, asyncio or asyncio_detailed) with
        `client`, and return what it returns."""
        return call(
            endpoint(self.api, operation.operation_id), mode, *operation.args, client=client, **operation.kwargs
        )

    def mocked(self) -> AbstractContextManager[respx.MockRouter]:
        """respx in place of the server: every route must be called, and every request routed."""
        return respx.mock(base_url=self.base_url, assert_all_called=True, assert_all_mocked=True)

    def success(self, operation: Operation | str) -> Callable[[httpx.Request], httpx.Response]:
        """A side effect answering with the first example of the operation's (or the operation id's) success, in its
        first media type."""
        if isinstance(operation, str):
            operation = self[operation]
        response = find_operation(self.api, operation.operation_id).spec["responses"][str(operation.success)]
        media_type, media = next(iter(response["content"].items()))
        body = next(iter(media["examples"].values()))["value"]
        return contract_response(self.api, operation.operation_id, operation.success, body, media_type=media_type)

    def respond(
        self, operation: Operation, answer: Callable[[httpx.Request], httpx.Response], mode: str, client: Any
    ) -> tuple[Any, httpx.Request]:
        """Run the operation's endpoint function in `mode` with `client`, respx answering with `answer`: what it
        returns, and the request it sent."""
        with self.mocked() as router:
            route = operation.route(router).mock(side_effect=answer)
            result = self.call(operation, mode, client)
        return result, route.calls.last.request

    def sent(self, operation: Operation, mode: str, client: Any) -> httpx.Request:
        """The request the operation's endpoint function sends in `mode` with `client`, answered with its success."""
        _, request = self.respond(operation, self.success(operation), mode, client)
        return request

    def answered(self, example: "Documented", mode: str) -> tuple[Any, Any]:
        """What the operation's endpoint function returns in `mode` for a documented response, and the parsed model
        in that (`conftest.parsed_of`)."""
        operation, status, media_type, body = example
        answer = contract_response(self.api, operation.operation_id, status, body, media_type=media_type or "")
        result, _ = self.respond(operation, answer, mode, self.client())
        return result, parsed_of(result, mode)

    def documented_examples(self) -> list[Any]:
        """A `Documented` for every example of every documented response, and for every response without a body; a
        range or `default` stands for each of its `statuses`."""
        cases = []
        document = load(self.api)
        for operation in self.operations:
            for key, response in find_operation(self.api, operation.operation_id).spec["responses"].items():
                response, _ = resolve(document, response)
                examples = [
                    (media_type, f"-{name}", example["value"])
                    for media_type, media in response.get("content", {}).items()
                    for name, example in media["examples"].items()
                ] or [(None, "", None)]
                cases += [
                    pytest.param(Documented(operation, status, media_type, body), id=f"{operation}-{status}{name}")
                    for media_type, name, body in examples
                    for status in self.statuses.get(key) or (int(key),)
                ]
        return cases

    def off_contract_cases(self) -> Iterator[tuple[Operation, OffContract]]:
        """Every operation with every off-contract answer, but a success to an operation whose success is text."""
        for operation in self.operations:
            for answer in self.off_contract:
                if not (operation.operation_id in self.text_success and answer.status == operation.success):
                    yield operation, answer


@cache
def tables() -> dict[str, Operations]:
    """Every API of the registry that has client tests, with its `OPERATIONS`, by name, in the registry's order."""
    return api_parts("operations", "OPERATIONS", Operations)
