"""Run the conformance suite in a process of its own, the way a user runs it: what the planted-defect tests and the
live-mode tests share."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from contract_tests.documents import ROOT

SUITE_TIMEOUT_SECONDS = 600


def run_conformance_suite(
    api: str, report_dir: Path, *options: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m pytest contract_tests/server --api <api> --report-dir <report_dir> -q <options>`, from the root.

    Args:
        api: The API whose suite runs.
        report_dir: Where the run writes its Markdown summary.
        options: More options of the suite (`--base-url`, `--mock-root`, `--max-examples`, ...).
        env: The run's environment; this process's when None. pytest's own `PYTEST_*` variables are left out either
            way: a pytest-xdist worker's would make the inner run write a part of a summary instead of its own.

    Returns:
        The finished process, with its output.
    """
    environment = {
        name: value for name, value in (os.environ if env is None else env).items() if not name.startswith("PYTEST_")
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests/server",
            "--api",
            api,
            "--report-dir",
            str(report_dir),
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            *options,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT_SECONDS,
    )
