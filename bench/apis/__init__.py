"""Each API's part of the bench, `bench/apis/<api>.py` (the registry's `bench` entry), and what every such module
provides: `BENCH`, an `ApiBench`.

The shared modules never name an API. The client table times every API's `cases` (`bench.clients`); the lifecycle
load runs its `workers` (`bench.load`); the throughput comparison GETs its `one_job` (`bench.throughput`); the load
and the fuzzing start its simulator with its `simulator_options` (`bench.servers`, `bench.fuzz`). `benches()` reads
them in the registry's order, so an API joins the bench with its module here and its registry entry.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from bench.cases import Api, Case, ClientT
from bench.workers import Factory
from generator.registry import load_apis
from mock_server.announcement import Announcement


@dataclass(frozen=True)
class ApiBench:
    """What the bench needs of one API.

    Attributes:
        name: The API's name in the registry.
        cases: The operations the client table times, in the order of its rows.
        workers: Makes the lifecycle load's workers, one per client, each doing the API's operations and holding its
            answers to the API's invariants (`bench.load.run_load`).
        one_job: The path, under the simulator's base URL (and Prism's origin), of a GET of the simulator's first demo
            job: the request the throughput comparison measures (`bench.throughput`).
        simulator_options: What the simulator is started with, besides --strict, for the load and the fuzzing.
    """

    name: str
    cases: tuple[Case[Any], ...]
    workers: Factory
    one_job: Callable[[Announcement], str]
    simulator_options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Get:
    """The GET request a case sends through raw httpx (`Case.operation_id`, `Case.path`, `Case.params`)."""

    operation_id: str
    path: str
    params: Mapping[str, str | int] = field(default_factory=dict)


def case(
    api: Api[ClientT],
    call: Callable[[ClientT], object],
    key: str,
    row: str,
    request: Get,
    *,
    body: Callable[[], Any],
    parsed: type,
    target: float | None = None,
) -> Case[ClientT]:
    """One of `api`'s client cases: `call`, the generated function it times, named after the API (`<api>-<key>` on the
    command line, `<api>: <row>` in the table), and `request`, the same request as raw httpx sends it (the floor); the
    other arguments are the `Case`'s."""
    return Case(
        key=f"{api.name}-{key}",
        name=f"{api.name}: {row}",
        api=api,
        operation_id=request.operation_id,
        path=request.path,
        params=request.params,
        body=body,
        call=call,
        parsed=parsed,
        target=target,
    )


@cache
def benches() -> dict[str, ApiBench]:
    """Every API of the registry that has a bench module, with its `BENCH`, by name, in the registry's order.

    Raises:
        TypeError: A bench module exports something else as its `BENCH`, or another API's.
    """
    found: dict[str, ApiBench] = {}
    for api in load_apis().values():
        if not api.bench:
            continue
        bench = getattr(api.part("bench"), "BENCH", None)
        if not isinstance(bench, ApiBench) or bench.name != api.name:
            raise TypeError(f"{api.bench} must export the BENCH of {api.name}, not {bench!r}")
        found[api.name] = bench
    return found


def all_cases() -> tuple[Case[Any], ...]:
    """Every API's client cases, API by API in the registry's order."""
    return tuple(case for bench in benches().values() for case in bench.cases)
