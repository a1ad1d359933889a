"""The three ways a conformance run is shown, built from one arrangement of the record (`group`, per API): `verdict`
what the terminal shows (PASS or FAIL per API, each failure and contradicted assumption with its reproduction),
`markdown` the full summary (operation x check per API, cases per phase, every finding) and `html` the same as one
self-contained page. Every string is redacted again here.
"""

import re
import textwrap
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import Any

from contract_tests.server.report import Recorder

PHASES = ("examples", "coverage", "fuzzing", "stateful")


@dataclass
class OperationRow:
    """One row of an API's operation x check matrix.

    Attributes:
        label: The operation without its API ("GET /accounts/{account_id}/slurper/jobs").
        phases: Generated cases per phase.
        cells: Per check of the API, in column order: the cell's text and its outcome (`ok`, `failed`, `assumed`,
            `not-run`).
    """

    label: str
    phases: dict[str, int]
    cells: dict[str, tuple[str, str]]


@dataclass
class ApiReport:
    """What a run found about one API, every string redacted.

    Attributes:
        name: The API.
        checks: The checks that ran on its operations: the columns of its matrix.
        operations: The rows of its matrix.
        failures: Distinct check failures (`Recorder.failures` entries).
        contradictions: Contradicted assumptions (`Recorder.contradictions` entries).
        observations: Per operation ("<api> <METHOD> <path>"), what the suite noticed.
        failed_tests: Node id and message of every failed test.
        not_run: Node id and reason of every skipped test.
    """

    name: str
    checks: list[str] = field(default_factory=list)
    operations: list[OperationRow] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    observations: list[tuple[str, list[str]]] = field(default_factory=list)
    failed_tests: list[tuple[str, str]] = field(default_factory=list)
    not_run: list[tuple[str, str]] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(sum(row.phases.values()) for row in self.operations)

    @property
    def failure_count(self) -> int:
        """Distinct check failures and failed tests."""
        return len(self.failures) + len(self.failed_tests)

    def passed(self, strict: bool) -> bool:
        """No failure, and no contradicted assumption when assumptions are strict."""
        return not self.failure_count and not (strict and self.contradictions)


@dataclass
class RunReport:
    """A run grouped per API: the one model `verdict`, `markdown` and `html` render.

    Attributes:
        target: "simulators", the live base URL, or "" when the run did not say.
        strict: Whether contradicted assumptions fail the run (--strict-assumptions).
        apis: Per API, by name.
        tests: How many tests reported an outcome.
    """

    target: str
    strict: bool
    apis: list[ApiReport]
    tests: int

    @property
    def passed(self) -> bool:
        return all(api.passed(self.strict) for api in self.apis)

    @property
    def contradictions(self) -> int:
        return sum(len(api.contradictions) for api in self.apis)

    def cases(self, phase: str) -> int:
        return sum(row.phases.get(phase, 0) for api in self.apis for row in api.operations)

    def every(self, attribute: str) -> list[Any]:
        """One kind of finding (`failures`, `contradictions`, ...) of every API, API by API."""
        return [item for api in self.apis for item in getattr(api, attribute)]


def group(recorder: Recorder) -> RunReport:
    """Arrange what `recorder` holds per API, redacting every string again on the way out.

    Args:
        recorder: The run's record.

    Returns:
        The run per API; APIs, operations, checks, findings and tests sorted, so a report reads the same every run.
    """
    apis: dict[str, ApiReport] = {}

    def api_named(name: str) -> ApiReport:
        return apis.setdefault(name, ApiReport(name))

    operations = sorted(set(recorder.cases) | set(recorder.checks))
    for key in operations:
        report = api_named(key.partition(" ")[0])
        report.checks = sorted(set(report.checks) | set(recorder.checks.get(key, {})))
    for key in operations:
        report = api_named(key.partition(" ")[0])
        checks = recorder.checks.get(key, {})
        cells = {name: _cell(checks[name]) if name in checks else ("-", "not-run") for name in report.checks}
        label = _redacted(recorder, key.partition(" ")[2])
        report.operations.append(OperationRow(label, dict(recorder.cases.get(key, {})), cells))
    for failure in sorted(recorder.failures.values(), key=lambda f: (f["operation"], f["check"], f["title"])):
        api_named(failure["operation"].partition(" ")[0]).failures.append(_redacted(recorder, failure))
    for entry in sorted(recorder.contradictions.values(), key=lambda c: (c["operation"], c.get("pointer", ""))):
        api = entry.get("api") or entry["operation"].partition(" ")[0]
        api_named(api).contradictions.append(_redacted(recorder, entry))
    for key, notes in sorted(recorder.observations.items()):
        if notes:
            api_named(key.partition(" ")[0]).observations.append(_redacted(recorder, (key, list(notes))))
    for nodeid, result in sorted(recorder.tests.items()):
        outcome, _, message = result.partition(": ")
        test = _redacted(recorder, (nodeid, message))
        if outcome == "failed":
            api_named(_api_of_test(nodeid)).failed_tests.append(test)
        elif outcome == "skipped":
            api_named(_api_of_test(nodeid)).not_run.append(test)
    run = recorder.run or {}
    return RunReport(
        target=_redacted(recorder, str(run.get("target") or "")),
        strict=bool(run.get("strict_assumptions")),
        apis=[apis[name] for name in sorted(apis)],
        tests=len(recorder.tests),
    )


def _redacted(recorder: Recorder, value: Any) -> Any:
    # The Recorder redacts as it records; this second pass covers what it was handed some other way (merged parts).
    if isinstance(value, str):
        return recorder.redact(value)
    if isinstance(value, dict):
        return {name: _redacted(recorder, item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redacted(recorder, item) for item in value)
    return value


def _api_of_test(nodeid: str) -> str:
    # "contract_tests/server/<api>/test_lifecycle.py::test_x[...]": the folder after server/ is the API.
    folders = nodeid.partition("::")[0].split("/")[:-1]
    if "server" in folders[:-1]:
        return folders[folders.index("server") + 1]
    return "suite"


def _cell(counts: list[int]) -> tuple[str, str]:
    runs, failed, contradicted = counts
    if failed:
        return f"FAIL {failed}/{runs}" + (f", ASSUMED {contradicted}" if contradicted else ""), "failed"
    if contradicted:
        return f"ASSUMED {contradicted}/{runs}", "assumed"
    if runs:
        return f"ok {runs}", "ok"
    return "-", "not-run"


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def _word(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def _location(entry: dict[str, Any]) -> str:
    document = entry.get("document") or f"openapi/{entry.get('api', '')}.yaml"
    return f"{document}#{entry.get('pointer', '')}"


def _fact(failure: dict[str, Any]) -> str:
    """The fact behind a failure on one line, where it is, its mark and what it says; "" when it is not known."""
    fact = failure.get("fact")
    if not fact:
        return ""
    statement = fact.get("statement")
    return f"{_location(fact)} ({fact.get('mark', 'unmarked')})" + (f": {statement}" if statement else "")


def _found_by(entry: dict[str, Any]) -> str:
    check = entry.get("check")
    return f"`{check}`" if check else "a lifecycle test"


def _is_request(reproduction: str) -> bool:
    # A contradiction found over several requests is reproduced by a description instead of one curl command.
    return reproduction.startswith("curl ")


def _contradictions_note(run: RunReport) -> str:
    if not run.contradictions:
        return ""
    if run.strict:
        return "With --strict-assumptions, every contradicted assumption fails the run."
    return (
        f"{_count(run.contradictions, 'contradicted assumption')} did not fail the run; --strict-assumptions "
        "(make: STRICT_ASSUMPTIONS=1) would make them failures."
    )


VERDICT_WIDTH = 110
VERDICT_INDENT = 14


def verdict(recorder: Recorder, report_dir: str | Path = "reports") -> str:
    """What the terminal shows at the end of a run: PASS or FAIL per API, then each failure and each contradicted
    assumption with its reproduction. No matrix: that is in the full report.

    Args:
        recorder: The run's record.
        report_dir: Where the full report was written, as the user should read it.

    Returns:
        Plain text: one line per API and a few per finding, wrapped; a reproduction stays on one line to be copied.
    """
    run = group(recorder)
    against = f" against {'the simulators' if run.target == 'simulators' else run.target}" if run.target else ""
    lines = [f"Conformance{against}: {_word(run.passed)}", ""]
    columns = [
        [
            api.name,
            _word(api.passed(run.strict)),
            _count(len(api.operations), "operation"),
            _count(api.cases, "case"),
            _count(api.failure_count, "failure"),
            _count(len(api.contradictions), "assumption contradicted", "assumptions contradicted"),
        ]
        for api in run.apis
    ]
    widths = [max(len(row[position]) for row in columns) for position in range(len(columns[0]))] if columns else []
    for api, row in zip(run.apis, columns, strict=True):
        # Name and verdict to the left, counts to the right, so the numbers of all APIs line up.
        cells = [cell.ljust(width) for cell, width in zip(row[:2], widths, strict=False)]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells) + (f"  ({len(api.not_run)} not run)" if api.not_run else ""))
        for failure in api.failures:
            texts = [f"{failure['operation'].partition(' ')[2]}  `{failure['check']}`: {failure['title']}"]
            if fact := _fact(failure):
                texts.append(f"fact: {fact}")
            lines += _verdict_entry("failure", texts, failure["reproduction"])
        for nodeid, message in api.failed_tests:
            lines += _verdict_entry("failed test", [nodeid, textwrap.shorten(message, 300)], "")
        for entry in api.contradictions:
            texts = [
                _location(entry),
                f"assumed {entry.get('fact', '')}: {entry.get('assumed', '')}",
                f"server: {entry.get('observed', '')}",
                f"found by {_found_by(entry)} on {entry['operation'].partition(' ')[2]}",
            ]
            lines += _verdict_entry("assumption", texts, entry.get("reproduction", ""))
    if note := _contradictions_note(run):
        lines += ["", *textwrap.wrap(note, VERDICT_WIDTH)]
    directory = Path(report_dir)
    lines += ["", f"Full report: {directory / 'conformance-summary.md'}, {directory / 'conformance.html'}"]
    return "\n".join(lines) + "\n"


def _verdict_entry(tag: str, texts: list[str], reproduction: str) -> list[str]:
    lines: list[str] = []
    if reproduction and not _is_request(reproduction):
        texts, reproduction = [*texts, f"reproduce: {reproduction}"], ""
    for text in texts:
        # Long words (URLs, pointers) stay whole: a URL broken in two cannot be copied.
        lines += textwrap.wrap(text, VERDICT_WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    if reproduction:
        lines.append(reproduction)
    return [f"  {tag:<{VERDICT_INDENT - 2}}{lines[0]}", *(" " * VERDICT_INDENT + line for line in lines[1:])]


def markdown(recorder: Recorder, title: str) -> str:
    """The full summary a person reads after a run (reports/conformance-summary.md).

    Args:
        recorder: The run's record.
        title: The first heading.

    Returns:
        Markdown: the verdict per API, its operation x check matrix with cases per phase, then check failures,
        contradicted assumptions, observations, failed tests and tests not run, each finding with its reproduction.
    """
    run = group(recorder)
    failures, failed_tests, not_run = run.every("failures"), run.every("failed_tests"), run.every("not_run")
    lines = [f"# {title}", ""]
    if run.target:
        lines += [f"Against {run.target}; assumptions {'strict' if run.strict else 'reported, not failing'}.", ""]
    lines += [
        f"{sum(api.cases for api in run.apis)} schemathesis cases ("
        + ", ".join(f"{phase} {run.cases(phase)}" for phase in PHASES)
        + f"); {len(failures)} distinct check failures; {run.contradictions} contradicted assumptions; "
        f"{run.tests} tests, {len(failed_tests)} failed, {len(not_run)} not run.",
        "",
        "## Verdict",
        "",
        "| API | verdict | operations | cases | failures | assumptions contradicted | tests not run |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {api.name} | {_word(api.passed(run.strict))} | {len(api.operations)} | {api.cases:,} | "
        f"{api.failure_count} | {len(api.contradictions)} | {len(api.not_run)} |"
        for api in run.apis
    ]
    lines += ["", "## Operation x check", ""]
    for api in run.apis:
        if api.operations:
            lines += [f"### {api.name}", ""]
            lines.append("| operation | cases (" + " / ".join(PHASES) + ") | " + " | ".join(api.checks) + " |")
            lines.append("|---|---|" + "---|" * len(api.checks))
            for row in api.operations:
                counts = " / ".join(str(row.phases.get(phase, 0)) for phase in PHASES)
                cells = " | ".join(text for text, _ in row.cells.values())
                lines.append(f"| {row.label} | {counts} | {cells} |")
            lines.append("")
    if failures:
        lines += ["## Check failures", ""]
        for failure in failures:
            lines.append(f"- **{failure['operation']}**: `{failure['check']}`: {failure['title']}")
            if fact := _fact(failure):
                lines.append(f"  fact: {fact}")
            lines.append(f"  `{failure['reproduction']}`")
        lines.append("")
    if run.contradictions:
        lines += ["## Assumptions this server contradicts", "", _contradictions_note(run), ""]
        for entry in run.every("contradictions"):
            reproduction = entry.get("reproduction", "")
            lines += [
                f"- **{entry['operation']}** (found by {_found_by(entry)}): `{_location(entry)}`",
                f"  - assumed {entry.get('fact', '')}: {entry.get('assumed', '')}",
                f"  - observed: {entry.get('observed', '')}",
                f"  - reproduction: `{reproduction}`"
                if _is_request(reproduction)
                else f"  - reproduce: {reproduction}",
            ]
        lines.append("")
    if observations := run.every("observations"):
        lines += ["## Observations", ""]
        lines += [f"- **{key}**: {note}" for key, notes in observations for note in notes]
        lines.append("")
    if failed_tests:
        lines += ["## Failed tests", ""]
        lines += [f"- `{nodeid}`: failed: {message}" for nodeid, message in failed_tests]
        lines.append("")
    if not_run:
        lines += ["## Not run against this target", ""]
        lines += [f"- `{nodeid}`: skipped: {message}" for nodeid, message in not_run]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: bottom; }
th.check { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
.ok, tr.pass .verdict { background: #d9f2d9; }
.failed, tr.fail .verdict, .run-verdict.fail { background: #f8d0d0; font-weight: bold; }
.assumed { background: #fde8b0; }
.not-run { background: #eee; color: #777; }
.legend span, .run-verdict { padding: 0.1em 0.5em; margin-right: 0.5em; }
.run-verdict.pass { background: #d9f2d9; font-weight: bold; }
pre { background: #f5f5f5; padding: 0.5em; white-space: pre-wrap; word-break: break-all; }
li { margin-bottom: 0.8em; }
dt { font-weight: bold; }
"""


def html(recorder: Recorder, title: str) -> str:
    """The full report as one self-contained page (reports/conformance.html): inline CSS, no script, no link out.

    Findings carry stable markup for tests and tools: `<li class="failure" data-api data-operation data-check>`,
    `<li class="assumption" data-api data-operation data-check data-document data-pointer>` (`data-check` empty for
    a lifecycle test), `<li class="failed-test" data-nodeid>`, `<li class="skipped-test" data-nodeid>`,
    `<li class="observation" data-operation>`; a verdict row is `<tr class="pass|fail" data-api>`, and a matrix cell
    `<td class="ok|failed|assumed|not-run" data-check>`.

    Args:
        recorder: The run's record.
        title: The page's title and first heading.

    Returns:
        The page, every recorded string redacted and escaped.
    """
    run = group(recorder)
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{_e(title)}</h1>",
        f'<p><span class="run-verdict {_word(run.passed).lower()}">{_word(run.passed)}</span>',
    ]
    if run.target:
        strictness = "strict" if run.strict else "reported, not failing"
        parts.append(f"against {_e(run.target)}; assumptions {strictness}.")
    parts.append("</p>")
    parts += _html_verdicts(run) + _html_matrices(run) + _html_findings(run)
    parts.append("</body>\n</html>")
    return "\n".join(parts) + "\n"


def _e(value: Any) -> str:
    return html_escape(str(value), quote=True)


def _code_spans(text: str) -> str:
    # Facts and check names are written for Markdown (`minimum: 1`); on the page their backticks become code.
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _html_verdicts(run: RunReport) -> list[str]:
    parts = [
        '<table class="verdicts">\n<tr><th>API</th><th>verdict</th><th>operations</th><th>cases</th>'
        "<th>failures</th><th>assumptions contradicted</th><th>tests not run</th></tr>"
    ]
    for api in run.apis:
        word = _word(api.passed(run.strict))
        parts.append(
            f'<tr class="{word.lower()}" data-api="{_e(api.name)}"><td>{_e(api.name)}</td>'
            f'<td class="verdict">{word}</td><td>{len(api.operations)}</td><td>{api.cases:,}</td>'
            f"<td>{api.failure_count}</td><td>{len(api.contradictions)}</td><td>{len(api.not_run)}</td></tr>"
        )
    return [*parts, "</table>"]


def _html_matrices(run: RunReport) -> list[str]:
    parts = [
        '<h2>Operation x check</h2>\n<p class="legend"><span class="ok">ok N: passed N times</span>'
        '<span class="failed">FAIL f/N: failed</span><span class="assumed">ASSUMED a/N: assumption contradicted</span>'
        '<span class="not-run">-: not run</span></p>'
    ]
    for api in run.apis:
        if not api.operations:
            continue
        header = "".join(f"<th>{phase}</th>" for phase in PHASES)
        header += "".join(f'<th class="check">{_e(name)}</th>' for name in api.checks)
        parts.append(f'<h3>{_e(api.name)}</h3>\n<table class="matrix" data-api="{_e(api.name)}">')
        parts.append(f"<tr><th>operation</th>{header}</tr>")
        for row in api.operations:
            cells = "".join(f"<td>{row.phases.get(phase, 0)}</td>" for phase in PHASES)
            cells += "".join(
                f'<td class="{outcome}" data-check="{_e(name)}">{_e(text)}</td>'
                for name, (text, outcome) in row.cells.items()
            )
            parts.append(f'<tr data-operation="{_e(row.label)}"><td>{_e(row.label)}</td>{cells}</tr>')
        parts.append("</table>")
    return parts


def _html_findings(run: RunReport) -> list[str]:
    parts: list[str] = []
    if failures := run.every("failures"):
        parts.append("<h2>Check failures</h2>\n<ul>")
        for failure in failures:
            fact = _fact(failure)
            parts.append(
                f'<li class="failure" data-api="{_e(failure["operation"].partition(" ")[0])}" '
                f'data-operation="{_e(failure["operation"])}" data-check="{_e(failure["check"])}">'
                f"<strong>{_e(failure['operation'])}</strong>: <code>{_e(failure['check'])}</code>: "
                f"{_e(failure['title'])}"
                + (f'<p class="fact">fact: {_e(fact)}</p>' if fact else "")
                + f"<pre>{_e(failure['reproduction'])}</pre></li>"
            )
        parts.append("</ul>")
    if run.contradictions:
        parts.append(f"<h2>Assumptions this server contradicts</h2>\n<p>{_e(_contradictions_note(run))}</p>\n<ul>")
        for api in run.apis:
            for entry in api.contradictions:
                parts.append(
                    f'<li class="assumption" data-api="{_e(api.name)}" data-operation="{_e(entry["operation"])}" '
                    f'data-check="{_e(entry.get("check") or "")}" data-document="{_e(entry.get("document", ""))}" '
                    f'data-pointer="{_e(entry.get("pointer", ""))}"><code>{_e(_location(entry))}</code> '
                    f"on <strong>{_e(entry['operation'])}</strong>, found by {_code_spans(_found_by(entry))}<dl>"
                    f"<dt>assumed</dt><dd>{_code_spans(entry.get('fact', ''))}: {_e(entry.get('assumed', ''))}</dd>"
                    f"<dt>observed</dt><dd>{_e(entry.get('observed', ''))}</dd>"
                    f"<dt>reproduction</dt><dd><pre>{_e(entry.get('reproduction', ''))}</pre></dd></dl></li>"
                )
        parts.append("</ul>")
    if observations := run.every("observations"):
        parts.append("<h2>Observations</h2>\n<ul>")
        for key, notes in observations:
            parts += [
                f'<li class="observation" data-operation="{_e(key)}"><strong>{_e(key)}</strong>: {_e(note)}</li>'
                for note in notes
            ]
        parts.append("</ul>")
    for heading, css, tests in (
        ("Failed tests", "failed-test", run.every("failed_tests")),
        ("Not run against this target", "skipped-test", run.every("not_run")),
    ):
        if tests:
            parts.append(f"<h2>{heading}</h2>\n<ul>")
            parts += [
                f'<li class="{css}" data-nodeid="{_e(nodeid)}"><code>{_e(nodeid)}</code>: {_e(message)}</li>'
                for nodeid, message in tests
            ]
            parts.append("</ul>")
    return parts
