"""Command-line options of the conformance suite (contract_tests/server/). They live here, at the top of the test
tree, because pytest only reads options from conftest files it loads at start-up."""

import pytest

from contract_tests.documents import ROOT
from generator.registry import load_apis


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "the conformance suite (contract_tests/server)")
    group.addoption(
        "--api",
        action="append",
        choices=list(load_apis()),
        help="API to test (repeatable; default: every API)",
    )
    group.addoption("--base-url", help="test this live server instead of the embedded simulator (read-only)")
    group.addoption(
        "--allow-writes", action="store_true", help="against a live server, also run operations that change state"
    )
    group.addoption(
        "--strict-assumptions",
        action="store_true",
        help="against a live server, fail on what contradicts an assumed fact of the document too (by default it is "
        "reported, not failed: the vendor's contract allows it)",
    )
    group.addoption("--max-examples", type=int, default=25, help="generated cases per operation (fuzzing phase)")
    group.addoption("--report-dir", default=str(ROOT / "reports"), help="where the Markdown summary goes")
    group.addoption(
        "--mock-root",
        default=str(ROOT),
        help="run the embedded simulator from this copy of the repository (the planted-defect tests use it)",
    )
    group.addoption(
        "--lenient-mock",
        action="store_true",
        help="start the embedded simulator without --strict, so its own response validation hides nothing",
    )
