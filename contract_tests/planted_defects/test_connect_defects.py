"""The Connect part of the conformance suite is tested: each test plants one defect in a copy of the Connect
simulator, runs the suite against that copy, and asserts that the suite fails and that its summary names the check
(or the lifecycle test) that caught it, with a reproduction. A control run against an unchanged copy must pass, so a
failure is the defect's doing. Every Connect-specific check has a defect that it catches, and the run stays short
however a defect behaves: a tail that never closes is cut by the suite's stream deadline."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.documents import ROOT

API = "connect"


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
        "numeric-id-sent-as-a-number",
        "mock_server/connect/jobs.py",
        '"id": str(self.id),',
        '"id": self.id,',
        "response_schema_conformance",
    ),
    Defect(
        "200-instead-of-204-with-an-empty-body",
        "mock_server/connect/routes.py",
        "return EmptyReply(204) if error is None else JSONReply(200, error)",
        "return EmptyReply(200) if error is None else JSONReply(200, error)",
        "response_schema_conformance",
    ),
    Defect(
        "viewer-allowed-to-kill",
        "mock_server/connect/routes.py",
        '"KillJob": PERMITTED,',
        '"KillJob": PERMITTED | {Role.VIEWER},',
        "viewers_are_refused",
    ),
    Defect(
        "wrong-error-body-shape",
        "mock_server/connect/errors.py",
        'return {"code": self.error.code, "error": self.message, "payload": None}',
        'return {"error": {"code": self.error.code, "message": self.message}}',
        "response_schema_conformance",
    ),
    Defect(
        "tail-never-closes",
        "mock_server/connect/tail.py",
        "        if finalized:\n            return\n",
        "",
        "tail_ends_once_finalized",
    ),
    Defect(
        "tail-closes-before-the-job-is-finalized",
        "mock_server/connect/tail.py",
        "        if finalized:\n            return\n",
        "        return\n",
        # With five cases per operation no generated tail meets a running job; the lifecycle test follows one.
        "test_a_running_job_is_followed_entry_by_entry_until_it_is_finalized",
    ),
    Defect(
        "unknown-key-accepted",
        "mock_server/connect/auth.py",
        "        raise ConnectError(ErrorCode.UNAUTHENTICATED)\n    return found",
        "        return Role.OWNER\n    return found",
        "ignored_auth",
    ),
    Defect(
        "max-log-lines-ignored",
        "mock_server/connect/routes.py",
        "return JSONReply(200, jobs.job_log(_guid(request), _key(request), max_lines))",
        "return JSONReply(200, jobs.job_log(_guid(request), _key(request), DEFAULT_MAX_LOG_LINES))",
        "log_respects_max_log_lines",
    ),
    Defect(
        "download-ignores-the-file-name",
        "mock_server/connect/routes.py",
        'name = str(request.query.get("filename") or default_name)',
        "name = default_name",
        "download_names_the_file",
    ),
    Defect(
        "finished-job-killed-again",
        "mock_server/connect/jobs.py",
        "            if job.status(now, self.timing) is not JobStatus.ACTIVE:\n"
        "                raise ConnectError(ErrorCode.JOB_NOT_ACTIVE)\n",
        "",
        "test_kill_ends_an_active_job_and_a_second_kill_is_409_code_163",
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
            API,
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
        assert f"`contract_tests/server/{API}/test_lifecycle.py::{defect.caught_by}" in summary
    else:
        assert f"`{defect.caught_by}`" in summary
        assert "curl -X" in summary
