"""What RekoSearch adds to the shared conformance tests (`conformance`): its own checks, the built-in checks they
replace, and a walk's user of its own.

RekoSearch facts the schema cannot express, checked on every response of the conformance suite.

- Another user's jobs are never shown: every job a caller is shown carries the caller's `user_id` (the first one seen
  for that token, or the one the simulator announced), and jobs/get finds only jobs jobs/list lists for the caller.
- jobs/get answers with the job that was asked for, and its maps describe that job's objects only.
- Query-parameter errors are 400 and name the parameter at fault in `affected_query_parameter` (reference §6.5, §9);
  a request with a missing or malformed `job-id` / `object-uuid` never gets anything but that 400 (or the 401 that
  API Gateway answers first).
- A 401 is API Gateway's, `{"message": "Unauthorized"}` exactly (reference §3).
- A method a path does not have is answered by API Gateway's routing: 404 `{"message": "Not Found"}` (reference
  §6.5). schemathesis' `unsupported_method` insists on 405, so this check replaces it for RekoSearch.
- A deleted job is gone: right after a successful jobs/delete, jobs/get of the same `job-id` is 404. schemathesis'
  `use_after_free` only follows resources named by path parameters, and a RekoSearch job is named in the query
  string, so it never applies here; `rpc_use_after_free` does its work for `job-id`.

Each check has schemathesis' signature `(ctx, response, case)` and raises AssertionError with the evidence, as a
failure of the fact it enforces (`verdicts.enforces`, an `x-facts` entry of openapi/rekosearch.yaml): a live server
that breaks only an assumed one is reported, not failed. The one that needs to know whose token a token is
(`job_belongs_to_caller`) is a method of `RekoSearchChecks`, which holds what it knows.
"""

import json
import re
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from schemathesis.generation.meta import CoverageScenario, coverage_scenario
from schemathesis.specs.openapi.checks import unsupported_method

from contract_tests.documents import find_operation, load, operations, resolve, validator
from contract_tests.server import attribution
from contract_tests.server.attribution import Attribution
from contract_tests.server.conformance import Conformance
from contract_tests.server.rekosearch.target import demo_users, fresh_user
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import enforces, violated

API = "rekosearch"
_INTEGER = re.compile(r"-?[0-9]+")
# How long a deleted job may still be found before the deletion counts as not done at all.
DELETION_GRACE = 1.0


def _token(response: Any) -> str:
    header = str(response.request.headers.get("Authorization", "")).strip()
    return header[7:].strip() if header[:7].lower() == "bearer " else header


def _body(response: Any) -> Any:
    try:
        return json.loads(response.text) if response.text else None
    except ValueError:
        return None


def _operation_id(case: Any) -> str | None:
    """The operation the request was for; None for a probe with a method the document does not have there."""
    if coverage_scenario(case) == CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        return None
    method, path = str(case.method).lower(), case.operation.path
    found = [op for op in operations(load(API)) if op.path == path and op.method == method]
    return found[0].operation_id if found else None


def _sent_query(response: Any) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(str(response.request.url)).query, keep_blank_values=True):
        sent.setdefault(name, []).append(value)
    return sent


# Why a query parameter is at fault, and the fact that says what the server answers then.
MISSING, EMPTY, REPEATED, MALFORMED = "missing", "empty", "repeated", "malformed"
FAULT_FACTS: Mapping[str, str] = MappingProxyType(
    {
        ("job-id", MISSING): "missing-job-id-is-400",
        ("object-uuid", MISSING): "missing-object-uuid-is-400",
        EMPTY: "empty-query-parameter-is-missing",
        REPEATED: "repeated-query-parameter-is-400",
        MALFORMED: "malformed-job-id-is-400",
    }
)


def query_parameter_constraints(operation_id: str, name: str, sent: dict[str, list[str]]) -> Attribution:
    """The constraints of the document a query parameter's value breaks (empty and malformed values): a value only
    an assumed constraint refuses (`job-id=0`, by the assumed `minimum: 1`) contradicts that constraint.

    Args:
        operation_id: The operation.
        name: The parameter.
        sent: The query string as sent, values by name.

    Returns:
        The attribution (nothing for a parameter not sent).
    """
    document = load(API)
    values = sent.get(name, [])
    for reference in find_operation(API, operation_id).spec.get("parameters", []):
        parameter, pointer = resolve(document, reference)
        if parameter["in"] != "query" or parameter["name"] != name or len(values) != 1:
            continue
        value: Any = values[0]
        if parameter["schema"].get("type") == "integer" and _INTEGER.fullmatch(value):
            value = int(value)
        return attribution.schema_attribution(API, f"{pointer}/schema", value, f"the query parameter {name}")
    return Attribution()


def query_parameter_faults(operation_id: str, sent: dict[str, list[str]]) -> dict[str, str]:
    """The query parameters of an operation that were sent at fault, and why: not sent, sent empty, sent twice, or
    with a value the document refuses; in document order.

    Args:
        operation_id: The operation.
        sent: The query string as sent, values by name.

    Returns:
        Why each parameter at fault is, by name.
    """
    document = load(API)
    faults = {}
    for reference in find_operation(API, operation_id).spec.get("parameters", []):
        parameter, pointer = resolve(document, reference)
        if parameter["in"] != "query":
            continue
        name = parameter["name"]
        values = [value for value in sent.get(name, []) if value]
        if not values:
            if parameter.get("required"):
                faults[name] = EMPTY if name in sent else MISSING
            continue
        declared = parameter["schema"].get("type")
        value: Any = values[0]
        if declared == "integer" and _INTEGER.fullmatch(value):
            value = int(value)
        if len(values) > 1:
            faults[name] = REPEATED
        elif not validator(API, f"{pointer}/schema").is_valid(value):
            faults[name] = MALFORMED
    return faults


def faulty_query_parameters(operation_id: str, sent: dict[str, list[str]]) -> list[str]:
    """The names of `query_parameter_faults`."""
    return list(query_parameter_faults(operation_id, sent))


def _fault_fact(name: str, fault: str) -> str:
    return FAULT_FACTS.get((name, fault)) or FAULT_FACTS[fault]


@enforces("query-errors-name-the-parameter")
def query_errors_name_the_parameter(ctx: Any, response: Any, case: Any) -> bool | None:
    """A query parameter at fault gets 400 naming it; a 400 names a parameter that was at fault.

    A missing parameter's 400 is the API page's (sourced), and so is naming it. What a malformed, empty or repeated
    one gets is assumed; a 5xx for one of those is left to `not_a_server_error`, which the sources' "400 or 500" for
    a malformed job-id (reference §9) lets the run forgive.
    """
    operation_id = _operation_id(case)
    if operation_id is None or response.status_code == 401:
        return None
    faults = query_parameter_faults(operation_id, _sent_query(response))
    if response.status_code >= 500 and MISSING not in faults.values():
        return None
    sent = _sent_query(response)
    for name, fault in faults.items():
        if response.status_code != 400:
            # What made the value faulty may itself be assumed (`job-id=0` is malformed only by `minimum: 1`).
            constraints = query_parameter_constraints(operation_id, name, sent) if fault in (EMPTY, MALFORMED) else None
            raise violated(
                API,
                _fault_fact(name, fault),
                f"the query parameter {name} is {fault}, but the server answered {response.status_code}",
                constraints,
            )
    if response.status_code == 400:
        body = _body(response)
        named = body.get("affected_query_parameter") if isinstance(body, dict) else None
        assert isinstance(named, str), f"a 400 without affected_query_parameter: {response.text[:200]}"
        if not faults:
            raise violated(
                API,
                "undeclared-query-parameters-are-ignored",
                f"a 400 naming {named!r}, but no declared parameter is at fault (undeclared ones are ignored)",
            )
        assert named.split(":")[0] in faults, (
            f"affected_query_parameter is {named!r}, but the parameters at fault are {list(faults)}"
        )
    return None


@enforces("unauthorized-is-api-gateways")
def unauthorized_is_api_gateways(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 401 is API Gateway's `{"message": "Unauthorized"}`."""
    if response.status_code == 401:
        assert _body(response) == {"message": "Unauthorized"}, f"a 401 with another body: {response.text[:200]}"
    return None


@enforces("unknown-route-is-not-found")
def unknown_route_is_not_found(ctx: Any, response: Any, case: Any) -> bool | None:
    """A method the document does not have at a path gets API Gateway's 404 `{"message": "Not Found"}`."""
    if coverage_scenario(case) != CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        return None
    method = str(response.request.method)
    if method == "OPTIONS":
        # Often answered before routing (CORS preflight); nothing is documented about it.
        return None
    assert response.status_code == 404, f"{method} {case.path} answered {response.status_code}, not API Gateway's 404"
    if method != "HEAD":
        assert _body(response) == {"message": "Not Found"}, f"{method} {case.path}: {response.text[:200]}"
    return None


def _jobs_shown(operation_id: str, body: Any) -> list[dict[str, Any]]:
    if operation_id == "jobs-get" and isinstance(body, dict) and isinstance(body.get("job_info"), dict):
        return [body["job_info"]]
    return []


class RekoSearchChecks:
    """The checks that need to know whose token a token is (one object per run: `conformance` makes it)."""

    def __init__(self) -> None:
        # The user id each token was seen with (filled with what the simulator announces, learned for anything else).
        self.user_ids: dict[str, str] = {}

    def remember_user(self, token: str, user_id: str) -> None:
        """Tell the checks whose token a token is, so that the first job shown to it is checked too.

        Args:
            token: The token as sent.
            user_id: The user it belongs to.
        """
        self.user_ids[token] = user_id

    @enforces("shown-jobs-are-the-callers")
    def job_belongs_to_caller(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """Every job a caller is shown is the caller's: one token, one `user_id`."""
        operation_id = _operation_id(case)
        if operation_id is None or not 200 <= response.status_code < 300:
            return None
        token = _token(response)
        for job in _jobs_shown(operation_id, _body(response)):
            user_id = job.get("user_id")
            expected = self.user_ids.setdefault(token, str(user_id))
            assert user_id == expected, f"job {job.get('job_id')} belongs to user {user_id}, the caller is {expected}"
        return None


@enforces("job-details-match-request")
def job_details_match_request(ctx: Any, response: Any, case: Any) -> bool | None:
    """jobs/get answers with the job asked for, one that jobs/list lists for the same caller, and its maps are about
    that job's objects; jobs/list lists every job once."""
    operation_id = _operation_id(case)
    if operation_id is None or not 200 <= response.status_code < 300:
        return None
    body = _body(response)
    if operation_id == "jobs-list" and isinstance(body, dict) and isinstance(body.get("jobs"), list):
        ids = [job.get("job_id") for job in body["jobs"] if isinstance(job, dict)]
        if len(ids) != len(set(ids)):
            raise violated(API, "list-shows-every-job-once", f"jobs/list lists a job twice: {ids}")
    if operation_id != "jobs-get" or not isinstance(body, dict) or not isinstance(body.get("job_info"), dict):
        return None
    info = body["job_info"]
    asked = _sent_query(response).get("job-id", [""])[0]
    assert str(info.get("job_id")) == asked, f"asked for job {asked}, got job {info.get('job_id')}"
    objects = set(info.get("object_uuid_names") or {})
    results = set(body.get("results") or {})
    failed = set(info.get("failed_to_process") or {})
    lengths = set(info.get("media_length") or {})
    for name, keys in (("results", results), ("failed_to_process", failed), ("media_length", lengths)):
        stray = sorted(set(keys) - objects)
        if stray:
            raise violated(
                API, "job-maps-describe-its-objects", f"job {asked}: {name} has objects the job does not have: {stray}"
            )
    both = sorted(results & failed)
    if both:
        raise violated(API, "job-maps-describe-its-objects", f"job {asked}: objects both processed and failed: {both}")
    url = urlsplit(str(response.request.url))
    list_url = url._replace(path=url.path.removesuffix("/jobs/get") + "/jobs/list", query="").geturl()
    listed = httpx.get(
        list_url, headers={"Authorization": str(response.request.headers.get("Authorization", ""))}, timeout=30
    )
    if listed.status_code == 200:
        listed_ids = {str(job.get("job_id")) for job in listed.json().get("jobs", [])}
        if asked not in listed_ids:
            raise violated(
                API,
                "list-shows-every-job-once",
                f"jobs/get shows job {asked}, which jobs/list does not list for the same caller",
            )
    return None


@enforces("deleted-job-is-gone")
def rpc_use_after_free(ctx: Any, response: Any, case: Any) -> bool | None:
    """After a successful jobs/delete, jobs/get of the same job-id (as the same caller) is 404."""
    if _operation_id(case) != "jobs-delete" or not 200 <= response.status_code < 300:
        return None
    values = _sent_query(response).get("job-id", [])
    if faulty_query_parameters("jobs-delete", {"job-id": values}):
        return None
    url = urlsplit(str(response.request.url))
    get_url = url._replace(path=url.path.removesuffix("/jobs/delete") + "/jobs/get").geturl()
    headers = {"Authorization": str(response.request.headers.get("Authorization", ""))}
    found = httpx.get(get_url, headers=headers, timeout=30)
    if found.status_code == 404:
        return None
    evidence = (
        f"job {values[0]} was deleted (DELETE /api/v1/jobs/delete?job-id={values[0]} answered "
        f"{response.status_code}), but GET /api/v1/jobs/get?job-id={values[0]} still answers {found.status_code}"
    )
    # Gone a moment later: the deletion holds, it is only not seen at once (an assumption, not a source).
    time.sleep(DELETION_GRACE)
    if httpx.get(get_url, headers=headers, timeout=30).status_code == 404:
        raise violated(API, "deletion-is-seen-at-once", f"{evidence}; {DELETION_GRACE} s later it is gone")
    raise AssertionError(evidence)


def conformance(target: Target, recorder: Recorder) -> Conformance:
    """RekoSearch's part of the shared conformance tests against `target`.

    Two built-in checks do not fit an RPC-style API behind API Gateway and are replaced, not dropped (see
    test_conformance.py): `unsupported_method` by `unknown_route_is_not_found`, and `use_after_free`, which never
    applies here, by `rpc_use_after_free`. The users the target starts with are known up front; every walk is a new
    user of the simulator's with the standard jobs: a walk replayed by Hypothesis then meets the same server state,
    and jobs deleted by earlier walks cannot change what it sees.

    Args:
        target: The server the run tests.
        recorder: The run's recorder (a walk's token is redacted from everything the run writes).

    Returns:
        The conformance part.
    """
    checks = RekoSearchChecks()
    for known in demo_users(target):
        if known.user_id is not None:
            checks.remember_user(known.token, known.user_id)

    def start_walk() -> Callable[[Any], None]:
        user = fresh_user(target)
        recorder.secrets.add(user.token)
        if user.user_id is not None:
            checks.remember_user(user.token, user.user_id)

        def as_the_walks_user(case: Any) -> None:
            # Only where the case carries credentials: a case without them is meant to go without.
            if case.headers and "Authorization" in case.headers:
                case.headers["Authorization"] = user.token

        return as_the_walks_user

    return Conformance(
        checks=[
            query_errors_name_the_parameter,
            unauthorized_is_api_gateways,
            unknown_route_is_not_found,
            checks.job_belongs_to_caller,
            job_details_match_request,
            rpc_use_after_free,
        ],
        excluded=[unsupported_method],
        start_walk=start_walk,
    )
