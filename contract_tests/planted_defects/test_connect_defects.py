"""The Connect part of the conformance suite is tested: each test plants one defect in a copy of the Connect
simulator, runs the suite against that copy, and asserts that the suite fails and that its summary names the check
(or the lifecycle test) that caught it, with a reproduction. A control run against an unchanged copy must pass, so a
failure is the defect's doing. Every Connect-specific check has a defect that it catches, and the run stays short
however a defect behaves: a tail that never closes is cut by the suite's stream deadline."""

from pathlib import Path

import pytest

from contract_tests.planted_defects.planting import (
    Defect,
    assert_the_suite_catches,
    assert_the_suite_passes_on_an_unchanged_copy,
)

API = "connect"

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
        # Only the tail's own media type check sees it: schemathesis validates a body only in a documented media
        # type, and its `content_type_conformance` is replaced on the tail (contract_tests/server/connect/checks.py).
        "tail-labelled-as-html",
        "mock_server/connect/app.py",
        "return StreamingResponse(entries, reply.status, media_type=media_type)",
        'return StreamingResponse(entries, reply.status, media_type="text/html")',
        "tail_media_type",
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


def test_the_suite_passes_on_an_unchanged_copy(tmp_path: Path) -> None:
    assert_the_suite_passes_on_an_unchanged_copy(API, tmp_path)


@pytest.mark.parametrize("defect", DEFECTS, ids=str)
def test_the_suite_catches_a_planted_defect(tmp_path: Path, defect: Defect) -> None:
    assert_the_suite_catches(API, defect, tmp_path)
