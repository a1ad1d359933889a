"""`python -m bench [--quick] [--profile KEY]`: print the report, section by section (see `sections`)."""

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bench import build, clients, profiling, servers
from bench.apis import all_cases
from bench.clients import BenchError
from bench.table import duration
from bench.timing import FULL, QUICK, Budget


@dataclass(frozen=True)
class Section:
    """One part of the report.

    Attributes:
        title: The heading printed above it.
        run: Prints the section's own table; returns an exit status (0 or None: every step it ran worked).
        slow: Skipped by `--quick`.
    """

    title: str
    run: Callable[[], int | None]
    slow: bool = False


def sections(budget: Budget) -> tuple[Section, ...]:
    """The report, in the order it is printed: a new part is one more line here."""
    return (
        Section("Generated clients against the floor, in-process", partial(clients.main, budget)),
        Section("Regeneration and conformance", build.main, slow=True),
        # What `make bench-servers` prints: 60 s of 32-client lifecycle load per simulator, then wrk against Prism.
        Section("Simulators: lifecycle load, and throughput against Prism", partial(servers.main, []), slow=True),
    )


def main(argv: list[str] | None = None) -> int:
    keys = [case.key for case in all_cases()]
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time the generated clients against raw httpx + json in-process, regeneration and the "
        "conformance suite; print a table per section. Timings are printed, never asserted.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs, and skip the slow sections (regeneration, conformance, the simulators)",
    )
    parser.add_argument(
        "--profile",
        metavar="KEY",
        choices=keys,
        help=f"instead, profile one case's floor and client with cProfile: {', '.join(keys)}",
    )
    args = parser.parse_args(argv)
    try:
        if args.profile:
            return profiling.main(args.profile)
        start = time.perf_counter()
        status = 0
        for section in sections(QUICK if args.quick else FULL):
            print(f"\n== {section.title} ==")
            if args.quick and section.slow:
                print("skipped (--quick)")
                continue
            status = max(status, section.run() or 0)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    print(f"\nbench: {duration(time.perf_counter() - start)} in all")
    return status


if __name__ == "__main__":
    sys.exit(main())
