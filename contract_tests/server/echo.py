"""Declared echoes (`x-echo`, `generator.provenance.Echo`) held against real answers: an answer is about what was
asked (the job of the path, the bucket of the body), and a read that follows a link agrees with what the link leaves
from (a job read after its creation reports what its creation asked for; list and get tell the same story).

An exchange is one request and its answer as plain data (`Exchange`), made from a schemathesis case or from an
httpx response alike, so the same rules judge the generated phases, the walks and the lifecycle tests.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

import httpx

from contract_tests.documents import decode_body, load
from contract_tests.server.attribution import path_params
from generator import provenance
from generator.provenance import Echo, OperationRef

# What `evaluate` answers for an expression whose value is not there: the echo states nothing about that exchange.
_ABSENT = object()


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as the expressions of an echo read them.

    Attributes:
        operation_id: The operation called.
        url: The URL the request went to.
        path: Its path parameters.
        query: Its query parameters (the first value of each).
        headers: Its headers (names in lower case).
        request_body: Its body, decoded (None when it had none).
        status: The answer's status.
        response_body: The answer's body, decoded (None when it is not JSON).
    """

    operation_id: str
    url: str
    path: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    request_body: Any = None
    status: int = 200
    response_body: Any = None


def _json(content: bytes, content_type: str | None) -> Any:
    try:
        return decode_body(content_type, content) if content else None
    except ValueError:
        return None


@cache
def _operations(api: str) -> dict[str, OperationRef]:
    return {operation.operation_id: operation for operation in provenance.operations(load(api))}


def _operation_of(api: str, request: httpx.Request) -> OperationRef | None:
    """The operation a request went to (its path matched at the end of the URL's: a server's base path may differ
    from the document's); the most literal one when several match."""
    matching = [
        operation
        for operation in _operations(api).values()
        if operation.method == request.method.lower() and path_params(operation.path, request.url.path) is not None
    ]
    return min(matching, key=lambda operation: operation.path.count("{"), default=None)


def from_httpx(api: str, response: httpx.Response, operation_id: str | None = None) -> Exchange | None:
    """The exchange of an httpx response (read), or None when its request matches no operation of the document (or it
    was made without one)."""
    try:
        request = response.request
    except (AttributeError, RuntimeError):
        return None
    operation = _operations(api).get(operation_id) if operation_id else _operation_of(api, request)
    if operation is None:
        return None
    return Exchange(
        operation_id=operation.operation_id,
        url=str(request.url),
        path=path_params(operation.path, request.url.path) or {},
        query=dict(request.url.params),
        headers={name.lower(): value for name, value in request.headers.items()},
        request_body=_json(request.content, request.headers.get("content-type")),
        status=response.status_code,
        response_body=_json(response.content, response.headers.get("content-type")),
    )


def from_case(case: Any, response: Any, operation_id: str) -> Exchange:
    """The exchange of a schemathesis case and the response it got."""
    request = response.request
    url = httpx.URL(request.url)
    return Exchange(
        operation_id=operation_id,
        url=str(url),
        path={name: str(value) for name, value in (case.path_parameters or {}).items()},
        query=dict(url.params),
        headers={name.lower(): value for name, value in request.headers.items()},
        request_body=case.body if isinstance(case.body, dict | list) else None,
        status=response.status_code,
        response_body=_json(response.content or b"", (response.headers.get("content-type") or [None])[0]),
    )


def forwarded_headers(asked: Exchange) -> dict[str, str]:
    """The headers of an exchange's request that a follow-up read to the same server sends again (its credentials
    among them), without those that describe the request's own body or connection."""
    return {
        name: value
        for name, value in asked.headers.items()
        if name not in ("content-length", "content-type", "host", "transfer-encoding")
    }


def at_pointer(node: Any, pointer: str) -> tuple[bool, Any]:
    """The value at a JSON pointer without `*` (`/source/bucket`) in a decoded body: (found, value)."""
    found = list(_walk(node, pointer.split("/")[1:] if pointer else [], ""))
    return (True, found[0][1]) if found else (False, None)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _walk(node: Any, tokens: list[str], where: str) -> Iterator[tuple[str, Any]]:
    if not tokens:
        yield where, node
        return
    token, rest = tokens[0], tokens[1:]
    if token == "*":
        if isinstance(node, list):
            for position, item in enumerate(node):
                yield from _walk(item, rest, f"{where}/{position}")
    elif isinstance(node, Mapping):
        key = _unescape(token)
        if key in node:
            yield from _walk(node[key], rest, f"{where}/{token}")
    elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
        yield from _walk(node[int(token)], rest, f"{where}/{token}")


def evaluate(expression: str, exchange: Exchange) -> list[tuple[str, Any]]:
    """The values a runtime expression names in an exchange, each with where it is (`*` names every item).

    Returns:
        (where, value) pairs; none when the value is not there.
    """
    source, _, rest = expression.removeprefix("$").partition(".")
    if rest.startswith("body#"):
        body = exchange.request_body if source == "request" else exchange.response_body
        pointer = rest.removeprefix("body#")
        tokens = pointer.split("/")[1:] if pointer else []
        return list(_walk(body, tokens, f"${source}.body#"))
    kind, _, name = rest.partition(".")
    values = {"path": exchange.path, "query": exchange.query, "header": exchange.headers}[kind]
    key = name.lower() if kind == "header" else name
    return [(expression, values[key])] if key in values else []


def _scalar_text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _holds(echo: Echo, answered: Any, asked: Any) -> bool:
    if echo.relation == "contains":
        # A URL carries the value percent-encoded.
        wanted = _scalar_text(asked)
        return isinstance(answered, str) and wanted is not None and (wanted in answered or wanted in unquote(answered))
    if answered == asked:
        return True
    # Text and its number are one value: `7` answered for `job-id=7`, a kill order's `job_id` 40793914 for the job's
    # `id` "40793914" (the document types them apart, as the vendor does).
    text = _scalar_text(answered)
    return text is not None and text == _scalar_text(asked)


def broken(echo: Echo, asked: Exchange, answered: Exchange) -> list[str]:
    """What an answer (`answered`) says that differs from what the echo says it must repeat of `asked`.

    For an echo declared on an operation both are the same exchange; for a link echo, `asked` is the exchange the
    link leaves from and `answered` the linked operation's.
    """
    wanted = evaluate(echo.request, asked)
    if len(wanted) != 1:
        return []
    _, value = wanted[0]
    relation = "does not contain" if echo.relation == "contains" else "is not"
    return [
        f"{where} is {answer!r}, which {relation} {echo.request} {value!r}"
        if echo.relation == "contains"
        else f"{where} is {answer!r}, but {echo.request} is {value!r}"
        for where, answer in evaluate(echo.response, answered)
        if not _holds(echo, answer, value)
    ]


@cache
def _echoes(api: str) -> tuple[Echo, ...]:
    return tuple(provenance.echoes(load(api)))


def operation_echoes(api: str, operation_id: str) -> list[Echo]:
    """The echoes declared on an operation itself."""
    return [echo for echo in _echoes(api) if echo.operation_id == operation_id and echo.link is None]


def link_echoes(api: str, operation_id: str, status: int) -> dict[str, list[Echo]]:
    """The echoes declared on the links of an operation's response with `status`, by link name."""
    found: dict[str, list[Echo]] = {}
    for echo in _echoes(api):
        if echo.operation_id == operation_id and echo.link is not None and f"/responses/{status}/" in echo.pointer:
            found.setdefault(echo.link, []).append(echo)
    return found


def _link(api: str, echo: Echo) -> Mapping[str, Any]:
    owner = provenance.lookup(load(api), echo.pointer.rsplit(f"/{provenance.ECHO}/", 1)[0])
    return owner if isinstance(owner, Mapping) else {}


def follow(api: str, echo: Echo, asked: Exchange) -> httpx.Request | None:
    """The request a link echo's link makes from `asked` (its parameters filled in from it), to the same server with
    the same headers; None when a parameter's value is not there."""
    operations = _operations(api)
    target = operations[str(echo.target)]
    locations = {parameter["name"]: parameter["in"] for parameter, _ in provenance.parameters(load(api), target)}
    values: dict[tuple[str, str], str] = {}
    for name, expression in (_link(api, echo).get("parameters") or {}).items():
        found = evaluate(str(expression), asked)
        if len(found) != 1:
            return None
        values[(locations.get(name, "path"), name)] = str(found[0][1])
    source = operations[asked.operation_id]
    url = httpx.URL(asked.url)
    concrete = source.path
    for name, value in asked.path.items():
        concrete = concrete.replace(f"{{{name}}}", quote(value, safe=""))
    base = url.path.removesuffix(concrete) if url.path.endswith(concrete) else ""
    path = target.path
    for (location, name), value in values.items():
        if location == "path":
            path = path.replace(f"{{{name}}}", quote(value, safe=""))
    query = {name: value for (location, name), value in values.items() if location == "query"}
    return httpx.Request(
        target.method.upper(),
        url.copy_with(path=base + path, query=None).copy_merge_params(query),
        headers=forwarded_headers(asked),
    )


def first_broken(api: str, echoes: list[Echo], asked: Exchange, answered: Exchange) -> tuple[Echo, str] | None:
    """The first echo an answer breaks (a sourced one before an assumed one), with what it says."""
    found = [(echo, problem) for echo in echoes for problem in broken(echo, asked, answered)]
    found.sort(key=lambda item: item[0].mark.assumed)
    return found[0] if found else None
