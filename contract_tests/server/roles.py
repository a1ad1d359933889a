"""Every role on every operation: one request per operation of an API's document, sent with the credentials of a
role, or with credentials wrong in one part, and what a refusal must look like.

A test builds the calls (`every_operation`: each operation of the document, its path and required query parameters
filled from the values the test gives, its body the document's request example), sends each with the headers of a
role (`Call.send`, which reads a stream for a bounded time only, so that a tail a server should have refused cannot
hang the test), and holds the answers to the facts they rest on (`not_refused`, `refusal_problems`). `half_wrong`
gives, for one scheme's headers, every way of getting exactly one part of them wrong.
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from contract_tests.documents import load, operations, request_example, resolve, response_problems

READING_METHODS = frozenset({"get", "head"})
# How long a body is read at most: a refusal comes at once, a stream wrongly let through is cut.
DEFAULT_DEADLINE = 10.0
# Headers about the body as it travelled, which no longer hold for the decoded body kept.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


# Compared by identity: a call is a key of the answers it got.
@dataclass(frozen=True, eq=False)
class Call:
    """One request to one operation.

    Attributes:
        api: The API.
        operation_id: The operation.
        method: The HTTP method (upper case).
        url: The full URL, parameters filled in.
        body: The JSON body, or None for an operation that takes none.
    """

    api: str
    operation_id: str
    method: str
    url: str
    body: Any = None

    @property
    def writes(self) -> bool:
        """Whether the operation changes state (anything but GET and HEAD)."""
        return self.method.lower() not in READING_METHODS

    def request(self, headers: Mapping[str, str]) -> httpx.Request:
        """The request, with `headers` (the credentials) and nothing else of a role's."""
        if self.body is None:
            return httpx.Request(self.method, self.url, headers=dict(headers))
        return httpx.Request(self.method, self.url, headers=dict(headers), json=self.body)

    def send(self, headers: Mapping[str, str], deadline: float = DEFAULT_DEADLINE) -> httpx.Response:
        """Send the call and read its body for at most `deadline` seconds.

        Args:
            headers: The credentials' headers.
            deadline: The longest time to read the body (a stream is cut there).

        Returns:
            The response, its body (what arrived in time) read.
        """
        request = self.request(headers)
        started = time.monotonic()
        body = bytearray()
        with httpx.Client(timeout=httpx.Timeout(deadline)) as client:
            streamed = client.send(request, stream=True)
            try:
                for chunk in streamed.iter_bytes():
                    body += chunk
                    if time.monotonic() - started >= deadline:
                        break
            except httpx.ReadTimeout:
                pass
            finally:
                streamed.close()
        return httpx.Response(
            streamed.status_code,
            headers=[(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in _TRANSFER_HEADERS],
            content=bytes(body),
            request=request,
        )


def _parameters(document: dict[str, Any], path_item: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = {}
    for node in [*path_item.get("parameters", []), *spec.get("parameters", [])]:
        parameter, _ = resolve(document, node)
        found[(parameter["name"], parameter["in"])] = parameter
    return list(found.values())


def every_operation(
    api: str, base_url: str, values: Mapping[str, str], bodies: Mapping[str, Any] | None = None
) -> list[Call]:
    """One call to each operation of `api`'s document, in the document's order.

    Args:
        api: The API.
        base_url: The server's base URL.
        values: The value of every path parameter and required query parameter, by name.
        bodies: The body of an operation, by operationId; by default its first request example.

    Returns:
        The calls.

    Raises:
        KeyError: A parameter the document requires has no value in `values`.
    """
    document = load(api)
    calls = []
    for operation in operations(document):
        path = operation.path
        query = {}
        for parameter in _parameters(document, document["paths"][operation.path], operation.spec):
            name = parameter["name"]
            if parameter["in"] == "path":
                path = path.replace(f"{{{name}}}", str(values[name]))
            elif parameter["in"] == "query" and parameter.get("required"):
                query[name] = str(values[name])
        url = str(httpx.URL(base_url.rstrip("/") + path, params=query or None))
        body = None
        if "requestBody" in operation.spec:
            body = (bodies or {}).get(operation.operation_id) or request_example(api, operation.operation_id)
        calls.append(Call(api, operation.operation_id, operation.method.upper(), url, body))
    return calls


def wrong(value: str) -> str:
    """A value that is almost `value`: the same length, its prefix word (`Bearer `, `Key `) kept, its last character
    changed, so that only a server that compares all of it refuses it."""
    prefix, space, rest = value.rpartition(" ")
    last = "x" if rest[-1:] != "x" else "y"
    return f"{prefix}{space}{rest[:-1]}{last}"


def half_wrong(headers: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Every way of getting exactly one of a scheme's headers wrong (for a one-header scheme: its value wrong).

    Args:
        headers: A scheme's right headers.

    Returns:
        The wrong sets by a description (`right X-Auth-Email + wrong X-Auth-Key`, ...).
    """
    found = {}
    for name in headers:
        parts = [f"wrong {other}" if other == name else f"right {other}" for other in headers]
        found[" + ".join(parts)] = {other: wrong(value) if other == name else value for other, value in headers.items()}
    return found


def refusal_problems(call: Call, response: httpx.Response, statuses: Iterable[int]) -> list[str]:
    """How a refusal of `call` falls short: its status is not one of `statuses`, or its body breaks the document.

    Args:
        call: The call.
        response: Its answer.
        statuses: The statuses a refusal may have.

    Returns:
        What is wrong, each naming the operation; empty when it is a refusal as documented.
    """
    allowed = sorted(statuses)
    if response.status_code not in allowed:
        return [f"{call.operation_id}: {response.status_code}, not {allowed}: {response.text[:200]!r}"]
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    content_type = response.headers.get("content-type", "")
    return response_problems(call.api, call.operation_id, response.status_code, content_type, body)


def not_refused(answers: Mapping[Call, httpx.Response], statuses: Iterable[int]) -> list[str]:
    """The calls of `answers` that were not refused as documented (`refusal_problems`), one line each."""
    return [problem for call, response in answers.items() for problem in refusal_problems(call, response, statuses)]


def first_evidence(answers: Mapping[Call, httpx.Response], statuses: Iterable[int]) -> httpx.Response | None:
    """The first answer that was not refused as documented: the reproduction a report shows."""
    return next(
        (response for call, response in answers.items() if refusal_problems(call, response, statuses)),
        None,
    )
