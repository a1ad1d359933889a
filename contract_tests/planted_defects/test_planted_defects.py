"""The conformance suite is itself tested, API by API of the registry: each test plants one defect in a copy of the
API's simulator, runs the API's suite against that copy, and asserts that the suite fails and that its summary names
the check (or the lifecycle test) that caught it, with a reproduction. A control run against an unchanged copy must
pass, so a failure is the defect's doing. Live against a copy that only deviates in ways the vendor's contract allows,
the suite passes and lists every assumption the copy contradicts. What is planted is each API's `DEFECTS` and
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
DEFECTS = [pytest.param(each.api, defect, id=f"{each.api}-{defect}") for each in PLANTED for defect in each.defects]


@pytest.mark.parametrize("planted", APIS)
def test_the_suite_passes_on_an_unchanged_copy(tmp_path: Path, planted: Planted) -> None:
    returncode, summary, output = run_suite(planted.api, copy_with(tmp_path, None))

    assert returncode == 0, output[-SHOWN_OUTPUT:]
    assert "0 distinct check failures" in summary


@pytest.mark.parametrize(("api", "defect"), DEFECTS)
def test_the_suite_catches_a_planted_defect(tmp_path: Path, api: str, defect: Defect) -> None:
    returncode, summary, output = run_suite(api, copy_with(tmp_path, defect))

    assert returncode == 1, f"{defect} went unnoticed:\n{output[-SHOWN_OUTPUT:]}"
    assert defect.caught_by in summary, f"{defect}: the summary does not name {defect.caught_by}:\n{summary}"
    if defect.caught_by.startswith("test_"):
        assert f"`contract_tests/server/{api}/test_lifecycle.py::{defect.caught_by}" in summary
    else:
        assert f"`{defect.caught_by}`" in summary
        assert "curl -X" in summary


@pytest.mark.parametrize("planted", APIS)
def test_a_copy_that_only_contradicts_assumptions_passes_live_and_is_listed(tmp_path: Path, planted: Planted) -> None:
    api, deviations = planted.api, planted.deviations
    copy = copy_with(tmp_path, deviations)

    returncode, report, output = run_live(api, copy, tmp_path / "lenient")

    assert returncode == 0, f"a copy the vendor's contract allows failed the live suite:\n{output[-SHOWN_OUTPUT:]}"
    listed = {entry["pointer"] for entry in report["contradictions"].values()}
    expected = [deviation for deviation in deviations if deviation.contradicts is not None]
    missing = [f"{deviation}: {deviation.contradicts}" for deviation in expected if deviation.contradicts not in listed]
    assert not missing, f"contradicted assumptions not listed: {missing}; listed: {sorted(listed)}"
    observations = [note for notes in report["observations"].values() for note in notes]
    for deviation in deviations:
        if deviation.observed is not None:
            assert any(deviation.observed in note for note in observations), (deviation.observed, observations)
    for entry in report["contradictions"].values():
        assert entry["document"] == f"openapi/{api}.yaml", entry
        assert entry["assumed"], entry
        assert entry["observed"], entry
        assert entry["reproduction"], entry

    returncode, report, output = run_live(api, copy, tmp_path / "strict", "--strict-assumptions")

    assert returncode == 1, (
        f"--strict-assumptions passed a copy that contradicts assumptions:\n{output[-SHOWN_OUTPUT:]}"
    )
    assert not report["contradictions"], "with --strict-assumptions a contradiction is a failure, not a note"
