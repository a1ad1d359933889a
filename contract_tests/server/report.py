"""What a conformance run found (`Recorder`); `rendering` shows it.

schemathesis calls `record_validation` after checking each response (its `after_validate` hook); pytest reports every
other test's outcome. Under pytest-xdist each worker writes its part to a JSON file and the controller merges them.
Every known secret is replaced before anything is written, and again when anything is rendered.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REDACTED = "[REDACTED]"


@dataclass
class Recorder:
    """Everything a run found, per API and operation ("slurper GET /accounts/{account_id}/slurper/jobs").

    Attributes:
        cases: Generated cases per operation and phase.
        checks: Per operation and check: [runs, failures, contradicted assumptions].
        failures: Distinct failures: operation, check, title, reproduction, and the fact behind it (`fact`: where
            in which document, and its mark), when one is known.
        contradictions: Distinct contradicted assumptions (`verdicts.Contradiction.to_json`): a live server did
            something a source allows but an assumed fact of the document does not. Failures only with
            --strict-assumptions, and against the simulators (which follow every assumption).
        observations: What the suite noticed about a server that is neither right nor wrong, per operation (for
            example which framing a stream used).
        tests: Outcome of every other test, by node id.
        secrets: Credentials of the run, replaced before anything is written.
        run: What the run was against: `target` ("simulators" or the live base URL), `strict_assumptions`.
    """

    cases: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    checks: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    )
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    contradictions: dict[str, dict[str, Any]] = field(default_factory=dict)
    observations: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tests: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    run: dict[str, Any] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    def record_validation(
        self,
        api: str,
        operation: str,
        phase: str,
        results: list[Any],
        reproduction: str,
        fact_of: Callable[[Any], dict[str, str] | None] = lambda failure: None,
    ) -> None:
        """Count one validated response of schemathesis' and keep its failures.

        Args:
            api: The API.
            operation: The operation's label ("GET /path").
            phase: The phase it was generated in.
            results: The checks' results.
            reproduction: The case as a curl command.
            fact_of: The fact behind a failure, when the run knows it (`verdicts.fact_of_failure`).
        """
        key = f"{api} {operation}"
        self.cases[key][phase] += 1
        for result in results:
            counts = self.checks[key][result.name]
            counts[0] += 1
            if result.failure is not None:
                counts[1] += 1
                title = result.failure.title
                entry: dict[str, Any] = {
                    "operation": key,
                    "check": result.name,
                    "title": title,
                    "reproduction": self.redact(reproduction),
                }
                fact = fact_of(result.failure)
                if fact is not None:
                    entry["fact"] = fact
                self.failures.setdefault(f"{key} {result.name} {title}", entry)

    def record_contradiction(self, key: str, check: str | None, contradiction: dict[str, Any]) -> None:
        """A live server contradicted an assumed fact, and the run does not fail for it.

        Args:
            key: "<api> <operation label>".
            check: The check that found it (None for a lifecycle test's assertion).
            contradiction: What was assumed, where, what the server did, and its reproduction.
        """
        if check is not None:
            self.checks[key][check][2] += 1
        entry = {**contradiction, "operation": key, "check": check}
        entry = {name: self.redact(value) if isinstance(value, str) else value for name, value in entry.items()}
        self.contradictions.setdefault(f"{key} {entry['document']}#{entry['pointer']}", entry)

    def observe(self, key: str, text: str) -> None:
        """Note something about a server that is neither right nor wrong (once per text)."""
        if text not in self.observations[key]:
            self.observations[key].append(self.redact(text))

    def record_test(self, nodeid: str, outcome: str, message: str) -> None:
        self.tests[nodeid] = outcome if outcome == "passed" else f"{outcome}: {self.redact(message)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "checks": self.checks,
            "failures": self.failures,
            "contradictions": self.contradictions,
            "observations": self.observations,
            "tests": self.tests,
            "run": self.run,
        }

    def write_part(self, directory: Path, worker: str) -> None:
        """Write what this pytest-xdist worker found, for the controller to merge."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f".conformance-part-{worker}.json").write_text(json.dumps(self.to_json()))

    def merge_parts(self, directory: Path) -> None:
        """Merge (and remove) the parts the workers wrote."""
        for part in sorted(directory.glob(".conformance-part-*.json")):
            self.merge(json.loads(part.read_text()))
            part.unlink()

    def merge(self, data: dict[str, Any]) -> None:
        for key, phases in data["cases"].items():
            for phase, count in phases.items():
                self.cases[key][phase] += count
        for key, checks in data["checks"].items():
            for name, counts in checks.items():
                for position, count in enumerate(counts):
                    self.checks[key][name][position] += count
        for name, failure in data["failures"].items():
            self.failures.setdefault(name, failure)
        for name, contradiction in data["contradictions"].items():
            self.contradictions.setdefault(name, contradiction)
        for key, notes in data["observations"].items():
            for note in notes:
                self.observe(key, note)
        self.tests.update(data["tests"])
        self.run.update(data["run"])
