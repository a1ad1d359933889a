"""The suite tells a failure of a sourced fact from a contradicted assumption (contract_tests/server/attribution.py,
verdicts.py): by the schema keyword and node that failed, by the request's breaking only assumed constraints, by the
fact a check or lifecycle assertion names; and only a live run without --strict-assumptions forgives the latter."""

import copy
import inspect
import re

import httpx
import pytest

from contract_tests.documents import ROOT, load, response_example
from contract_tests.server import attribution, verdicts
from contract_tests.server import checks as server_checks
from contract_tests.server.memory import Memory
from contract_tests.server.report import Recorder
from generator import provenance
from generator.registry import load_apis

JOB_PROGRESS = "/components/schemas/JobProgress"


def _progress_body() -> dict:
    return copy.deepcopy(response_example("slurper", "slurper-get-job-progress", "200"))


def test_a_response_without_an_assumed_required_field_breaks_only_that_assumption() -> None:
    body = _progress_body()
    del body["result"]["createdAt"]

    found = attribution.response_attribution("slurper", "slurper-get-job-progress", 200, "application/json", body)

    assert found.assumption_only
    assert [item.pointer for item in found.assumed] == [f"{JOB_PROGRESS}/required/createdAt"]
    assert found.assumed[0].document == "openapi/slurper.yaml"
    assert "createdAt" in found.assumed[0].observed


def test_a_response_without_a_sourced_field_is_a_failure() -> None:
    body = _progress_body()
    del body["success"]

    found = attribution.response_attribution("slurper", "slurper-get-job-progress", 200, "application/json", body)

    assert found.sourced
    assert not found.assumption_only


def test_a_sourced_failure_names_the_line_of_the_document_to_change() -> None:
    body = _progress_body()
    body["result"]["status"] = "failed"

    found = attribution.response_attribution("slurper", "slurper-get-job-progress", 200, "application/json", body)

    assert found.sourced == [
        "the 200 response body: result/status: 'failed' is not one of ['running', 'paused', 'aborted', 'completed'] "
        "(the document says so at openapi/slurper.yaml#/components/schemas/JobStatus/enum)"
    ]


def test_a_response_that_breaks_a_sourced_and_an_assumed_fact_is_a_failure() -> None:
    body = _progress_body()
    del body["result"]["createdAt"]
    body["result"]["status"] = "exploded"

    found = attribution.response_attribution("slurper", "slurper-get-job-progress", 200, "application/json", body)

    assert found.sourced
    assert not found.assumption_only


def test_a_conforming_response_breaks_nothing() -> None:
    found = attribution.response_attribution(
        "slurper", "slurper-get-job-progress", 200, "application/json", _progress_body()
    )

    assert found == attribution.Attribution()


def _request(url: str, method: str = "GET", body: bytes = b"") -> attribution.SentRequest:
    headers = {"Authorization": "Bearer token", "Content-Type": "application/json"}
    return attribution.SentRequest(method, url, headers, body)


JOBS = "http://server.test/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/slurper/jobs"


def test_a_request_outside_only_an_assumed_bound_is_assumption_only() -> None:
    found = attribution.request_attribution("slurper", "slurper-list-jobs", _request(f"{JOBS}?limit=0"))

    assert found.assumption_only
    assert [item.pointer for item in found.assumed] == ["/components/parameters/limit/schema/minimum"]
    assert found.assumed[0].observed == "accepted limit=0"


def test_a_request_outside_a_sourced_bound_is_a_failure() -> None:
    found = attribution.request_attribution("slurper", "slurper-list-jobs", _request(f"{JOBS}?limit=51"))

    assert found.sourced
    assert not found.assumed


def test_a_create_without_a_source_breaks_only_an_assumption() -> None:
    body = b'{"target": {"vendor": "r2", "bucket": "b", "secret": {"accessKeyId": "a", "secretAccessKey": "s"}}}'

    found = attribution.request_attribution("slurper", "slurper-create-job", _request(JOBS, "POST", body))

    assert [item.pointer for item in found.assumed] == ["/components/schemas/CreateJobRequest/required/source"]


def test_only_the_variant_the_value_is_of_is_blamed() -> None:
    body = b"""{"source": {"vendor": "s3", "bucket": "", "secret": {"accessKeyId": "a", "secretAccessKey": "s"}},
                "target": {"vendor": "r2", "bucket": "b", "secret": {"accessKeyId": "a", "secretAccessKey": "s"}}}"""

    found = attribution.request_attribution("slurper", "slurper-create-job", _request(JOBS, "POST", body))

    assert found.assumption_only
    # Not the GCS and R2 variants' own `minLength`: the value is an S3 source by its `vendor`.
    assert [item.pointer for item in found.assumed] == ["/components/schemas/S3Source/properties/bucket/minLength"]


def test_a_media_type_is_blamed_only_where_every_declared_one_is_assumed() -> None:
    sourced = attribution.response_attribution("slurper", "slurper-get-job", 200, "text/html", "<html>")

    assert sourced.sourced


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _judged(recorder: Recorder, policy: verdicts.Policy) -> verdicts.Verdicts:
    return verdicts.Verdicts(policy, recorder, Memory())


def _checked(status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", f"{JOBS}/2f1c0b1e/progress", headers={"Authorization": "Bearer secret-token"})
    body = _progress_body()
    del body["result"]["createdAt"]
    return httpx.Response(status, json=body, request=request)


@pytest.mark.parametrize(
    ("policy", "forgiven"),
    [
        (verdicts.Policy(live=True), True),
        (verdicts.Policy(live=True, strict_assumptions=True), False),
        (verdicts.Policy(live=False), False),
    ],
)
def test_only_a_live_lenient_run_forgives_an_assumption(
    recorder: Recorder, policy: verdicts.Policy, forgiven: bool
) -> None:
    judge = _judged(recorder, policy)

    if forgiven:
        judge.check_response("slurper", "slurper-get-job-progress", _checked())
        [entry] = recorder.contradictions.values()
        assert entry["pointer"] == f"{JOB_PROGRESS}/required/createdAt"
        assert entry["operation"] == "slurper GET /accounts/{account_id}/slurper/jobs/{job_id}/progress"
        assert "secret-token" not in entry["reproduction"]
        assert "[Filtered]" in entry["reproduction"]
    else:
        with pytest.raises(AssertionError, match="required: createdAt"):
            judge.check_response("slurper", "slurper-get-job-progress", _checked())
        assert not recorder.contradictions


def test_an_assertion_about_an_assumed_fact_is_reported_on_a_live_lenient_run(recorder: Recorder) -> None:
    judge = _judged(recorder, verdicts.Policy(live=True))

    with judge.expecting("slurper", "log-records-each-transition", evidence=_checked()):
        raise AssertionError("no migrationResume entry")

    [entry] = recorder.contradictions.values()
    assert entry["pointer"] == "/x-facts/log-records-each-transition"
    assert entry["observed"] == "no migrationResume entry"


@pytest.mark.parametrize("policy", [verdicts.Policy(live=True, strict_assumptions=True), verdicts.Policy()])
def test_an_assertion_about_an_assumed_fact_fails_a_strict_or_simulator_run(
    recorder: Recorder, policy: verdicts.Policy
) -> None:
    judge = _judged(recorder, policy)

    with (
        pytest.raises(verdicts.FactViolation, match="assumed"),
        judge.expecting("slurper", "log-records-each-transition", evidence=_checked()),
    ):
        raise AssertionError("no migrationResume entry")
    assert not recorder.contradictions


def test_an_assertion_about_a_sourced_fact_always_fails(recorder: Recorder) -> None:
    judge = _judged(recorder, verdicts.Policy(live=True))

    with (
        pytest.raises(verdicts.FactViolation, match="secrets-are-never-returned"),
        judge.expecting("slurper", "secrets-are-never-returned"),
    ):
        raise AssertionError("the response echoes a secret")
    assert not recorder.contradictions


def test_a_fact_the_document_lacks_is_refused(recorder: Recorder) -> None:
    judge = _judged(recorder, verdicts.Policy())
    with pytest.raises(KeyError, match="no-such-fact"), judge.expecting("slurper", "no-such-fact"):
        pass


def test_a_check_that_names_its_fact_fails_as_that_fact() -> None:
    @verdicts.enforces("counters-add-up")
    def counters(ctx: object, response: object, case: object) -> None:
        raise AssertionError("3 + 1 > 2")

    class Case:
        class operation:
            class schema:
                location = "openapi/slurper.yaml"

    with pytest.raises(verdicts.FactViolation) as raised:
        counters(None, None, Case())

    assert (raised.value.api, raised.value.fact) == ("slurper", "counters-add-up")
    assert counters.__name__ == "counters"
    found = attribution.fact_attribution("slurper", "counters-add-up", str(raised.value))
    assert found.assumption_only


def test_a_response_that_breaks_the_document_is_not_taken_for_an_assumed_behaviour(recorder: Recorder) -> None:
    judge = _judged(recorder, verdicts.Policy(live=True))
    broken = _checked()
    body = _progress_body()
    del body["success"]
    broken = httpx.Response(200, json=body, request=broken.request)

    with (
        pytest.raises(verdicts.DocumentViolation),
        judge.expecting("slurper", "jobs-run-to-completion"),
    ):
        judge.check_response("slurper", "slurper-get-job-progress", broken)
    assert not recorder.contradictions


SERVER = ROOT / "contract_tests" / "server"
# Every API's checks: the shared ones and its own (its suite's `checks` module, as the registry names it).
CHECK_MODULES = {name: [server_checks, api.part("suite", "checks")] for name, api in load_apis().items()}


def _project_checks(module: object) -> list[object]:
    found = []
    for value in vars(module).values():
        functions = [value] if inspect.isfunction(value) and value.__module__ == module.__name__ else []
        if inspect.isclass(value) and value.__module__ == module.__name__:
            functions = [member for _, member in inspect.getmembers(value, inspect.isfunction)]
        for function in functions:
            parameters = [name for name in inspect.signature(inspect.unwrap(function)).parameters if name != "self"]
            if parameters == ["ctx", "response", "case"]:
                found.append(function)
    return found


@pytest.mark.parametrize("api", sorted(CHECK_MODULES))
def test_every_check_of_the_project_names_a_fact_of_the_document(api: str) -> None:
    known = provenance.facts(load(api))
    checks = [check for module in CHECK_MODULES[api] for check in _project_checks(module)]

    assert len(checks) >= 3
    unnamed = [check.__name__ for check in checks if getattr(check, "fact", None) is None]
    assert unnamed == [], "every check says which fact it enforces (`verdicts.enforces`)"
    assert [check.fact for check in checks if check.fact not in known] == []


@pytest.mark.parametrize("api", sorted(CHECK_MODULES))
def test_every_fact_the_suite_names_is_in_the_document(api: str) -> None:
    known = provenance.facts(load(api))
    named = set()
    for path in [*(SERVER / api).glob("*.py"), SERVER / "checks.py"]:
        text = path.read_text()
        named |= set(re.findall(r'(?:expecting|violated)\(\s*API,\s*"([a-z0-9-]+)"', text))
        named |= set(re.findall(r'@enforces\("([a-z0-9-]+)"\)', text))
    # Facts a check names through a table (RekoSearch's faults of query parameters).
    named |= set(getattr(CHECK_MODULES[api][-1], "FAULT_FACTS", {}).values())

    assert named
    assert sorted(named - set(known)) == []
