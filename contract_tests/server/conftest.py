"""Wires the conformance suite: the target of the run, the per-check record, and the summary at the end."""

import os
from pathlib import Path

import pytest
import schemathesis

from contract_tests.server import report as summary
from contract_tests.server import targets


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


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Only the APIs asked for with --api (all by default) are collected."""
    here = Path(__file__).parent
    apis = targets.OPTIONS.apis
    if apis and collection_path.parent == here and collection_path.is_dir() and collection_path.name != "__pycache__":
        return collection_path.name not in apis
    return None


@schemathesis.hook
def after_validate(context, case, response, results) -> None:
    phase = case.meta.phase.name.value if case.meta is not None else "stateful"
    api = Path(case.operation.schema.location or "").stem
    summary.RECORDER.record_validation(api, case.operation.label, phase, results, case.as_curl_command())


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
    text = summary.markdown(summary.RECORDER, "Conformance summary")
    (directory / "conformance-summary.md").write_text(text)
    session.config.stash[SUMMARY] = text


SUMMARY = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    text = config.stash.get(SUMMARY, None)
    if text:
        terminalreporter.write_sep("=", "conformance summary (also in reports/conformance-summary.md)")
        terminalreporter.write_line(text)
