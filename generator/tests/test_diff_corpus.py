"""The diff corpus: every change of diff_corpus/cases.yaml gets exactly the verdict written beside it. The wire
verdicts come from the rules alone (fast); the cases with a `code` verdict generate both sides."""

from typing import Any

import pytest

from generator.diff.report import Report, compare
from generator.tests.diff_helpers import CASES, CORPUS_API, case_sides

# The rules issue 15 asks for, by their names here: each has a case in the corpus.
REQUIRED_RULES = {
    # operations
    "endpoint-added",
    "endpoint-removed",
    "endpoint-path-changed",
    "operation-id-changed",
    # parameters
    "new-optional-request-parameter",
    "new-required-request-parameter",
    "request-parameter-removed",
    "request-parameter-became-required",
    "request-parameter-type-changed",
    "request-parameter-bounds-narrowed",
    "request-parameter-bounds-widened",
    "request-parameter-enum-value-removed",
    "request-parameter-enum-value-added",
    # request body properties
    "new-required-request-property",
    "request-property-became-required",
    "request-property-type-changed",
    "request-property-enum-value-removed",
    # response properties
    "response-required-property-removed",
    "response-optional-property-removed",
    "response-property-type-changed",
    "response-property-became-optional",
    "response-property-became-nullable",
    "response-property-enum-value-added",
    "response-property-union-variant-added",
    # status codes
    "response-success-status-changed",
    "response-non-success-status-added",
    "response-non-success-status-removed",
    # security schemes
    "security-scheme-added",
    "security-scheme-removed",
    # descriptions
    "description-changed",
}
TRAPS = [case for case in CASES if "trap" in case]


def _described(report: Report) -> str:
    return "\n".join(
        f"  {change.level} wire={change.breaks_wire} {change.pointer} {change.rules}: {change.title}"
        for change in report.changes
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_wire_verdict(case: dict[str, Any]) -> None:
    report = compare(*case_sides(case), api=None)

    unmatched = list(report.changes)
    for expected in case["expect"]:
        match = next(
            (
                change
                for change in unmatched
                if expected["rule"] in change.rules
                and change.level == expected["level"]
                and change.breaks_wire == expected["wire"]
                and change.pointer == expected.get("pointer", change.pointer)
            ),
            None,
        )
        assert match is not None, f"expected {expected}, the report has:\n{_described(report)}"
        unmatched.remove(match)
    assert not unmatched, f"unexpected changes:\n{_described(report)}"
    rules = {rule for change in report.changes for rule in change.rules}
    assert set(case.get("also_rules", [])) <= rules
    assert report.breaks == (["wire"] if any(expected["wire"] for expected in case["expect"]) else [])


CODE_CASES = [case for case in CASES if "code" in case]


@pytest.mark.parametrize("case", CODE_CASES, ids=[case["name"] for case in CODE_CASES])
def test_code_verdict_from_the_generated_packages(case: dict[str, Any]) -> None:
    report = compare(*case_sides(case), api=CORPUS_API)

    expected = case["code"]
    assert report.breaks == expected["breaks"], _described(report)
    rules = {rule for change in report.changes for rule in change.rules}
    assert set(expected["rules"]) <= rules, _described(report)
    assert report.bump == expected["bump"]


def test_the_corpus_covers_every_rule_the_issue_asks_for() -> None:
    covered = {expected["rule"] for case in CASES for expected in case["expect"]}
    covered |= {rule for case in CASES for rule in case.get("also_rules", [])}

    assert covered >= REQUIRED_RULES, sorted(REQUIRED_RULES - covered)


def test_the_four_traps_are_in_the_corpus_with_their_code_verdicts() -> None:
    traps = {case["name"]: case for case in TRAPS}

    assert len(traps) == 4
    assert all("code" in case for case in traps.values())
    required_parameter = traps["a required query parameter added"]
    assert required_parameter["expect"][0]["rule"] == "new-required-request-parameter"
    assert traps["an operationId renamed"]["code"]["breaks"] == ["code"]
    assert traps["an operation's description reworded"]["code"]["breaks"] == []
    assert traps["a new value in an enum shared by requests and responses"]["code"]["breaks"] == ["wire"]
