"""How a defect is planted, whatever the API: copy the simulators, plant one defect (or a set of deviations) in the
copy, and run the conformance suite of one API against that copy in a subprocess (`test_planted_defects.py` judges
what it reports). What is planted in each API's simulator is `DEFECTS` and `DEVIATIONS` in
`contract_tests/planted_defects/<api>.py`, one module for every API of the registry that has a suite (`all_planted`).

A defect is a literal edit (`original` -> `planted`) of one file under `mock_server/`; the edit must still apply, so
a refactoring of the simulator that moves the code fails loudly here instead of testing nothing. `caught_by` names
what must report it: a check (`not_a_server_error`, ...), whose summary entry must carry a `curl` reproduction, or a
test (`test_...`) of one of the API's test modules in `contract_tests/server/<api>/` (`module`). A defect of the
meaning classes (`live`) must be caught in live mode too, against the copy started as a separate server; `selection`
(pytest's `-k`) runs only the tests that matter for it, which keeps the many runs short.
"""

import importlib
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract_tests.documents import ROOT
from contract_tests.server.targets import target_settings
from contract_tests.suite_process import run_conformance_suite
from generator.registry import load_apis
from mock_server.launcher import launch

# Few generated cases per operation keep each run short; every planted defect is caught with them.
MAX_EXAMPLES = "5"
SHOWN_OUTPUT = 3000


@dataclass(frozen=True)
class Defect:
    """One bug planted in a copy of a simulator.

    Attributes:
        name: What the bug is, as the test id.
        file: The file it goes into, relative to the repository.
        original: The code it replaces (must occur exactly once).
        planted: The buggy code.
        caught_by: The check or test that must report it.
        module: The test module of `contract_tests/server/<api>/` whose test `caught_by` is.
        selection: pytest's `-k` expression for the tests that matter, when they are not just `caught_by` (`tests`).
        live: Whether it must be caught in live mode as well as against the simulator.
        contradicts: For a defect that breaks an assumed fact: the fact's JSON pointer in openapi/<api>.yaml. In live
            mode such a break is reported, not failed: the run must pass and list that contradiction.
        fact: The behaviour fact the summary must name, where the test that fails could fail for other reasons too.
    """

    name: str
    file: str
    original: str
    planted: str
    caught_by: str
    module: str = "test_lifecycle"
    selection: str | None = None
    live: bool = False
    contradicts: str | None = None
    fact: str | None = None

    def __str__(self) -> str:
        return self.name

    @property
    def tests(self) -> str:
        """pytest's `-k` expression for the tests that matter: `selection`, or the test that must catch it, or the
        schemathesis tests for a check (the lifecycle tests cannot report a check's failure)."""
        if self.selection is not None:
            return self.selection
        if self.caught_by.startswith("test_"):
            return self.caught_by
        return "test_operation_conforms or test_stateful_links"


@dataclass(frozen=True)
class Deviation:
    """One thing a copy of a simulator does that the vendor's contract allows, but an assumed fact of the document
    does not: the opposite of a defect. A live-mode run must pass such a copy and list the assumption.

    Attributes:
        name: What the copy does.
        file: The file it goes into, relative to the repository (a simulator's code, or the copy's own document).
        original: The code it replaces (must occur exactly once).
        planted: The code of the copy.
        contradicts: The JSON pointer, in openapi/<api>.yaml, of the assumed fact the run must list; None for a
            difference the sources leave open and the run only notes (`observed`).
        observed: What the run's observations must say about the difference, if anything.
    """

    name: str
    file: str
    original: str
    planted: str
    contradicts: str | None
    observed: str | None = None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Planted:
    """What is planted in one API's simulator.

    Attributes:
        api: The API.
        defects: The bugs, one copy each, that its suite must catch.
        deviations: What one copy does that the vendor's contract allows, which its suite must pass live.
    """

    api: str
    defects: Sequence[Defect]
    deviations: Sequence[Deviation]


def all_planted() -> list[Planted]:
    """What is planted in each simulator, for every API of the registry that has a conformance suite, in the
    registry's order.

    Raises:
        LookupError: An API's suite has no planted defects.
    """
    found = []
    for api in load_apis().values():
        if not api.suite:
            continue
        try:
            module = importlib.import_module(f"contract_tests.planted_defects.{api.name}")
        except ModuleNotFoundError as missing:
            raise LookupError(
                f"contract_tests/planted_defects/{api.name}.py must plant defects for its suite"
            ) from missing
        found.append(Planted(api.name, module.DEFECTS, module.DEVIATIONS))
    return found


def copy_with(tmp_path: Path, changes: Defect | Sequence[Defect | Deviation] | None) -> Path:
    """Copy the documents, the simulators (without their tests) and the registry they are found by, with `changes`
    planted.

    Args:
        tmp_path: Where the copy goes.
        changes: The bug (or the deviations) to plant, or None for an unchanged copy.

    Returns:
        The root of the copy.
    """
    copy = tmp_path / "repository"
    shutil.copytree(ROOT / "openapi", copy / "openapi")
    shutil.copytree(ROOT / "mock_server", copy / "mock_server", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    # `python -m mock_server` reads the registry for its subcommands (generator/registry.py imports nothing else).
    (copy / "generator").mkdir()
    for name in ("__init__.py", "registry.py", "apis.toml"):
        shutil.copy2(ROOT / "generator" / name, copy / "generator" / name)
    for change in [changes] if isinstance(changes, Defect) else changes or []:
        source = copy / change.file
        text = source.read_text()
        assert text.count(change.original) == 1, f"{change}: the code to change is no longer in {change.file}"
        source.write_text(text.replace(change.original, change.planted))
    return copy


@dataclass(frozen=True)
class Finished:
    """One finished run of a suite.

    Attributes:
        returncode: pytest's exit code.
        summary: The run's Markdown summary.
        report: The run's `conformance.json`.
        output: What the run printed.
    """

    returncode: int
    summary: str
    report: dict[str, Any]
    output: str


def _finished(result: subprocess.CompletedProcess[str], reports: Path) -> Finished:
    return Finished(
        result.returncode,
        (reports / "conformance-summary.md").read_text(),
        json.loads((reports / "conformance.json").read_text()),
        result.stdout + result.stderr,
    )


def _selected(selection: str | None) -> tuple[str, ...]:
    return () if selection is None else ("-k", selection)


def run_suite(api: str, copy: Path, selection: str | None = None) -> Finished:
    """Run one API's conformance suite against the simulator of a copy.

    Args:
        api: The API.
        copy: The root of the copy (`copy_with`).
        selection: pytest's `-k` expression for the tests to run, or None for all of them.

    Returns:
        The finished run.
    """
    reports = copy / "reports"
    result = run_conformance_suite(
        api,
        reports,
        "--mock-root",
        str(copy),
        "--lenient-mock",
        "--max-examples",
        MAX_EXAMPLES,
        *_selected(selection),
    )
    return _finished(result, reports)


def run_live(api: str, copy: Path, reports: Path, *options: str, selection: str | None = None) -> Finished:
    """Run one API's conformance suite in live mode (`--base-url`, `--allow-writes`) against a copy of its simulator
    started as a separate server, the way a user points it at a real one.

    Args:
        api: The API.
        copy: The root of the copy (`copy_with`).
        reports: Where the run writes its reports.
        options: More options of the suite (`--strict-assumptions`, ...).
        selection: pytest's `-k` expression for the tests to run, or None for all of them.

    Returns:
        The finished run.
    """
    settings = target_settings(api)
    server = launch(api, *settings.mock_arguments, root=copy)
    try:
        credentials = settings.live_environment_of_mock(server.announcement)
        environment = {name: value for name, value in os.environ.items() if name not in credentials}
        result = run_conformance_suite(
            api,
            reports,
            "--base-url",
            server.announcement.base_url,
            "--allow-writes",
            "--max-examples",
            MAX_EXAMPLES,
            *options,
            *_selected(selection),
            env=environment | credentials,
        )
    finally:
        server.stop()
    return _finished(result, reports)
