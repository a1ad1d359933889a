"""`python -m bench.fuzz`: schemathesis' negative mode, with a large example budget, against each simulator.

Each simulator runs in a process of its own (`--strict`, so a response that breaks the document is a 500 too) and
gets `st run --mode negative --phases coverage,fuzzing --max-examples N --checks not_a_server_error`: every
operation, fed schema-violating parameters, bodies and headers. The only check is the one this run is for: no 5xx.
The other checks run in `make conformance`. Afterwards the simulator's output must hold no traceback.

Prints, per API, the cases schemathesis generated and the 5xx it found, and exits 1 on any 5xx or traceback.
JUnit reports go to reports/fuzz-<api>.xml.
"""

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.apis import benches
from bench.load import credentials
from bench.processes import ROOT
from bench.servers import table
from mock_server.launcher import launch

REPORTS = ROOT / "reports"
SCHEMATHESIS = Path(sys.executable).with_name("st")


def fuzz(api: str, *, max_examples: int, seed: int, workers: int) -> tuple[list[str], list[str]]:
    """Run the negative phase against one simulator.

    Returns:
        The table row, and what failed.
    """
    server = launch(api, *benches()[api].simulator_options, strict=True)
    started = time.monotonic()
    try:
        command = [
            str(SCHEMATHESIS), "run", str(ROOT / "openapi" / f"{api}.yaml"), "--url", server.announcement.base_url,
            "--mode", "negative", "--phases", "coverage,fuzzing", "--max-examples", str(max_examples),
            "--checks", "not_a_server_error", "--seed", str(seed), "--workers", str(workers),
            "--suppress-health-check", "all", "--request-timeout", "30", "--no-color",
            "--report", "junit", "--report-junit-path", str(REPORTS / f"fuzz-{api}.xml"),
        ]  # fmt: skip
        for name, value in credentials(server.announcement).items():
            command += ["--header", f"{name}: {value}"]
        # schemathesis from this virtualenv with fixed arguments, against a loopback simulator.
        finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    finally:
        server.stop()
        stderr = server.stderr
    elapsed = time.monotonic() - started
    output = finished.stdout
    generated = re.search(r"(\d+) generated", output)
    server_errors = re.search(r"Server error: (\d+)", output)
    found_5xx = int(server_errors.group(1)) if server_errors else 0
    # An operation whose every parameter accepts any string (a job id) has no schema-violating data to generate:
    # schemathesis reports it as an error of its own, not of the server; the coverage phase still sends it junk.
    nothing_to_generate = output.count("Cannot generate test data for this operation")
    summary = output.rsplit("SUMMARY", 1)[-1]
    errors = summary.split("Errors:", 1)[1].split("Test cases:", 1)[0] if "Errors:" in summary else ""
    other_errors = re.findall(r"🚫 (?!Schema Error)([^:\n]+): (\d+)", errors)
    failures = []
    if found_5xx or "ST101" in output or other_errors or (finished.returncode != 0 and not nothing_to_generate):
        failures.append(f"{api}: schemathesis exited {finished.returncode}:\n{output[-4000:]}{finished.stderr[-2000:]}")
    if "Traceback" in stderr:
        failures.append(f"{api}: the simulator wrote a traceback:\n{stderr[-3000:]}")
    cases = generated.group(1) if generated else "?"
    row = [api, cases, str(found_5xx), str(stderr.count("Traceback")), str(nothing_to_generate), f"{elapsed:.0f}"]
    return row, failures


def main(argv: Sequence[str] | None = None) -> int:
    """Fuzz every simulator and print the table.

    Args:
        argv: The arguments; sys.argv[1:] when None.

    Returns:
        0 when no simulator answered a 5xx, else 1.
    """
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--apis", default=",".join(benches()), help="comma-separated (default: every API's)")
    parser.add_argument("--max-examples", type=int, default=500, help="cases per operation (default: 500)")
    parser.add_argument("--seed", type=int, default=1, help="schemathesis' seed (default: 1)")
    parser.add_argument("--workers", type=int, default=2, help="schemathesis' workers (default: 2)")
    args = parser.parse_args(argv)
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows, failures = [], []
    for api in [api for api in args.apis.split(",") if api]:
        row, found = fuzz(api, max_examples=args.max_examples, seed=args.seed, workers=args.workers)
        rows.append(row)
        failures += found
        print(f"{api}: {row[1]} cases, {row[2]} 5xx, {row[5]} s", flush=True)
    title = f"## Negative fuzzing: schemathesis --mode negative, {args.max_examples} examples per operation"
    header = ["simulator", "cases", "5xx", "tracebacks", "operations with nothing negative to generate", "seconds"]
    text = f"{title}\n\n" + table(header, rows)
    print(f"\n{text}\n")
    (REPORTS / "fuzz.md").write_text(f"# make fuzz\n\n{text}\n")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
