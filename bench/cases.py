"""What an operation the client benchmarks call is: a `Case`, made through its generated function and as a raw httpx
request, on an `Api` (how the bench makes the API's generated client). Each API's cases are its own
(`ApiBench.cases`, `bench/apis/<api>.py`).

A case names the request raw httpx sends (the floor) and the generated call that must send the same one; the bench
checks that both do, against the document, before it times anything (`bench.clients`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from bench import bodies

# A fake credential: the in-process transport answers whatever is sent.
TOKEN = "bench-token"  # noqa: S105

ClientT = TypeVar("ClientT")


@dataclass(frozen=True)
class Api(Generic[ClientT]):
    """How the bench talks to one API.

    Attributes:
        name: The document, `openapi/<name>.yaml`.
        authenticated_client: The generated package's `AuthenticatedClient`.
        prefix: What goes before the token in the `Authorization` header ("" for a bare token).
    """

    name: str
    authenticated_client: Callable[..., ClientT]
    prefix: str

    def client(self, transport: httpx.BaseTransport) -> ClientT:
        """The generated client, through the public constructor, on `transport`."""
        return self.authenticated_client(
            base_url=bodies.server_url(self.name), token=TOKEN, prefix=self.prefix, httpx_args={"transport": transport}
        )

    def headers(self) -> dict[str, str]:
        """The credential header the generated client sends, for the floor to send too."""
        return {"Authorization": f"{self.prefix} {TOKEN}" if self.prefix else TOKEN}


@dataclass(frozen=True)
class Case(Generic[ClientT]):
    """One operation, benchmarked through the generated client and through raw httpx + json.

    Attributes:
        key: A short name for the command line (`python -m bench --profile KEY`).
        name: What the table's row says.
        api: The API; its document holds the operation and its response.
        operation_id: The operation both requests must be for.
        path: The GET request's path, relative to the document's server URL.
        params: Its query parameters.
        body: Builds the 200 response's JSON body; it is encoded once and served for every call.
        call: The generated function, called with the generated client.
        parsed: What the call must return; anything else would mean the bench timed a failure.
        target: The largest client/floor ratio the issue accepts, where it sets one.
    """

    key: str
    name: str
    api: Api[ClientT]
    operation_id: str
    path: str
    params: Mapping[str, str | int]
    body: Callable[[], Any]
    call: Callable[[ClientT], object]
    parsed: type
    target: float | None = None
