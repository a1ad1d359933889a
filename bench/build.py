"""How long the pipeline takes: regenerating every client, and `make conformance`, each timed as a subprocess.

Regeneration is `python -m generator --check`: every document validated, generated, formatted into a temporary
folder and compared with `generated_client/`, which is left as it is. Each command's output is captured; a failure
prints its last lines.
"""

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.table import duration, render

ROOT = Path(__file__).resolve().parent.parent
# How much of a failing command's output is shown.
_TAIL_LINES = 25


@dataclass(frozen=True)
class Step:
    """A command to time.

    Attributes:
        name: What the table's row says.
        command: The command, run from the repository root.
    """

    name: str
    command: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What running a step gave.

    Attributes:
        step: The step.
        returncode: The command's exit status.
        seconds: How long it ran, wall clock.
        output: Its stdout and stderr, interleaved as written.
    """

    step: Step
    returncode: int
    seconds: float
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def summary(self) -> str:
        """The output's last non-blank line: the generator's verdict, pytest's counts."""
        lines = [line.strip() for line in self.output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def steps() -> tuple[Step, ...]:
    """The steps, in the order they run."""
    make = shutil.which("make") or "make"
    return (
        Step("regenerate all clients", (sys.executable, "-m", "generator", "--check")),
        Step("make conformance", (make, "--no-print-directory", "conformance")),
    )


def run(step: Step) -> Outcome:
    """Run a step's command, its output captured, and time it."""
    print(f"bench: {step.name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        result = subprocess.run(  # noqa: S603 (a fixed command, no shell)
            step.command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
        )
    except OSError as error:
        return Outcome(step, returncode=127, seconds=time.perf_counter() - start, output=str(error))
    return Outcome(step, returncode=result.returncode, seconds=time.perf_counter() - start, output=result.stdout)


def report(outcomes: list[Outcome]) -> str:
    """The section's table, then the end of every failing step's output."""
    rows = [
        [
            outcome.step.name,
            "passed" if outcome.ok else f"FAILED ({outcome.returncode})",
            duration(outcome.seconds),
            outcome.summary,
        ]
        for outcome in outcomes
    ]
    parts = [render(["step", "result", "duration", "last line of its output"], rows, right={2})]
    for outcome in outcomes:
        if not outcome.ok:
            tail = "\n".join(outcome.output.splitlines()[-_TAIL_LINES:])
            parts.append(f"\n{outcome.step.name} (`{' '.join(outcome.step.command)}`), last lines:\n{tail}")
    return "\n".join(parts)


def main() -> int:
    """Run and print every step.

    Returns:
        0 when every command succeeded, else 1 (its duration is printed all the same).
    """
    outcomes = [run(step) for step in steps()]
    print(report(outcomes))
    return 0 if all(outcome.ok for outcome in outcomes) else 1
