"""The conformance tests every API runs, written once: each operation through schemathesis' examples, coverage and
fuzzing phases (`test_operation_conforms`), then random walks along the document's links (`test_stateful_links`),
every response held to every built-in check that applies plus the run's own (`checks.SharedChecks`) and the API's.

An API's `test_conformance.py` imports both tests and `leave_nothing_behind`, so they run there with that API's
`schema`, `target` and `conformance` fixtures (conftest.py), and what they created is cleaned up before the API's
other tests run. What differs per API is data: its `Conformance` (its suite's `checks` module
makes it, `conformance(target, recorder)`).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from contract_tests.server.targets import Target

Check = Callable[..., bool | None]


def _nothing(*arguments: Any) -> None:
    return None


@dataclass
class Conformance:
    """What an API adds to the shared conformance tests.

    Attributes:
        checks: Its own checks, beyond schemathesis' and the run's shared ones.
        excluded: schemathesis' built-in checks it replaces with its own (each says why, in its module).
        replaced: Built-in checks excluded for one case only (by default none).
        call_kwargs: What every call is made with (for example a session that bounds streams).
        after_call: Sees every response, in every phase (for example to remember what to clean up).
        start_walk: Called at the start of every walk; returns what adjusts each of its calls (a walk gets an account
            or a user of its own, say, so that a walk Hypothesis replays meets the same state).
        walk_examples: How many walks, from --max-examples.
        walk_steps: How many steps a walk takes at most.
        finish: Called once these tests are done, before the API's lifecycle tests (leave nothing behind: on a live
            account, jobs the fuzzer left running would count against its concurrency limit).
    """

    checks: list[Check]
    excluded: list[Check] = field(default_factory=list)
    replaced: Callable[[Any], list[Check]] = lambda case: []
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    after_call: Callable[[Any, Any], None] = _nothing
    start_walk: Callable[[], Callable[[Any], None]] = lambda: _nothing
    walk_examples: Callable[[int], int] = lambda max_examples: max(5, max_examples // 2)
    walk_steps: int = 8
    finish: Callable[[], None] = _nothing

    def validate(
        self, case: Any, response: Any, checks: list[Check], transport_kwargs: Any = None, recorder: Any = None
    ) -> None:
        """Hold one response to every check that applies: `checks` are the run's and the API's own."""
        case.validate_response(
            response,
            additional_checks=checks,
            excluded_checks=[*self.excluded, *self.replaced(case)],
            transport_kwargs=transport_kwargs or None,
            recorder=recorder,
        )


schema = schemathesis.pytest.from_fixture("schema")


@pytest.fixture(scope="module", autouse=True)
def leave_nothing_behind(run: Any, api: str) -> Iterator[None]:
    """Once the module's tests are done, undo what they created (`Conformance.finish`), if they started anything."""
    yield
    if run.started(api):
        run.conformance(api).finish()


@schema.parametrize()
def test_operation_conforms(case: Any, conformance: Conformance, checks: list[Check]) -> None:
    response = case.call(**conformance.call_kwargs)
    conformance.after_call(case, response)
    conformance.validate(case, response, checks, conformance.call_kwargs)


def test_stateful_links(
    schema: Any, target: Target, conformance: Conformance, checks: list[Check], max_examples: int
) -> None:
    """Random walks along the document's links, each response checked like the ones above."""
    if not target.may_fuzz_writes:
        pytest.skip("generated requests may not write to this live server (--allow-writes, and the API allows it)")

    class Walks(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.adjust = conformance.start_walk()

        def before_call(self, case: Any) -> None:
            self.adjust(case)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return dict(conformance.call_kwargs)

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            conformance.after_call(case, response)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            conformance.validate(case, response, [*checks, *(additional_checks or [])], kwargs, self.recorder)

    Walks.run(
        settings=settings(
            max_examples=conformance.walk_examples(max_examples),
            stateful_step_count=conformance.walk_steps,
            deadline=None,
            database=None,
        )
    )
