"""The RekoSearch part of the conformance suite is tested: each test plants one defect in a copy of the RekoSearch
simulator, runs the suite against that copy, and asserts that the suite fails and that its summary names the check
(or the lifecycle test) that caught it, with a reproduction. A control run against an unchanged copy must pass, so a
failure is the defect's doing. Every RekoSearch-specific check has a defect that it catches."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.documents import ROOT

API = "rekosearch"


@dataclass(frozen=True)
class Defect:
    name: str
    file: str
    original: str
    planted: str
    caught_by: str

    def __str__(self) -> str:
        return self.name


GET_JOB = """            job = user.jobs.get(job_id)
            if job is None:
                raise errors.job_does_not_exist()
            details = job.details(user.user_id, self._clock())"""

DEFECTS = [
    Defect(
        "another-users-job-visible",
        "mock_server/rekosearch/jobs.py",
        GET_JOB,
        """            owner = next((u for u in (user, *self._users) if job_id in u.jobs), user)
            job = owner.jobs.get(job_id)
            if job is None:
                raise errors.job_does_not_exist()
            details = job.details(owner.user_id, self._clock())""",
        "test_another_users_job_is_not_found",
    ),
    Defect(
        "500-on-malformed-job-id",
        "mock_server/rekosearch/app.py",
        "    return errors.query_parameter_malformed(parameter.name, json_type)",
        "    raise RuntimeError(problem.message)",
        "not_a_server_error",
    ),
    Defect(
        "date-in-another-format",
        "mock_server/rekosearch/jobs.py",
        'return f"{moment:%Y-%m-%d %H:%M:%S}.{fraction:09d} UTC"',
        'return f"{moment:%Y-%m-%dT%H:%M:%S}.{fraction:09d}Z"',
        "response_schema_conformance",
    ),
    Defect(
        "missing-affected-query-parameter",
        "mock_server/rekosearch/errors.py",
        'body["affected_query_parameter"] = self.affected_query_parameter',
        'body["parameter"] = self.affected_query_parameter',
        "response_schema_conformance",
    ),
    Defect(
        "affected-query-parameter-names-the-wrong-one",
        "mock_server/rekosearch/app.py",
        "        return errors.query_parameter_missing(parameter.name, json_type)",
        '        return errors.query_parameter_missing("job-id", "integer")',
        "query_errors_name_the_parameter",
    ),
    Defect(
        "401-with-another-body",
        "mock_server/rekosearch/errors.py",
        "return RekoSearchError(401, UNAUTHORIZED, headers=",
        'return RekoSearchError(401, "Invalid token", headers=',
        "unauthorized_is_api_gateways",
    ),
    Defect(
        "405-for-an-undocumented-method",
        "mock_server/rekosearch/app.py",
        "            if match is None or isinstance(match, MethodNotAllowed):\n",
        "            if isinstance(match, MethodNotAllowed):\n"
        '                raise RekoSearchError(405, "Method Not Allowed", headers={"Allow": ",".join(match.allowed)})\n'
        "            if match is None:\n",
        "unknown_route_is_not_found",
    ),
    Defect(
        "delete-keeps-the-job",
        "mock_server/rekosearch/jobs.py",
        "user.jobs.pop(job_id, None)",
        "user.jobs.get(job_id)",
        "rpc_use_after_free",
    ),
    Defect(
        "unknown-job-answered-with-another",
        "mock_server/rekosearch/jobs.py",
        GET_JOB,
        GET_JOB.replace("user.jobs.get(job_id)", "user.jobs.get(job_id) or next(iter(user.jobs.values()), None)"),
        "job_details_match_request",
    ),
    Defect(
        "job-shown-with-another-users-id",
        "mock_server/rekosearch/jobs.py",
        GET_JOB,
        GET_JOB.replace("job.details(user.user_id,", "job.details(self._users[-1].user_id,"),
        "job_belongs_to_caller",
    ),
    Defect(
        "missing-auth-check",
        "mock_server/rekosearch/app.py",
        "user = authenticate(request.headers, self._jobs)",
        "user = self._jobs.users()[0]",
        "credentials_are_enforced",
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
