"""The conformance suite is itself tested, API by API of the registry: each test plants one defect in a copy of the
API's simulator, runs the API's suite against that copy, and asserts that the suite fails and that its summary names
the check (or the lifecycle test) that caught it, with a reproduction. A control run against an unchanged copy must
pass, so a failure is the defect's doing. Live against a copy that only deviates in ways the vendor's contract allows,
the suite passes and lists every assumption the copy contradicts. A defect of meaning is caught in live mode too,
against the copy started as a separate server: it fails there, or, where it breaks only an assumed fact, it is listed
as a contradiction. What is planted is each API's `DEFECTS` and
`DEVIATIONS` (`contract_tests/planted_defects/<api>.py`); `planting.py` does the planting."""

from pathlib import Path

import pytest

from contract_tests.planted_defects.planting import (
    SHOWN_OUTPUT,
    Defect,
    Planted,
    all_planted,
    copy_with,
    run_live,
    run_suite,
)

PLANTED = all_planted()
APIS = [pytest.param(each, id=each.api) for each in PLANTED]
DEFECTS = [
    pytest.param(each.api, defect, mode, id=f"{each.api}-{defect}-{mode}")
    for each in PLANTED
    for defect in each.defects
    for mode in (("simulator", "live") if defect.live else ("simulator",))
]


@pytest.mark.parametrize("planted", APIS)
@pytest.mark.parametrize("mode", ["simulator", "live"])
def test_the_suite_passes_on_an_unchanged_copy(tmp_path: Path, planted: Planted, mode: str) -> None:
    copy = copy_with(tmp_path, None)
    run = run_suite(planted.api, copy) if mode == "simulator" else run_live(planted.api, copy, tmp_path / "reports")

    assert run.returncode == 0, run.output[-SHOWN_OUTPUT:]
    assert "0 distinct check failures" in run.summary
    assert not run.report["contradictions"], run.report["contradictions"]


@pytest.mark.parametrize(("api", "defect", "mode"), DEFECTS)
def test_the_suite_catches_a_planted_defect(tmp_path: Path, api: str, defect: Defect, mode: str) -> None:
    copy = copy_with(tmp_path, defect)
    if mode == "live":
        run = run_live(api, copy, tmp_path / "reports", selection=defect.tests)
        if defect.contradicts is not None:
            assert run.returncode == 0, f"{defect} broke only an assumption, yet failed:\n{run.output[-SHOWN_OUTPUT:]}"
            listed = {entry["pointer"] for entry in run.report["contradictions"].values()}
            assert defect.contradicts in listed, f"{defect}: {defect.contradicts} is not listed: {sorted(listed)}"
            return
    else:
        run = run_suite(api, copy, defect.tests)

    assert run.returncode == 1, f"{defect} went unnoticed ({mode}):\n{run.output[-SHOWN_OUTPUT:]}"
    assert defect.caught_by in run.summary, f"{defect}: the summary does not name {defect.caught_by}:\n{run.summary}"
    if defect.fact is not None:
        assert defect.fact in run.summary, f"{defect}: the summary does not name the fact {defect.fact}:\n{run.summary}"
    if defect.caught_by.startswith("test_"):
        assert f"`contract_tests/server/{api}/{defect.module}.py::{defect.caught_by}" in run.summary
    else:
        assert f"`{defect.caught_by}`" in run.summary
        assert "curl -X" in run.summary


@pytest.mark.parametrize("planted", APIS)
def test_a_copy_that_only_contradicts_assumptions_passes_live_and_is_listed(tmp_path: Path, planted: Planted) -> None:
    api, deviations = planted.api, planted.deviations
    copy = copy_with(tmp_path, deviations)

    run = run_live(api, copy, tmp_path / "lenient")

    assert run.returncode == 0, (
        f"a copy the vendor's contract allows failed the live suite:\n{run.output[-SHOWN_OUTPUT:]}"
    )
    listed = {entry["pointer"] for entry in run.report["contradictions"].values()}
    expected = [deviation for deviation in deviations if deviation.contradicts is not None]
    missing = [f"{deviation}: {deviation.contradicts}" for deviation in expected if deviation.contradicts not in listed]
    assert not missing, f"contradicted assumptions not listed: {missing}; listed: {sorted(listed)}"
    observations = [note for notes in run.report["observations"].values() for note in notes]
    for deviation in deviations:
        if deviation.observed is not None:
            assert any(deviation.observed in note for note in observations), (deviation.observed, observations)
    for entry in run.report["contradictions"].values():
        assert entry["document"] == f"openapi/{api}.yaml", entry
        assert entry["assumed"], entry
        assert entry["observed"], entry
        assert entry["reproduction"], entry

    strict = run_live(api, copy, tmp_path / "strict", "--strict-assumptions")

    assert strict.returncode == 1, (
        f"--strict-assumptions passed a copy that contradicts assumptions:\n{strict.output[-SHOWN_OUTPUT:]}"
    )
    assert not strict.report["contradictions"], "with --strict-assumptions a contradiction is a failure, not a note"
