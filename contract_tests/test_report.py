"""The conformance report (contract_tests/server/report.py) rendered from a record built by hand: the terminal verdict,
the Markdown summary and the HTML page show the same findings, each with its reproduction, and no secret."""

from html.parser import HTMLParser
from typing import Any

import pytest

from contract_tests.server.rendering import html, markdown, verdict
from contract_tests.server.report import Recorder

SECRET = "s3cr3t-token-4711"
SLURPER_JOBS = "slurper GET /accounts/{account_id}/slurper/jobs"
SLURPER_JOB = "slurper GET /accounts/{account_id}/slurper/jobs/{job_id}"
CONNECT_TAIL = "connect GET /v1/jobs/{id}/tail"
CONNECT_JOBS = "connect POST /v1/jobs"
LIMIT_POINTER = "/components/parameters/limit/schema/minimum"
TAIL_POINTER = "/paths/~1v1~1jobs~1{id}~1tail/get/responses/200/content"
LONGEST_LINE = 160


def _record(*, strict: bool = False) -> Recorder:
    """Two APIs: slurper with a check failure, a failed lifecycle test and a contradicted assumption; connect with
    only a contradicted assumption, an observation and a test not run against this target."""
    recorder = Recorder(secrets={SECRET})
    recorder.run = {"target": "http://127.0.0.1:8080", "strict_assumptions": strict}
    recorder.cases[SLURPER_JOBS].update(examples=2, coverage=10, fuzzing=25)
    recorder.cases[SLURPER_JOB].update(examples=1, stateful=4)
    recorder.cases[CONNECT_TAIL].update(examples=1, fuzzing=7)
    recorder.cases[CONNECT_JOBS].update(coverage=3)
    recorder.checks[SLURPER_JOBS]["not_a_server_error"] = [37, 0, 0]
    recorder.checks[SLURPER_JOBS]["response_schema_conformance"] = [37, 2, 0]
    recorder.checks[SLURPER_JOBS]["negative_data_rejection"] = [37, 0, 1]
    recorder.checks[SLURPER_JOB]["not_a_server_error"] = [5, 0, 0]
    recorder.checks[CONNECT_TAIL]["content_type_conformance"] = [8, 0, 3]
    recorder.checks[CONNECT_JOBS]["not_a_server_error"] = [3, 0, 0]
    # Written straight into the record, as a worker's part merged unredacted would be: rendering must redact.
    recorder.failures = {
        "schema": {
            "operation": SLURPER_JOBS,
            "check": "response_schema_conformance",
            "title": "Response violates schema",
            "reproduction": f"curl -X GET 'http://127.0.0.1:8080/accounts/a/slurper/jobs' -H 'Authorization: {SECRET}'",
            "fact": {
                "document": "openapi/slurper.yaml",
                "pointer": "/x-facts/progress-is-monotonic",
                "statement": "progress never goes down",
                "mark": "sourced: reference §3",
            },
        },
        "status": {
            "operation": SLURPER_JOBS,
            "check": "status_code_conformance",
            # A title can quote what the server sent: the page must show it, not run it.
            "title": "Undocumented HTTP status code: <script src='https://example.com/x.js'></script>",
            "reproduction": "curl -X GET 'http://127.0.0.1:8080/accounts/a/slurper/jobs?limit=99'",
        },
    }
    recorder.contradictions = {
        "limit": {
            "operation": SLURPER_JOBS,
            "check": "negative_data_rejection",
            "api": "slurper",
            "document": "openapi/slurper.yaml",
            "pointer": LIMIT_POINTER,
            "fact": "`minimum: 1`",
            "assumed": "Cloudflare's schema gives limit only maximum: 50; a limit of 0 is taken to be refused",
            "observed": "GET .../jobs?limit=0 answered 200",
            "reproduction": f"curl -X GET 'http://127.0.0.1:8080/accounts/a/slurper/jobs?limit=0' -H 'X-Key: {SECRET}'",
        },
        "tail": {
            "operation": CONNECT_TAIL,
            "check": None,
            "api": "connect",
            "document": "openapi/connect.yaml",
            "pointer": TAIL_POINTER,
            "fact": "`application/json` with x-json-sequence",
            "assumed": "the reference shows one JSON object per line",
            "observed": "Content-Type: application/x-ndjson",
            "reproduction": "a job tailed while it ran",
        },
    }
    recorder.observations[CONNECT_TAIL].append("framing: newline-delimited JSON; Content-Type: application/json")
    recorder.tests = {
        "contract_tests/server/slurper/test_lifecycle.py::test_pausing_a_job[live]": (
            f"failed: AssertionError: 409 != 200 (token {SECRET})"
        ),
        "contract_tests/server/slurper/test_lifecycle.py::test_listing_jobs": "passed",
        "contract_tests/server/connect/test_lifecycle.py::test_cancelling_a_job": "skipped: writes need --allow-writes",
        "contract_tests/server/connect/test_conformance.py::test_operation_conforms[GET /v1/jobs/{id}/tail]": "passed",
    }
    return recorder


class Page(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside each `<li>` of a class."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.items: list[dict[str, Any]] = []
        self._open_items: list[dict[str, Any]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "li":
            item = {**attributes, "text": ""}
            self.items.append(item)
            self._open_items.append(item)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._open_items:
            self._open_items.pop()

    def handle_data(self, data: str) -> None:
        for item in self._open_items:
            item["text"] += data

    def of_class(self, css: str) -> list[dict[str, Any]]:
        return [item for item in self.items if css in item.get("class", "").split()]


def _parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def test_the_page_holds_every_failure_with_its_fact_and_reproduction() -> None:
    recorder = _record()
    page = _parse(html(recorder, "Conformance summary"))

    found = {(item["data-operation"], item["data-check"]): item["text"] for item in page.of_class("failure")}

    assert set(found) == {(failure["operation"], failure["check"]) for failure in recorder.failures.values()}
    assert (
        "openapi/slurper.yaml#/x-facts/progress-is-monotonic (sourced: reference §3)"
        in found[(SLURPER_JOBS, "response_schema_conformance")]
    )
    assert all("curl -X GET 'http://127.0.0.1:8080/accounts/a/slurper/jobs" in text for text in found.values())
    assert "<script src='https://example.com/x.js'></script>" in found[(SLURPER_JOBS, "status_code_conformance")]


def test_the_page_holds_every_contradicted_assumption() -> None:
    recorder = _record()
    page = _parse(html(recorder, "Conformance summary"))

    found = {item["data-pointer"]: item for item in page.of_class("assumption")}

    assert set(found) == {entry["pointer"] for entry in recorder.contradictions.values()}
    limit = found[LIMIT_POINTER]
    assert (limit["data-api"], limit["data-check"]) == ("slurper", "negative_data_rejection")
    assert f"openapi/slurper.yaml#{LIMIT_POINTER}" in limit["text"]
    assert "Cloudflare's schema gives limit only maximum: 50" in limit["text"]
    assert "GET .../jobs?limit=0 answered 200" in limit["text"]
    assert "curl -X GET 'http://127.0.0.1:8080/accounts/a/slurper/jobs?limit=0'" in limit["text"]
    assert "found by a lifecycle test" in found[TAIL_POINTER]["text"]


def test_the_page_holds_tests_observations_and_the_coloured_matrix() -> None:
    page = _parse(html(_record(), "Conformance summary"))

    assert [item["data-nodeid"] for item in page.of_class("failed-test")] == [
        "contract_tests/server/slurper/test_lifecycle.py::test_pausing_a_job[live]"
    ]
    assert [item["data-nodeid"] for item in page.of_class("skipped-test")] == [
        "contract_tests/server/connect/test_lifecycle.py::test_cancelling_a_job"
    ]
    assert "framing: newline-delimited JSON" in page.of_class("observation")[0]["text"]
    cells = {attributes.get("class") for tag, attributes in page.tags if tag == "td" and "data-check" in attributes}
    assert cells == {"ok", "failed", "assumed", "not-run"}
    rows = [attributes for tag, attributes in page.tags if tag == "tr" and "data-api" in attributes]
    verdicts = {attributes["data-api"]: attributes["class"] for attributes in rows}
    assert verdicts == {"connect": "pass", "slurper": "fail"}


def test_the_page_is_self_contained() -> None:
    page_text = html(_record(), "Conformance <summary> & more")
    page = _parse(page_text)

    assert "<script" not in page_text.lower()
    assert "<link" not in page_text.lower()
    for tag, attributes in page.tags:
        for name in ("src", "href", "action", "srcset"):
            value = attributes.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {name}={value!r}>"
    assert "<title>Conformance &lt;summary&gt; &amp; more</title>" in page_text


def test_no_secret_in_any_rendering() -> None:
    recorder = _record()

    for text in (verdict(recorder), markdown(recorder, "Conformance summary"), html(recorder, "Conformance summary")):
        assert SECRET not in text
        assert "[REDACTED]" in text


def test_the_verdict_is_short_and_says_pass_or_fail_per_api() -> None:
    text = verdict(_record(), "reports")
    lines = text.splitlines()

    assert lines[0] == "Conformance against http://127.0.0.1:8080: FAIL"
    assert "slurper  FAIL  2 operations  42 cases  3 failures  1 assumption contradicted" in lines
    assert "connect  PASS  2 operations  11 cases  0 failures  1 assumption contradicted  (1 not run)" in lines
    assert all(len(line) <= LONGEST_LINE for line in lines if not line.lstrip().startswith("curl "))
    assert "|" not in text  # no matrix
    assert "Full report: reports/conformance-summary.md, reports/conformance.html" in text


def test_the_verdict_names_each_failure_and_contradiction_with_its_reproduction() -> None:
    text = verdict(_record())

    assert "`response_schema_conformance`" in text
    assert "fact: openapi/slurper.yaml#/x-facts/progress-is-monotonic (sourced: reference §3)" in text
    assert "`status_code_conformance`" in text
    assert "contract_tests/server/slurper/test_lifecycle.py::test_pausing_a_job[live]" in text
    assert f"openapi/slurper.yaml#{LIMIT_POINTER}" in text
    assert f"openapi/connect.yaml#{TAIL_POINTER}" in text
    assert "assumed `minimum: 1`: Cloudflare's schema" in text
    assert "server: GET .../jobs?limit=0 answered 200" in text
    reproductions = [line.strip() for line in text.splitlines() if line.strip().startswith("curl -X")]
    assert len(reproductions) == 3  # two failures, one contradiction: each on one line, whole


@pytest.mark.parametrize(
    ("strict", "connect_verdict", "note"),
    [
        (False, "PASS", "did not fail the run; --strict-assumptions (make: STRICT_ASSUMPTIONS=1) would"),
        (True, "FAIL", "With --strict-assumptions, every contradicted assumption fails the run."),
    ],
)
def test_contradictions_fail_only_with_strict_assumptions(strict: bool, connect_verdict: str, note: str) -> None:
    recorder = _record(strict=strict)

    text = verdict(recorder)

    assert any(line.startswith(f"connect  {connect_verdict}") for line in text.splitlines())
    assert note in " ".join(text.split())
    assert note in markdown(recorder, "Conformance summary")


def test_the_markdown_keeps_what_the_planted_defect_tests_read() -> None:
    summary = markdown(_record(), "Conformance summary")

    assert "2 distinct check failures" in summary
    assert "- **slurper GET /accounts/{account_id}/slurper/jobs**: `response_schema_conformance`:" in summary
    assert "curl -X GET" in summary
    assert "`contract_tests/server/slurper/test_lifecycle.py::test_pausing_a_job[live]`" in summary
    assert "## Assumptions this server contradicts" in summary
    assert f"`openapi/slurper.yaml#{LIMIT_POINTER}`" in summary
    assert "## Observations" in summary
    assert "## Not run against this target" in summary


def _matrices(summary: str) -> dict[str, list[list[str]]]:
    """The operation x check tables of a Markdown summary, per API ("### <api>"), as rows of cells."""
    matrices: dict[str, list[list[str]]] = {}
    section = summary.partition("## Operation x check")[2].partition("\n## ")[0]
    api = ""
    for line in section.splitlines():
        if line.startswith("### "):
            api = line.removeprefix("### ")
        elif line.startswith("| ") and not line.startswith("|---"):
            matrices.setdefault(api, []).append([cell.strip() for cell in line.strip("|").split("|")])
    return matrices


def test_the_markdown_matrix_has_one_table_per_api() -> None:
    matrices = _matrices(markdown(_record(), "Conformance summary"))

    assert set(matrices) == {"connect", "slurper"}
    connect = {row[0]: row[1:] for row in matrices["connect"]}
    phases = "cases (examples / coverage / fuzzing / stateful)"
    assert connect["operation"] == [phases, "content_type_conformance", "not_a_server_error"]
    assert connect["GET /v1/jobs/{id}/tail"] == ["1 / 0 / 7 / 0", "ASSUMED 3/8", "-"]
    slurper = {row[0]: dict(zip(matrices["slurper"][0][1:], row[1:], strict=True)) for row in matrices["slurper"]}
    assert slurper["GET /accounts/{account_id}/slurper/jobs"] == {
        phases: "2 / 10 / 25 / 0",
        "negative_data_rejection": "ASSUMED 1/37",
        "not_a_server_error": "ok 37",
        "response_schema_conformance": "FAIL 2/37",
    }
    assert slurper["GET /accounts/{account_id}/slurper/jobs/{job_id}"]["response_schema_conformance"] == "-"


def test_an_empty_record_renders() -> None:
    recorder = Recorder()

    assert "0 distinct check failures" in markdown(recorder, "Conformance summary")
    assert verdict(recorder).startswith("Conformance: PASS")
    _parse(html(recorder, "Conformance summary"))
