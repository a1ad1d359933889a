"""What is planted in copies of the slurper simulator (`test_planted_defects.py` runs them): the defects the suite
must catch, and the deviations Cloudflare's contract allows."""

from contract_tests.planted_defects.planting import Defect, Deviation

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
        '"pause": Move(frozenset({JobStatus.RUNNING}), JobStatus.PAUSED,',
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
