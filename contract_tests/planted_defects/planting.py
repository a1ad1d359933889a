"""What every planted-defect test does, whatever the API: copy the simulators, plant one defect in the copy, run the
conformance suite of one API against that copy in a subprocess, and judge the summary it writes.

A defect is a literal edit (`original` -> `planted`) of one file under `mock_server/`; the edit must still apply, so
a refactoring of the simulator that moves the code fails loudly here instead of testing nothing. `caught_by` names
what must report it: a check (`not_a_server_error`, ...), whose summary entry must carry a `curl` reproduction, or a
lifecycle test (`test_...`) of `contract_tests/server/<api>/test_lifecycle.py`.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from contract_tests.documents import ROOT
from contract_tests.suite_process import run_conformance_suite

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
        caught_by: The check or lifecycle test that must report it.
    """

    name: str
    file: str
    original: str
    planted: str
    caught_by: str

    def __str__(self) -> str:
        return self.name


def copy_with(tmp_path: Path, defect: Defect | None) -> Path:
    """Copy the documents and the simulators (without their tests), with `defect` planted when one is given.

    Args:
        tmp_path: Where the copy goes.
        defect: The bug to plant, or None for an unchanged copy.

    Returns:
        The root of the copy.
    """
    copy = tmp_path / "repository"
    shutil.copytree(ROOT / "openapi", copy / "openapi")
    shutil.copytree(ROOT / "mock_server", copy / "mock_server", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    if defect is not None:
        source = copy / defect.file
        text = source.read_text()
        assert text.count(defect.original) == 1, f"{defect}: the code to change is no longer in {defect.file}"
        source.write_text(text.replace(defect.original, defect.planted))
    return copy


def run_suite(api: str, copy: Path) -> tuple[int, str, str]:
    """Run one API's conformance suite against the simulator of a copy.

    Args:
        api: The API.
        copy: The root of the copy (`copy_with`).

    Returns:
        pytest's exit code, the Markdown summary and the run's output.
    """
    reports = copy / "reports"
    result = run_conformance_suite(
        api, reports, "--mock-root", str(copy), "--lenient-mock", "--max-examples", MAX_EXAMPLES
    )
    summary = (reports / "conformance-summary.md").read_text()
    return result.returncode, summary, result.stdout + result.stderr


def assert_the_suite_passes_on_an_unchanged_copy(api: str, tmp_path: Path) -> None:
    """The control run: without a defect the suite passes, so a failure in the other runs is the defect's doing.

    Args:
        api: The API.
        tmp_path: Where the copy goes.
    """
    returncode, summary, output = run_suite(api, copy_with(tmp_path, None))

    assert returncode == 0, output[-SHOWN_OUTPUT:]
    assert "0 distinct check failures" in summary


def assert_the_suite_catches(api: str, defect: Defect, tmp_path: Path) -> None:
    """The suite fails on a copy with `defect`, and its summary names what caught it, with a reproduction.

    Args:
        api: The API.
        defect: The bug.
        tmp_path: Where the copy goes.
    """
    returncode, summary, output = run_suite(api, copy_with(tmp_path, defect))

    assert returncode == 1, f"{defect} went unnoticed:\n{output[-SHOWN_OUTPUT:]}"
    assert defect.caught_by in summary, f"{defect}: the summary does not name {defect.caught_by}:\n{summary}"
    if defect.caught_by.startswith("test_"):
        assert f"`contract_tests/server/{api}/test_lifecycle.py::{defect.caught_by}" in summary
    else:
        assert f"`{defect.caught_by}`" in summary
        assert "curl -X" in summary
