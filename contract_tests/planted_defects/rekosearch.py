"""What is planted in copies of the RekoSearch simulator (`test_planted_defects.py` runs them): a defect for every
RekoSearch-specific check, and the deviations the RekoSearch API page allows."""

from contract_tests.planted_defects.planting import Defect, Deviation

# API Gateway's answer to a method a path does not have (mock_server/rekosearch/app.py, `wrong_method`).
WRONG_METHOD = (
    "        # API Gateway routes a method and a path together: a method the path does not have is no route either.\n"
    "        raise errors.not_found()\n"
)
GET_JOB = """            job = user.jobs.get(job_id)
            if job is None:
                raise errors.job_does_not_exist()
            details = job.details(user.user_id, self._clock())"""

# From authentication to running an operation (mock_server/rekosearch/app.py): a defect there can tell operations
# apart.
REKOSEARCH_AUTHENTICATION_TO_RUN = """    def authenticate(self, headers: Headers) -> User:
        return auth.authenticate(headers, self._jobs)

    def query(self, request: Request) -> Iterable[tuple[str, str]]:
        # An empty value counts as a missing one: there is no id in it either way.
        return [(name, value) for name, value in request.query_params.multi_items() if value]

    def request_problem(self, problem: RequestProblem) -> RekoSearchError:
        return _query_error(problem)

    def run(self, operation: Operation, request: ParsedRequest, caller: User) -> Reply:
        status, body = ROUTES[operation.operation_id](self._jobs, caller, request)
"""

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
        WRONG_METHOD,
        '        raise RekoSearchError(405, "Method Not Allowed", headers={"Allow": ",".join(allowed)})\n',
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
        "return auth.authenticate(headers, self._jobs)",
        "return self._jobs.users()[0]",
        "credentials_are_enforced",
    ),
    # issue 13: every role on every operation
    Defect(
        # The object link lets any token in (as nobody in particular); every other operation checks its value.
        "object-url-ignores-the-tokens-value",
        "mock_server/rekosearch/app.py",
        REKOSEARCH_AUTHENTICATION_TO_RUN,
        REKOSEARCH_AUTHENTICATION_TO_RUN.replace(
            "        return auth.authenticate(headers, self._jobs)\n",
            "        try:\n"
            "            return auth.authenticate(headers, self._jobs)\n"
            "        except RekoSearchError:\n"
            '            if not headers.get("authorization", "").strip():\n'
            "                raise\n"
            '            return User("nobody", "", "")\n',
        ).replace(
            "        status, body = ROUTES",
            '        if caller.user_id == "nobody" and operation.operation_id != "jobs-get-object-url":\n'
            "            raise errors.unauthorized(token_sent=True)\n"
            "        status, body = ROUTES",
        ),
        "test_every_operation_refuses_a_wrong_token_bare_or_after_bearer",
        module="test_roles",
        selection="test_every_operation_refuses_a_wrong_token_bare_or_after_bearer",
        live=True,
    ),
    # issue 13: parameters take effect
    Defect(
        "object-link-ignores-the-job-id",
        "mock_server/rekosearch/jobs.py",
        "return presign(object_key(user.user_id, job_id, object_uuid), self._clock())",
        "return presign(object_key(user.user_id, min(user.jobs, default=job_id), object_uuid), self._clock())",
        "test_job_id_and_object_uuid_pick_the_job_and_the_file",
        module="test_parameters",
        selection="test_job_id_and_object_uuid_pick_the_job_and_the_file",
        live=True,
    ),
    # issue 13: writes change exactly what they say
    Defect(
        "delete-also-deletes-the-next-job",
        "mock_server/rekosearch/jobs.py",
        "            user.jobs.pop(job_id, None)\n",
        "            user.jobs.pop(job_id, None)\n            user.jobs.pop(job_id + 1, None)\n",
        "test_deleting_a_job_changes_that_job_only",
        module="test_writes",
        selection="test_deleting_a_job_changes_that_job_only",
        live=True,
    ),
    # issue 13: answers about what was asked (x-echo), reads that agree (x-jobs)
    Defect(
        "get-answers-with-the-users-first-job",
        "mock_server/rekosearch/jobs.py",
        "            job = user.jobs.get(job_id)\n"
        "            if job is None:\n"
        "                raise errors.job_does_not_exist()\n"
        "            details =",
        "            job = user.jobs.get(min(user.jobs, default=job_id)) if job_id in user.jobs else None\n"
        "            if job is None:\n                raise errors.job_does_not_exist()\n            details =",
        "test_every_listed_job_reads_back_the_same_with_a_utc_date",
        selection="test_every_listed_job_reads_back_the_same_with_a_utc_date",
        live=True,
        fact="echo jobs-get: $response.body#/job_info/job_id = $request.query.job-id",
    ),
    Defect(
        "list-shows-finished-jobs-queued",
        "mock_server/rekosearch/jobs.py",
        "            listed = [user.jobs[job_id].summary() for job_id in sorted(user.jobs)]\n",
        "            listed = [\n"
        '                {**user.jobs[job_id].summary(), "status": "queued"} if user.jobs[job_id].status == "success"\n'
        "                else user.jobs[job_id].summary()\n"
        "                for job_id in sorted(user.jobs)\n"
        "            ]\n",
        "test_every_listed_job_reads_back_the_same_with_a_utc_date",
        selection="test_every_listed_job_reads_back_the_same_with_a_utc_date",
        live=True,
        fact="job status moves only as x-jobs/moves allows",
    ),
    Defect(
        "list-leaves-out-every-second-job",
        "mock_server/rekosearch/jobs.py",
        "            listed = [user.jobs[job_id].summary() for job_id in sorted(user.jobs)]\n",
        "            listed = [user.jobs[job_id].summary() for job_id in sorted(user.jobs)][::2]\n",
        "test_every_listed_job_reads_back_the_same_with_a_utc_date",
        selection="test_every_listed_job_reads_back_the_same_with_a_utc_date",
        live=True,
        fact="a complete list holds every job",
    ),
]


# What a server honouring the RekoSearch API page may do, and this copy of the simulator does, although an assumed fact
# of openapi/rekosearch.yaml says otherwise. Run live against it, the suite must pass and list each assumption.
DEVIATIONS = [
    Deviation(
        "a-list-without-status-meanings",
        "mock_server/rekosearch/jobs.py",
        '            "status_meaning": self.status_meaning,\n',
        "",
        "/components/schemas/JobSummary/required/status_meaning",
    ),
    Deviation(
        "cloudfront-answers-an-unknown-method-with-405",
        "mock_server/rekosearch/app.py",
        WRONG_METHOD,
        '        raise RekoSearchError(405, "Method Not Allowed")\n',
        "/x-facts/unknown-route-is-not-found",
    ),
    Deviation(
        "job-0-is-a-job-id-like-any-other",
        "openapi/rekosearch.yaml",
        "        type: integer\n        minimum: 1\n",
        "        type: integer\n",
        "/components/parameters/job-id/schema/minimum",
    ),
    Deviation(
        "a-malformed-job-id-is-a-500",
        "mock_server/rekosearch/app.py",
        "    return errors.query_parameter_malformed(parameter.name, json_type)\n",
        '    if parameter.name == "job-id":\n'
        '        return RekoSearchError(500, "Internal server failure message")\n'
        "    return errors.query_parameter_malformed(parameter.name, json_type)\n",
        "/x-facts/malformed-job-id-is-400",
    ),
    Deviation(
        "an-empty-object-uuid-is-presigned-too",
        "openapi/rekosearch.yaml",
        "        type: string\n        minLength: 1\n",
        "        type: string\n",
        "/components/parameters/object-uuid/schema/minLength",
    ),
    Deviation(
        "empty-values-reach-the-handler",
        "mock_server/rekosearch/app.py",
        "return [(name, value) for name, value in request.query_params.multi_items() if value]",
        "return request.query_params.multi_items()",
        None,
    ),
    Deviation(
        "the-type-word-of-a-rust-server",
        "mock_server/rekosearch/errors.py",
        '    return f"{name}: {PARAMETER_TYPE_NAMES.get(json_type, json_type)}"',
        "    type_name = '&str' if json_type == 'string' else PARAMETER_TYPE_NAMES.get(json_type, json_type)\n"
        '    return f"{name}: {type_name}"',
        "/components/schemas/AffectedQueryParameter/pattern",
    ),
]
