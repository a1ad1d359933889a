"""Wires the conformance suite: the run (`run.Run`, kept in the session's stash), the fixtures that hand its parts to
the tests, the per-test record, and the reports at the end.

A test of `contract_tests/server/<api>/` gets that API's `target` and `schema` (started and loaded when first asked
for, never at collection), its `conformance` and `checks`, and the run's `verdicts`, `recorder` and `max_examples`.
Two markers say what a test needs of a live server: `writes` (it changes state: only with --allow-writes) and
`simulator_only` (it needs what only a simulator can give, such as users or accounts of its own); `runs_last` puts a
test that deletes what the others read after them.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from contract_tests.server import rendering
from contract_tests.server.conformance import Check, Conformance
from contract_tests.server.report import Recorder
from contract_tests.server.run import Run
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts

HERE = Path(__file__).parent
RUN = pytest.StashKey[Run]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RUN] = Run.from_config(config)
    config.pluginmanager.register(Reports(config.stash[RUN], config), "conformance-reports")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Only the APIs asked for with --api (all by default) are collected."""
    apis = config.stash[RUN].options.apis
    if apis and collection_path.parent == HERE and collection_path.is_dir() and collection_path.name != "__pycache__":
        return collection_path.name not in apis
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `runs_last` (they delete what the others read: a live RekoSearch run has one job) run after all
    the others, in the order they were collected."""
    items.sort(key=lambda item: item.get_closest_marker("runs_last") is not None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    run = item.config.stash[RUN]
    if item.get_closest_marker("writes") and run.live and not run.options.allow_writes:
        pytest.skip("changes state: pass --allow-writes to run it against a live server")
    marker = item.get_closest_marker("simulator_only")
    if marker and run.live:
        pytest.skip(marker.kwargs.get("reason", "needs what only the simulator can give"))


def _api(path: Path) -> str:
    """The API of a test: its folder under contract_tests/server/."""
    return path.resolve().relative_to(HERE).parts[0]


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Run:
    return pytestconfig.stash[RUN]


@pytest.fixture(scope="module")
def api(request: pytest.FixtureRequest) -> str:
    return _api(request.path)


@pytest.fixture
def target(run: Run, api: str) -> Target:
    return run.target(api)


@pytest.fixture
def schema(run: Run, api: str) -> Any:
    return run.schema(api)


@pytest.fixture
def conformance(run: Run, api: str) -> Conformance:
    return run.conformance(api)


@pytest.fixture
def checks(run: Run, api: str) -> list[Check]:
    return run.checks(api)


@pytest.fixture
def max_examples(run: Run) -> int:
    return run.options.max_examples


@pytest.fixture
def verdicts(run: Run) -> Verdicts:
    return run.verdicts


@pytest.fixture
def recorder(run: Run) -> Recorder:
    return run.recorder


class Reports:
    """The run's record of every test, and its reports at the end (a plugin, so that its hooks have the run)."""

    def __init__(self, run: Run, config: pytest.Config) -> None:
        self.run = run
        self.config = config
        self.verdict = ""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            crash = getattr(report.longrepr, "reprcrash", None)
            if report.skipped and isinstance(report.longrepr, tuple):
                text = str(report.longrepr[2]).removeprefix("Skipped: ")
            else:
                text = crash.message if crash else str(report.longrepr or "")
            lines = text.strip().splitlines()
            self.run.recorder.record_test(report.nodeid, report.outcome, lines[0] if lines else "")

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        recorder = self.run.recorder
        directory = Path(self.config.getoption("--report-dir"))
        self.run.stop()
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:
            recorder.write_part(directory, worker)
            return
        recorder.merge_parts(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "conformance-summary.md").write_text(rendering.markdown(recorder, "Conformance summary"))
        (directory / "conformance.html").write_text(rendering.html(recorder, "Conformance report"))
        # The same, for machines (the tests of the suite itself read it): every string in it is already redacted.
        (directory / "conformance.json").write_text(json.dumps(recorder.to_json(), indent=1, sort_keys=True))
        self.verdict = rendering.verdict(recorder, _shown(directory))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.verdict:
            terminalreporter.write_sep("=", "conformance verdict")
            terminalreporter.write_line(self.verdict)


def _shown(directory: Path) -> Path:
    """The report folder as the user should read it: relative to where they are, when it is below."""
    try:
        return directory.resolve().relative_to(Path.cwd())
    except ValueError:
        return directory
