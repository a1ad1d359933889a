"""What is planted in copies of the Connect simulator (`test_planted_defects.py` runs them): a defect for every
Connect-specific check, each caught however it behaves (a tail that never closes is cut by the suite's stream
deadline), and the deviations Posit's contract allows."""

from contract_tests.planted_defects.planting import Defect, Deviation

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
        "return EmptyReply(204) if error is None else Reply(200, error)",
        "return EmptyReply(200) if error is None else Reply(200, error)",
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
        "return Reply(200, jobs.job_log(_guid(request), _key(request), max_lines))",
        "return Reply(200, jobs.job_log(_guid(request), _key(request), DEFAULT_MAX_LOG_LINES))",
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
        "            if job.status(now, self.timing) not in KILLABLE:\n"
        "                raise ConnectError(ErrorCode.JOB_NOT_ACTIVE)\n",
        "",
        "test_kill_ends_an_active_job_and_a_second_kill_is_409_code_163",
    ),
    # issue 13: every role on every operation
    Defect(
        "a-viewer-may-download-the-log",
        "mock_server/connect/routes.py",
        '"JobDownloadLog": PERMITTED,',
        '"JobDownloadLog": PERMITTED | {Role.VIEWER},',
        "test_a_viewer_is_refused_on_every_operation_and_its_kill_leaves_the_job_running",
        module="test_roles",
        selection="test_a_viewer_is_refused_on_every_operation",
        live=True,
    ),
    Defect(
        "a-viewer-kills-a-running-job",
        "mock_server/connect/routes.py",
        '"KillJob": PERMITTED,',
        '"KillJob": PERMITTED | {Role.VIEWER},',
        "test_a_viewer_is_refused_on_every_operation_and_its_kill_leaves_the_job_running",
        module="test_roles",
        selection="test_a_viewer_is_refused_on_every_operation",
        live=True,
    ),
    # issue 13: parameters take effect
    Defect(
        "max-log-lines-keeps-the-first-entries",
        "mock_server/connect/jobs.py",
        "written[-max_lines:]",
        "written[:max_lines]",
        "test_max_log_lines_gives_the_last_n_entries_of_the_whole_log",
        module="test_parameters",
        selection="test_max_log_lines_gives_the_last_n_entries_of_the_whole_log",
        live=True,
        contradicts="/x-facts/max-log-lines-keeps-the-latest",
    ),
    Defect(
        "default-download-name-swaps-variant-and-bundle",
        "mock_server/connect/jobs.py",
        'return f"rstudio-connect.{self.content.app_id}.{self.variant_id}.{self.bundle_id}.{self.tag}.{self.key}.log"',
        'return f"rstudio-connect.{self.content.app_id}.{self.bundle_id}.{self.variant_id}.{self.tag}.{self.key}.log"',
        "test_filename_names_the_download_and_changes_nothing_else",
        module="test_parameters",
        selection="test_filename_names_the_download_and_changes_nothing_else",
        live=True,
    ),
    # issue 13: writes change exactly what they say
    Defect(
        "kill-marks-every-job-of-the-content-killed",
        "mock_server/connect/jobs.py",
        "            job.killed_at = now\n",
        "            for other in job.content.jobs:\n"
        "                other.killed_at = other.killed_at or now\n"
        "            job.killed_at = now\n",
        "test_a_kill_ends_its_job_within_the_bound_and_changes_no_other",
        module="test_writes",
        selection="test_a_kill_ends_its_job_within_the_bound_and_changes_no_other",
        live=True,
    ),
    # issue 13: answers about what was asked (x-echo), reads that agree (x-jobs)
    Defect(
        "get-answers-with-the-contents-first-job",
        "mock_server/connect/jobs.py",
        "            return self._job(guid, key, now).to_json(now, self.timing)\n",
        "            self._job(guid, key, now)\n"
        "            return self._observed(guid, now).jobs[0].to_json(now, self.timing)\n",
        "test_no_key_ever_comes_back",
        selection="test_no_key_ever_comes_back",
        live=True,
        fact="echo GetJob: $response.body#/key = $request.path.key",
    ),
    Defect(
        "list-shows-finalized-jobs-active",
        "mock_server/connect/jobs.py",
        "            return [job.to_json(now, self.timing) for job in reversed(content.jobs)]\n",
        '            return [{**job.to_json(now, self.timing), "status": 0} for job in reversed(content.jobs)]\n',
        "test_a_kill_ends_its_job_within_the_bound_and_changes_no_other",
        module="test_writes",
        selection="test_a_kill_ends_its_job_within_the_bound_and_changes_no_other",
        live=True,
        fact="job status moves only as x-jobs/moves allows",
    ),
]


# What a server honouring Posit's contract may do, and this copy of the simulator does, although an assumed fact of
# openapi/connect.yaml says otherwise (or the sources leave it open). Run live against it, the suite must pass and list
# each assumption.
LOG = "/paths/~1v1~1content~1{guid}~1jobs~1{key}~1log/get"
DOWNLOAD = "/paths/~1v1~1content~1{guid}~1jobs~1{key}~1download/get"
DEVIATIONS = [
    Deviation(
        "jobs-without-a-queue-name",
        "mock_server/connect/jobs.py",
        '            "queue_name": self.queue_name,\n',
        "",
        "/components/schemas/JobItem/required/queue_name",
    ),
    Deviation(
        "a-log-of-no-lines-on-request",
        "openapi/connect.yaml",
        "            type: integer\n            minimum: 1\n            default: 5000\n",
        "            type: integer\n            default: 5000\n",
        f"{LOG}/parameters/0/schema/minimum",
    ),
    Deviation(
        "no-lines-for-max-log-lines-0",
        "mock_server/connect/jobs.py",
        "written[-max_lines:]",
        "(written[-max_lines:] if max_lines > 0 else [])",
        None,
    ),
    Deviation(
        "the-log-file-as-octet-stream",
        "mock_server/connect/routes.py",
        'media_type: str = "text/plain; charset=utf-8"',
        'media_type: str = "application/octet-stream"',
        f"{DOWNLOAD}/responses/200/content/text~1plain",
    ),
    Deviation(
        "an-unknown-route-is-connects-json-404",
        "mock_server/connect/app.py",
        'return PlainTextResponse(PAGE_NOT_FOUND, 404, headers={"X-Content-Type-Options": "nosniff"})',
        "raise ConnectError(ErrorCode.UNSUPPORTED, status=404)",
        "/x-facts/unknown-route-is-plain-text-404",
    ),
    Deviation(
        "the-tail-as-server-sent-events",
        "mock_server/connect/tail.py",
        "            yield json_line(entry)",
        '            yield b"data: " + json_line(entry) + b"\\n"',
        None,
        observed="framing: server-sent events",
    ),
]
