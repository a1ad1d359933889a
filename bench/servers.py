"""`python -m bench.servers`: load and throughput figures for every simulator of the registry, printed as two tables.

1. Lifecycle load (`bench.load`): per simulator (a process of its own, `--strict`, on loopback), 32 concurrent clients
   doing random lifecycle operations for 60 s: requests, requests per second, p50 / p99 latency, 5xx, invariant
   violations, and the simulator's resident memory before and after. These figures include the Python load
   driver's own cost; they show that nothing gives way, not how fast a server is.
2. Throughput (`bench.throughput`): a GET of one job, 16 connections of wrk, against the simulator (request validation
   on, and with --strict as well) and against Prism 5.14.2 serving the same document; the ratio of served requests
   per second, and whether the simulator's p99 is lower.

The run fails (exit 1) on any 5xx, invariant violation, memory growth past `MEMORY_GROWTH_LIMIT`, or a simulator
below `--min-ratio` times Prism's throughput or without the lower p99. The tables are also written to
reports/bench-servers.md.
"""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.apis import benches
from bench.load import CLIENTS, run_load
from bench.processes import ROOT, rss_bytes
from bench.throughput import CONNECTIONS, ROUNDS, Throughput, compare_with_prism
from bench.workers import LoadResult
from mock_server.launcher import launch

MEMORY_GROWTH_LIMIT = 64 * 1024 * 1024
PRISM_PORT = 4010
REPORT = ROOT / "reports" / "bench-servers.md"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table whose columns line up in a terminal too."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines
    )


def load_figures(apis: Sequence[str], *, duration: float, clients: int) -> tuple[str, list[str]]:
    """Run the lifecycle load on each simulator.

    Returns:
        The table, and what failed.
    """
    rows, failures = [], []
    for api in apis:
        server = launch(api, *benches()[api].simulator_options, strict=True)
        try:
            before = rss_bytes(server.pid)
            result: LoadResult = asyncio.run(run_load(api, server.announcement, clients=clients, duration=duration))
            after = rss_bytes(server.pid)
        finally:
            server.stop()
        stderr = server.stderr
        rows.append([
            api, str(clients), str(result.requests), f"{result.requests_per_second:.0f}", _ms(result.percentile(50)),
            _ms(result.percentile(99)), str(len(result.server_errors)), str(len(result.violations)), _mib(before),
            _mib(after),
        ])  # fmt: skip
        failures += [f"{api}: 5xx: {error}" for error in result.server_errors[:10]]
        failures += [f"{api}: invariant: {violation}" for violation in result.violations[:10]]
        if after - before > MEMORY_GROWTH_LIMIT:
            failures.append(f"{api}: memory grew from {_mib(before)} to {_mib(after)} MiB")
        if "Traceback" in stderr:
            failures.append(f"{api}: the simulator wrote a traceback: {stderr[-2000:]}")
    header = ["simulator", "clients", "requests", "req/s", "p50 ms", "p99 ms", "5xx", "violations", "RSS before MiB",
              "RSS after MiB"]  # fmt: skip
    return table(header, rows), failures


def throughput_figures(apis: Sequence[str], *, seconds: int, min_ratio: float) -> tuple[str, list[str]]:
    """Measure each simulator against Prism on a GET of one job.

    Returns:
        The table, and what failed.
    """
    rows, failures = [], []
    for api in apis:
        figures = compare_with_prism(api, seconds=seconds, prism_port=PRISM_PORT)
        ours, prism = figures[0], figures[-1]
        for found in figures:
            ratio = found.served_per_second / prism.served_per_second if prism.served_per_second else 0.0
            rows.append([
                api, found.server, f"{found.served_per_second:.0f}", _ms(found.p50), _ms(found.p99),
                str(found.non_2xx), str(found.socket_errors), "" if found is prism else f"{ratio:.2f}x",
            ])  # fmt: skip
        failures += _compare(api, ours, prism, min_ratio)
    header = ["API", "server", "2xx/s", "p50 ms", "p99 ms", "non-2xx", "socket errors", "vs Prism"]
    return table(header, rows), failures


def _compare(api: str, ours: Throughput, prism: Throughput, min_ratio: float) -> list[str]:
    failures = []
    if ours.non_2xx or ours.socket_errors:
        failures.append(f"{api}: the simulator answered {ours.non_2xx} non-2xx, {ours.socket_errors} socket errors")
    if ours.served_per_second < min_ratio * prism.served_per_second:
        failures.append(
            f"{api}: {ours.served_per_second:.0f} req/s is less than {min_ratio}x Prism's {prism.served_per_second:.0f}"
        )
    if ours.p99 >= prism.p99:
        failures.append(f"{api}: p99 {_ms(ours.p99)} ms is not lower than Prism's {_ms(prism.p99)} ms")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print the tables.

    Args:
        argv: The arguments; sys.argv[1:] when None.

    Returns:
        0 when nothing failed, else 1.
    """
    parser = argparse.ArgumentParser(prog="python -m bench.servers", description=__doc__.splitlines()[0])
    parser.add_argument("--apis", default=",".join(benches()), help="comma-separated (default: every API's)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of lifecycle load (default: 60)")
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"concurrent clients (default: {CLIENTS})")
    parser.add_argument("--seconds", type=int, default=5, help="seconds of each wrk run (default: 5)")
    parser.add_argument("--min-ratio", type=float, default=2.0, help="required throughput vs Prism (default: 2)")
    parser.add_argument("--no-load", action="store_true", help="skip the lifecycle load")
    parser.add_argument("--no-throughput", action="store_true", help="skip the comparison with Prism")
    args = parser.parse_args(argv)
    apis = [api for api in args.apis.split(",") if api]
    sections, failures = [], []
    if not args.no_load:
        text, found = load_figures(apis, duration=args.duration, clients=args.clients)
        sections.append(
            f"## Lifecycle load: {args.clients} clients, {args.duration:g} s per simulator (--strict)\n\n{text}"
        )
        failures += found
        print(sections[-1], "\n", flush=True)
    if not args.no_throughput:
        text, found = throughput_figures(apis, seconds=args.seconds, min_ratio=args.min_ratio)
        title = (
            f"## Throughput: GET of one job, wrk, {CONNECTIONS} connections, loopback; best of {ROUNDS} runs of "
            f"{args.seconds} s each"
        )
        sections.append(f"{title}\n\n{text}")
        failures += found
        print(sections[-1], "\n", flush=True)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    Path(REPORT).write_text("# make bench-servers\n\n" + "\n\n".join(sections) + "\n")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
