"""One conformance run: its options, the targets it tests, how it judges what it finds, and what it found.

conftest.py makes the `Run` of a pytest session (kept in the session's stash) and hands its parts to the tests as
fixtures; nothing of a run lives in a module, so two runs in one process (the suite's own tests do that) never see
each other's state, and nothing starts before a test asks for it.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from contract_tests.server.checks import SharedChecks, answers_what_was_asked
from contract_tests.server.conformance import Check, Conformance
from contract_tests.server.memory import Memory
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Options, Target, Targets, target_settings
from contract_tests.server.verdicts import Policy, Verdicts, api_of, fact_of_failure
from generator.registry import load_apis


@dataclass
class Run:
    """What one run is and has found.

    Attributes:
        options: The command-line options.
        recorder: What the run found.
        verdicts: How it judges failures.
        targets: The servers it tests.
        shared_checks: The checks every API's responses must pass.
    """

    options: Options
    recorder: Recorder
    verdicts: Verdicts
    targets: Targets
    shared_checks: SharedChecks
    _schemas: dict[str, Any] = field(default_factory=dict)
    _conformance: dict[str, Conformance] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: pytest.Config) -> "Run":
        """The run pytest's command line asks for.

        Raises:
            pytest.UsageError: The options do not go together.
        """
        apis = tuple(config.getoption("--api") or ())
        base_url = config.getoption("--base-url")
        if base_url and len(apis) != 1:
            raise pytest.UsageError("--base-url needs exactly one --api")
        options = Options(
            apis=apis,
            base_url=base_url,
            allow_writes=config.getoption("--allow-writes"),
            max_examples=config.getoption("--max-examples"),
            mock_root=Path(config.getoption("--mock-root")),
            strict_mock=not config.getoption("--lenient-mock"),
        )
        strict = bool(config.getoption("--strict-assumptions"))
        recorder = Recorder()
        recorder.run.update({"target": base_url or "simulators", "strict_assumptions": strict})
        memory = Memory()
        verdicts = Verdicts(Policy(live=bool(base_url), strict_assumptions=strict), recorder, memory)
        return cls(options, recorder, verdicts, Targets(options), SharedChecks(recorder, memory))

    @property
    def live(self) -> bool:
        """Whether the run tests a live server."""
        return bool(self.options.base_url)

    def target(self, api: str) -> Target:
        """The target of `api`; its credentials are redacted from everything the run writes."""
        target = self.targets.get(api)
        self.recorder.secrets.update(target.secrets)
        return target

    def schema(self, api: str) -> Any:
        """`api`'s document as a schemathesis schema configured for its target, every failure judged by the run's
        verdicts and every validated response recorded."""
        if api not in self._schemas:
            schema = self.target(api).schema(target_settings(api), self.options.max_examples)
            verdicts, recorder = self.verdicts, self.recorder

            @schema.hook("filter_failure")
            def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
                return verdicts.judge(failure, case, response)

            @schema.hook("after_validate")
            def after_validate(context: Any, case: Any, response: Any, results: Any) -> None:
                phase = case.meta.phase.name.value if case.meta is not None else "stateful"
                recorder.record_validation(
                    api_of(case), case.operation.label, phase, results, case.as_curl_command(), fact_of_failure
                )

            self._schemas[api] = schema
        return self._schemas[api]

    def conformance(self, api: str) -> Conformance:
        """What `api` adds to the shared conformance tests (its suite's `checks.conformance`)."""
        if api not in self._conformance:
            make = load_apis()[api].part("suite", "checks").conformance
            self._conformance[api] = make(self.target(api), self.recorder)
        return self._conformance[api]

    def checks(self, api: str) -> list[Check]:
        """Every check beyond schemathesis' built-in ones that `api`'s responses must pass: the shared ones, the API's
        own, and the probe with missing and wrong credentials where the target may be sent them."""
        found: list[Check] = [
            self.shared_checks.no_secret_echo,
            answers_what_was_asked,
            self.shared_checks.reads_agree,
            *self.conformance(api).checks,
        ]
        if self.target(api).may_probe_credentials:
            found.append(self.shared_checks.credentials_are_enforced)
        return found

    def started(self, api: str) -> bool:
        """Whether the run's conformance tests of `api` got as far as their `Conformance`."""
        return api in self._conformance

    def stop(self) -> None:
        """Stop what the run started."""
        self.targets.stop()
