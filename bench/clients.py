"""The generated clients beside the floor: the same request, answered in-process with the same bytes.

For each case the floor is raw `httpx.Client` on an `httpx.MockTransport` plus `response.json()`; the client is the
generated function on an `AuthenticatedClient` given an identical transport through `httpx_args`. Before timing,
one call of each checks that both sent the same request, that the document has it as the case's operation, and that
the client parsed the body into the model it should (a failed parse would otherwise be timed as a fast call).
"""

import statistics
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx

from bench import bodies
from bench.apis import all_cases
from bench.cases import Case
from bench.hotspots import Hotspot, hotspots, render_hotspots
from bench.table import duration, render
from bench.timing import Budget, Timing, measure
from mock_server.openapi import MethodNotAllowed, RequestProblem

_JSON = {"content-type": "application/json"}
# How many functions are listed for a call that misses its target.
_HOTSPOTS = 12


class BenchError(Exception):
    """A case does not measure what it says; the message says why."""


class CannedResponse:
    """A transport handler that answers every request with one pre-encoded JSON body and keeps the last request."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.last_request: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.last_request = request
        return httpx.Response(200, headers=_JSON, content=self.body)


@dataclass(frozen=True)
class Calls:
    """A case ready to time: both ways of making its call, each taking no arguments."""

    floor: Callable[[], object]
    client: Callable[[], object]


@dataclass(frozen=True)
class Measured:
    """A case's timings, and where its client's time goes when it misses its target.

    Attributes:
        case: The case.
        client: The generated client's timing.
        floor: The floor's timing.
        hotspots: When the case missed its target: how many calls were profiled, and the busiest functions.
    """

    case: Case[Any]
    client: Timing
    floor: Timing
    hotspots: tuple[int, list[Hotspot]] | None = None

    @property
    def ratio(self) -> float:
        """Client time over floor time: the median of the ratios of runs made one after the other, which a slow
        patch of the machine affects alike."""
        pairs = zip(self.client.per_call, self.floor.per_call, strict=True)
        return statistics.median(client / floor for client, floor in pairs)

    @property
    def missed(self) -> bool:
        """Whether the case has a target and the ratio is above it."""
        return self.case.target is not None and self.ratio > self.case.target


def _request_problems(case: Case[Any], request: httpx.Request) -> list[str]:
    """Why `request` is not a valid request for the case's operation (empty when it is one)."""
    path = request.url.raw_path.decode("ascii").partition("?")[0]
    route = bodies.document(case.api.name).route(request.method, path)
    if route is None or isinstance(route, MethodNotAllowed):
        return [f"{request.method} {path} is no operation of openapi/{case.api.name}.yaml"]
    if route.operation.operation_id != case.operation_id:
        return [f"{request.method} {path} is {route.operation.operation_id}, not {case.operation_id}"]
    try:
        route.operation.parse_request(
            path_params=route.path_params,
            query=request.url.params.multi_items(),
            headers=request.headers,
            content_type=None,
            body=b"",
        )
    except RequestProblem as problem:
        return [f"{request.method} {request.url}: {problem}"]
    return []


def _check(case: Case[Any], parsed: object, floor: CannedResponse, client: CannedResponse) -> None:
    if not isinstance(parsed, case.parsed):
        raise BenchError(f"{case.name}: the client returned {parsed!r}, not a {case.parsed.__name__}")
    if floor.last_request is None or client.last_request is None:
        raise BenchError(f"{case.name}: a call did not reach the transport")
    sent = {"floor": floor.last_request, "client": client.last_request}
    lines = {who: f"{request.method} {request.url}" for who, request in sent.items()}
    if lines["floor"] != lines["client"]:
        raise BenchError(f"{case.name}: the floor sent {lines['floor']}, the client {lines['client']}")
    problems = _request_problems(case, sent["client"])
    if problems:
        raise BenchError(f"{case.name}: {'; '.join(problems)}")


@contextmanager
def prepared(case: Case[Any]) -> Iterator[Calls]:
    """Both ways of making a case's call, checked once, on their own transports; closed on exit.

    Raises:
        BenchError: The body is not what the document declares, the two requests differ or are not the case's
            operation, or the client did not parse the body into the case's model.
    """
    try:
        body = bodies.encode(case.api.name, case.operation_id, case.body())
    except ValueError as error:
        raise BenchError(f"{case.name}: {error}") from error
    floor_handler, client_handler = CannedResponse(body), CannedResponse(body)
    with ExitStack() as stack:
        http = stack.enter_context(
            httpx.Client(
                base_url=bodies.server_url(case.api.name),
                headers=case.api.headers(),
                transport=httpx.MockTransport(floor_handler),
            )
        )
        client = stack.enter_context(case.api.client(httpx.MockTransport(client_handler)))

        # None rather than an empty mapping: httpx rebuilds the URL for any mapping given, even an empty one (some
        # 20 µs), and a hand-written call without a query gives none.
        params = case.params or None

        def floor() -> object:
            return http.get(case.path, params=params).json()

        def generated() -> object:
            return case.call(client)

        floor()
        _check(case, generated(), floor_handler, client_handler)
        yield Calls(floor=floor, client=generated)


def run(budget: Budget) -> list[Measured]:
    """Time every case, the client and the floor in turns.

    Raises:
        BenchError: A case is not what it says (see `prepared`).
    """
    measured = []
    for case in all_cases():
        with prepared(case) as calls:
            client, floor = measure([calls.client, calls.floor], budget)
            row = Measured(case, client=client, floor=floor)
            if row.missed:
                row = replace(row, hotspots=hotspots(calls.client, budget.profile_seconds, _HOTSPOTS))
        measured.append(row)
    return measured


def _verdict(row: Measured) -> str:
    if row.case.target is None:
        return ""
    return f"<= {row.case.target:g}x {'MISSED' if row.missed else 'met'}"


def report(measured: list[Measured], budget: Budget) -> str:
    """The section's table, with a line saying how it was measured."""
    rows = [
        [
            row.case.name,
            duration(row.client.median),
            f"±{row.client.spread:.0%}",
            duration(row.floor.median),
            f"±{row.floor.spread:.0%}",
            f"{row.ratio:.2f}x",
            _verdict(row),
        ]
        for row in measured
    ]
    table = render(["operation", "client", "", "floor", "", "client/floor", "target"], rows, right={1, 2, 3, 4, 5})
    how = (
        f"Per call, sync: median of {budget.repeats} runs of >= {duration(budget.seconds)} each (gc on), ± half the "
        "interquartile range.\nfloor: raw httpx.Client on the same in-process transport + response.json(); "
        "client/floor: the median of the paired runs' ratios."
    )
    parts = [how, table]
    for row in measured:
        if row.hotspots is not None:
            profiled, spots = row.hotspots
            parts.append(
                f"\n{row.case.name}: {row.ratio:.2f}x misses <= {row.case.target:g}x. Where the client's time goes "
                f"(cProfile, {profiled} calls; own time, which cProfile inflates for many small calls):"
            )
            parts.append(render_hotspots(spots))
    return "\n".join(parts)


def main(budget: Budget) -> int:
    """Print the client table.

    Returns:
        0; a target missed is a figure, not a failure.
    """
    print(report(run(budget), budget))
    return 0
