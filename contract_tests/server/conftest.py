"""Wires the conformance suite: the target of the run, the per-check record, and the summary at the end."""

import json
import os
from pathlib import Path

import pytest
import schemathesis

from contract_tests.server import rendering, targets, verdicts
from contract_tests.server import report as summary


def pytest_configure(config: pytest.Config) -> None:
    apis = tuple(config.getoption("--api") or ())
    if config.getoption("--base-url") and len(apis) != 1:
        raise pytest.UsageError("--base-url needs exactly one --api")
    targets.OPTIONS = targets.Options(
        apis=apis,
        base_url=config.getoption("--base-url"),
        allow_writes=config.getoption("--allow-writes"),
        max_examples=config.getoption("--max-examples"),
        mock_root=Path(config.getoption("--mock-root")),
        strict_mock=not config.getoption("--lenient-mock"),
    )
    strict = config.getoption("--strict-assumptions")
    verdicts.POLICY = verdicts.Policy(live=bool(config.getoption("--base-url")), strict_assumptions=strict)
    summary.RECORDER.run.update(
        {"target": config.getoption("--base-url") or "simulators", "strict_assumptions": bool(strict)}
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Only the APIs asked for with --api (all by default) are collected."""
    here = Path(__file__).parent
    apis = targets.OPTIONS.apis
    if apis and collection_path.parent == here and collection_path.is_dir() and collection_path.name != "__pycache__":
        return collection_path.name not in apis
    return None


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Every failure is judged: against a live server, one caused only by assumed facts is reported, not failed."""
    return verdicts.judge(failure, case, response)


@schemathesis.hook
def after_validate(context, case, response, results) -> None:
    phase = case.meta.phase.name.value if case.meta is not None else "stateful"
    summary.RECORDER.record_validation(
        verdicts.api_of(case), case.operation.label, phase, results, case.as_curl_command(), verdicts.fact_of_failure
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.outcome != "passed":
        crash = getattr(report.longrepr, "reprcrash", None)
        if report.skipped and isinstance(report.longrepr, tuple):
            text = str(report.longrepr[2]).removeprefix("Skipped: ")
        else:
            text = crash.message if crash else str(report.longrepr or "")
        lines = text.strip().splitlines()
        message = lines[0] if lines else ""
        summary.RECORDER.record_test(report.nodeid, report.outcome, message)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    directory = Path(session.config.getoption("--report-dir"))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    targets.stop_embedded_mocks()
    if worker:
        summary.write_part(directory, worker)
        return
    summary.merge_parts(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "conformance-summary.md").write_text(rendering.markdown(summary.RECORDER, "Conformance summary"))
    (directory / "conformance.html").write_text(rendering.html(summary.RECORDER, "Conformance report"))
    # The same, for machines (the tests of the suite itself read it): every string in it is already redacted.
    (directory / "conformance.json").write_text(json.dumps(summary.RECORDER.to_json(), indent=1, sort_keys=True))
    session.config.stash[VERDICT] = rendering.verdict(summary.RECORDER, _shown(directory))


def _shown(directory: Path) -> Path:
    """The report folder as the user should read it: relative to where they are, when it is below."""
    try:
        return directory.resolve().relative_to(Path.cwd())
    except ValueError:
        return directory


VERDICT = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    text = config.stash.get(VERDICT, None)
    if text:
        terminalreporter.write_sep("=", "conformance verdict")
        terminalreporter.write_line(text)
