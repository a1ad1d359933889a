"""The bench harness runs end to end and prints its rows; no timing is asserted, only that there are figures."""

import dataclasses
import re
import sys

import pytest

from bench import build, clients
from bench.__main__ import main
from bench.apis import all_cases


def test_quick_run_prints_a_row_with_figures_per_case_and_skips_the_slow_sections(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--quick"]) == 0
    out = capsys.readouterr().out
    for case in all_cases():
        row = next(line for line in out.splitlines() if line.startswith(case.name))
        assert re.search(r"[0-9.]+ (µs|ms|s) .* [0-9.]+ (µs|ms|s) .* [0-9.]+x", row), row
        if case.target is not None:
            assert f"<= {case.target:g}x" in row
    assert "Regeneration and conformance ==\nskipped (--quick)" in out


def test_a_case_whose_request_is_not_the_clients_is_refused() -> None:
    first = all_cases()[0]
    case = dataclasses.replace(first, path=first.path + "/progress")
    with (
        pytest.raises(clients.BenchError, match=r"the floor sent GET \S+/progress, the client GET"),
        clients.prepared(case),
    ):
        pass


def test_a_case_whose_client_does_not_parse_the_body_is_refused() -> None:
    case = dataclasses.replace(all_cases()[0], parsed=dict)
    with pytest.raises(clients.BenchError, match="not a dict"), clients.prepared(case):
        pass


def test_a_step_is_timed_and_summed_up_by_its_last_line_and_a_failure_shows_its_output() -> None:
    passing = build.run(build.Step("prints two lines", (sys.executable, "-c", "print('first'); print('last')")))
    failing = build.run(build.Step("fails", (sys.executable, "-c", "import sys; print('why'); sys.exit(3)")))

    assert (passing.ok, passing.summary, passing.seconds > 0) == (True, "last", True)
    assert (failing.ok, failing.returncode) == (False, 3)
    report = build.report([passing, failing])
    assert "FAILED (3)" in report
    assert "fails (`" in report
    assert report.endswith("why")
