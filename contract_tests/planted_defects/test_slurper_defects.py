"""The conformance suite is itself tested: each test plants one defect in a copy of the slurper simulator, runs the
suite against that copy, and asserts that the suite fails and that its summary names the problem and shows how to
reproduce it. A control run against an unchanged copy must pass, so a failure is the defect's doing."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.documents import ROOT


@dataclass(frozen=True)
class Defect:
    name: str
    file: str
    original: str
    planted: str
    caught_by: str

    def __str__(self) -> str:
        return self.name


DEFECTS = [
    Defect(
        "wrong-enum-value",
        "mock_server/slurper/jobs.py",
        '"overwrite": self.overwrite,\n            "status": self.status.value,',
        '"overwrite": self.overwrite,\n            "status": self.status.value.replace("running", "active"),',
        "response_schema_conformance",
    ),
    Defect(
        "200-instead-of-201",
        "mock_server/slurper/routes.py",
        'return 201, {"id": slurper.create_job(',
        'return 200, {"id": slurper.create_job(',
        "status_code_conformance",
    ),
    Defect(
        "missing-auth-check",
        "mock_server/slurper/app.py",
        "        authenticate(request.headers, self._settings.credentials)\n",
        "",
        "credentials_are_enforced",
    ),
    Defect(
        "500-on-bad-input",
        "mock_server/slurper/app.py",
        "raise SlurperError(PROBLEM_ERRORS[problem.kind], problem.message, pointer=problem.pointer) from None",
        "raise RuntimeError(problem.message) from None",
        "not_a_server_error",
    ),
    Defect(
        "credential-echoed",
        "mock_server/slurper/routes.py",
        'return 201, {"id": slurper.create_job(_account(request), request.body)}',
        'return 201, {"id": slurper.create_job(_account(request), request.body), **(request.body.get("source") or {})}',
        "no_secret_echo",
    ),
    Defect(
        "wrong-error-envelope",
        "mock_server/slurper/errors.py",
        'return {"success": False, "errors": [detail], "messages": [], "result": None}',
        'return {"success": False, "error": detail["message"]}',
        "response_schema_conformance",
    ),
    Defect(
        "pause-allowed-on-completed-job",
        "mock_server/slurper/jobs.py",
        "if job.status is not JobStatus.RUNNING:\n                raise SlurperError(ErrorCode.JOB_NOT_RUNNING)",
        "if job.status is JobStatus.PAUSED:\n                raise SlurperError(ErrorCode.JOB_NOT_RUNNING)",
        "test_a_completed_job_cannot_be_paused",
    ),
    Defect(
        "job-visible-from-another-account",
        "mock_server/slurper/jobs.py",
        "job = self._accounts.get(account_id, {}).get(job_id)",
        "job = next((jobs[job_id] for jobs in self._accounts.values() if job_id in jobs), None)",
        "test_a_job_is_invisible_from_another_account",
    ),
]


def _copy_with(tmp_path: Path, defect: Defect | None) -> Path:
    copy = tmp_path / "repository"
    shutil.copytree(ROOT / "openapi", copy / "openapi")
    shutil.copytree(ROOT / "mock_server", copy / "mock_server", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    if defect is not None:
        source = copy / defect.file
        text = source.read_text()
        assert text.count(defect.original) == 1, f"{defect}: the code to change is no longer in {defect.file}"
        source.write_text(text.replace(defect.original, defect.planted))
    return copy


def _run_suite(copy: Path) -> tuple[int, str, str]:
    reports = copy / "reports"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests/server",
            "--api",
            "slurper",
            "--mock-root",
            str(copy),
            "--lenient-mock",
            "--max-examples",
            "5",
            "--report-dir",
            str(reports),
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
        ],
        cwd=ROOT,
        # Not a pytest-xdist worker's environment: the inner run must write its own summary.
        env={name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = (reports / "conformance-summary.md").read_text()
    return result.returncode, summary, result.stdout + result.stderr


def test_the_suite_passes_on_an_unchanged_copy(tmp_path: Path) -> None:
    returncode, summary, output = _run_suite(_copy_with(tmp_path, None))

    assert returncode == 0, output[-3000:]
    assert "0 distinct check failures" in summary


@pytest.mark.parametrize("defect", DEFECTS, ids=str)
def test_the_suite_catches_a_planted_defect(tmp_path: Path, defect: Defect) -> None:
    returncode, summary, output = _run_suite(_copy_with(tmp_path, defect))

    assert returncode == 1, f"{defect} went unnoticed:\n{output[-3000:]}"
    assert defect.caught_by in summary, f"{defect}: the summary does not name {defect.caught_by}:\n{summary}"
    if defect.caught_by.startswith("test_"):
        assert f"`contract_tests/server/slurper/test_lifecycle.py::{defect.caught_by}" in summary
    else:
        assert f"`{defect.caught_by}`" in summary
        assert "curl -X" in summary
