"""What is planted in copies of the slurper simulator (`test_planted_defects.py` runs them): the defects the suite
must catch, and the deviations Cloudflare's contract allows."""

from contract_tests.planted_defects.planting import Defect, Deviation

# From authentication to running an operation (mock_server/slurper/app.py): a defect there can tell operations apart.
SLURPER_AUTHENTICATION_TO_RUN = """    def authenticate(self, headers: Headers) -> None:
        \"\"\"Let a request in only with the accepted token or e-mail and key (raises the failure otherwise).\"\"\"
        auth.authenticate(headers, self._credentials)

    def request_problem(self, problem: RequestProblem) -> SlurperError:
        return SlurperError(PROBLEM_ERRORS[problem.kind], problem.message, pointer=problem.pointer)

    def run(self, operation: Operation, request: ParsedRequest, caller: None) -> Reply:
        status, result = ROUTES[operation.operation_id](self._slurper, request)
"""

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
        "        auth.authenticate(headers, self._credentials)\n",
        "",
        "credentials_are_enforced",
    ),
    Defect(
        "500-on-bad-input",
        "mock_server/slurper/app.py",
        "return SlurperError(PROBLEM_ERRORS[problem.kind], problem.message, pointer=problem.pointer)",
        "raise RuntimeError(problem.message)",
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
        '"pause": Move(_moving_to(JobStatus.PAUSED), JobStatus.PAUSED,',
        '"pause": Move(frozenset(JobStatus) - {JobStatus.PAUSED}, JobStatus.PAUSED,',
        "test_a_completed_job_cannot_be_paused",
    ),
    Defect(
        "job-visible-from-another-account",
        "mock_server/slurper/jobs.py",
        "job = self._accounts.get(account_id, {}).get(job_id)",
        "job = next((jobs[job_id] for jobs in self._accounts.values() if job_id in jobs), None)",
        "test_a_job_is_invisible_from_another_account",
    ),
    # issue 13: every role on every operation
    Defect(
        # The progress lets the right e-mail in with any key; every other operation checks the whole pair.
        "progress-takes-the-right-email-with-a-wrong-key",
        "mock_server/slurper/app.py",
        SLURPER_AUTHENTICATION_TO_RUN,
        SLURPER_AUTHENTICATION_TO_RUN.replace(
            "        auth.authenticate(headers, self._credentials)\n",
            "        try:\n"
            "            auth.authenticate(headers, self._credentials)\n"
            "        except SlurperError:\n"
            '            if headers.get("authorization") or headers.get("x-auth-email", "").strip().lower() != (\n'
            "                self._credentials.email.lower()\n"
            '            ) or not headers.get("x-auth-key", "").strip():\n'
            "                raise\n"
            '            return "right e-mail, wrong key"  # type: ignore[return-value]\n',
        ).replace(
            "        status, result = ROUTES",
            '        if caller is not None and operation.operation_id != "slurper-get-job-progress":\n'
            "            raise SlurperError(ErrorCode.UNKNOWN_API_KEY)\n"
            "        status, result = ROUTES",
        ),
        "test_every_operation_refuses_a_half_wrong_credential",
        module="test_roles",
        selection="test_every_operation_refuses_a_half_wrong_credential",
        live=True,
    ),
    # issue 13: parameters take effect
    Defect(
        "logs-ignore-the-offset",
        "mock_server/slurper/jobs.py",
        "return [entry.to_json() for entry in job.logs[offset : offset + limit]]",
        "return [entry.to_json() for entry in job.logs[:limit]]",
        "test_limit_and_offset_walk_a_jobs_log_without_overlap_or_gap",
        module="test_parameters",
        selection="test_limit_and_offset_walk_a_jobs_log_without_overlap_or_gap",
        live=True,
    ),
    Defect(
        "jobs-pages-overlap-by-one",
        "mock_server/slurper/jobs.py",
        "values())[offset : offset + limit]",
        "values())[max(offset - 1, 0) : max(offset - 1, 0) + limit]",
        "test_limit_and_offset_walk_the_jobs_list_without_overlap_or_gap",
        module="test_parameters",
        selection="test_limit_and_offset_walk_the_jobs_list_without_overlap_or_gap",
        live=True,
    ),
    # issue 13: writes change exactly what they say
    Defect(
        "pause-also-pauses-the-accounts-other-running-jobs",
        "mock_server/slurper/jobs.py",
        "            _make(job, move.target, move.log_type, self._clock())\n",
        "            _make(job, move.target, move.log_type, self._clock())\n"
        "            for other in self._accounts[account_id].values():\n"
        '                if operation == "pause" and other.status in move.sources:\n'
        "                    _make(other, move.target, move.log_type, self._clock())\n",
        "test_pause_resume_abort_and_delete_change_their_job_only",
        module="test_writes",
        selection="test_pause_resume_abort_and_delete_change_their_job_only",
        live=True,
    ),
    Defect(
        "abort-all-aborts-every-accounts-jobs",
        "mock_server/slurper/jobs.py",
        "            for job in self._accounts.get(account_id, {}).values():\n",
        "            for job in [each for jobs in self._accounts.values() for each in jobs.values()]:\n",
        "test_abort_all_aborts_every_active_job_of_the_account_only",
        module="test_writes",
        selection="test_abort_all_aborts_every_active_job_of_the_account_only",
        live=True,
    ),
    # issue 13: answers about what was asked (x-echo), reads that agree (x-jobs)
    Defect(
        "get-answers-with-the-accounts-first-job",
        "mock_server/slurper/jobs.py",
        "            return self._observe(account_id, job_id).to_json()\n",
        "            self._observe(account_id, job_id)\n"
        "            return next(iter(self._accounts[account_id].values())).to_json()\n",
        "test_pause_resume_abort_and_delete_change_their_job_only",
        module="test_writes",
        selection="test_pause_resume_abort_and_delete_change_their_job_only",
        live=True,
        fact="echo slurper-get-job: $response.body#/result/id = $request.path.job_id",
    ),
    Defect(
        "list-reports-the-listing-time-as-created-at",
        "mock_server/slurper/jobs.py",
        "            return [job.to_json() for job in page]\n",
        '            return [{**job.to_json(), "createdAt": format_timestamp(self._clock())} for job in page]\n',
        "test_pause_resume_abort_and_delete_change_their_job_only",
        module="test_writes",
        selection="test_pause_resume_abort_and_delete_change_their_job_only",
        live=True,
        fact="job /createdAt never changes",
        contradicts="/x-jobs/unchanging/0",
    ),
    Defect(
        "list-leaves-out-aborted-jobs",
        "mock_server/slurper/jobs.py",
        "            return [job.to_json() for job in page]\n",
        "            return [job.to_json() for job in page if job.status is not JobStatus.ABORTED]\n",
        "test_pause_resume_abort_and_delete_change_their_job_only",
        module="test_writes",
        selection="test_pause_resume_abort_and_delete_change_their_job_only",
        live=True,
        fact="a complete list holds every job",
    ),
]


# What a server honouring Cloudflare's contract may do, and each copy of the simulator below does, although an assumed
# fact of openapi/slurper.yaml says otherwise. Run live against that copy, the suite must pass and list each one.
DEVIATIONS = [
    Deviation(
        "progress-without-its-creation-time",
        "mock_server/slurper/jobs.py",
        '            "createdAt": format_timestamp(self.created_at),\n            "status": self.status.value,\n'
        '            "objects": len(self.objects),\n',
        '            "status": self.status.value,\n            "objects": len(self.objects),\n',
        "/components/schemas/JobProgress/required/createdAt",
    ),
    Deviation(
        "accepts-a-page-of-no-jobs",
        "openapi/slurper.yaml",
        "        minimum: 1\n        maximum: 50\n",
        "        maximum: 50\n",
        "/components/parameters/limit/schema/minimum",
    ),
    Deviation(
        "accepts-an-empty-bucket-name",
        "openapi/slurper.yaml",
        "          const: s3\n        bucket:\n          type: string\n          minLength: 1\n",
        "          const: s3\n        bucket:\n          type: string\n",
        "/components/schemas/S3Source/properties/bucket/minLength",
    ),
    Deviation(
        "a-missing-job-is-403",
        "mock_server/slurper/errors.py",
        'JOB_NOT_FOUND = 10404, 404, "Job not found"',
        'JOB_NOT_FOUND = 10404, 403, "Job not found"',
        "/x-facts/a-missing-job-is-404",
    ),
    Deviation(
        "resuming-writes-no-log-entry",
        "mock_server/slurper/jobs.py",
        "    job.logs.append(JobLog(now, job.id, log_type))\n",
        "    if log_type is not LogType.MIGRATION_RESUME:\n        job.logs.append(JobLog(now, job.id, log_type))\n",
        "/x-facts/log-records-each-transition",
    ),
]
