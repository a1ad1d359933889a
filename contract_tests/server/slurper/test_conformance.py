"""The slurper document against a server: every operation through schemathesis' examples, coverage and fuzzing
phases, then the stateful phase along the document's links (create -> get / progress / logs / pause / resume / abort
/ delete), with every built-in check that applies plus the project's own (contract_tests/server/checks.py)."""

import uuid
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import settings
from schemathesis.specs.openapi.checks import ignored_auth

from contract_tests.server import report, targets
from contract_tests.server.checks import credentials_are_enforced, no_secret_echo
from contract_tests.server.slurper.checks import job_invariants
from contract_tests.server.slurper.target import SETTINGS

TARGET = targets.target_for(SETTINGS)
report.RECORDER.secrets.update(TARGET.secrets)
schema = TARGET.schema(SETTINGS, targets.OPTIONS.max_examples)
CHECKS = [no_secret_echo, job_invariants]
if TARGET.may_probe_credentials:
    CHECKS.append(credentials_are_enforced)
# Replaced by credentials_are_enforced: Cloudflare refuses missing credentials with 400, which ignored_auth rejects.
EXCLUDED = [ignored_auth]


CREATED_JOBS: set[tuple[str, str]] = set()


def _remember_created_job(case, response) -> None:
    if case.operation.label == "POST /accounts/{account_id}/slurper/jobs" and response.status_code == 201:
        CREATED_JOBS.add((case.path_parameters["account_id"], response.json()["result"]["id"]))


@pytest.fixture(scope="module", autouse=True)
def abort_and_delete_created_jobs() -> Iterator[None]:
    """Leave no job behind: on a live account (with --allow-writes) they would count against its concurrency limit."""
    yield
    with httpx.Client(base_url=TARGET.base_url, headers=TARGET.credentials.headers, timeout=30) as client:
        for account, job_id in sorted(CREATED_JOBS):
            path = f"/accounts/{quote(account, safe='')}/slurper/jobs/{quote(job_id, safe='')}"
            client.put(f"{path}/abort")
            client.delete(path)


@schema.parametrize()
def test_operation_conforms(case) -> None:
    response = case.call()
    _remember_created_job(case, response)
    case.validate_response(response, additional_checks=CHECKS, excluded_checks=EXCLUDED)


if TARGET.allow_writes:

    class SlurperLinks(schema.as_state_machine()):
        """Random walks along the document's links, each response checked like the ones above.

        Every walk gets an account of its own: a walk replayed by Hypothesis then meets the same server state, and
        jobs left by earlier walks (the concurrency cap) cannot change what it sees.
        """

        def setup(self) -> None:
            self.account_id = TARGET.parameters.get("account_id") or uuid.uuid4().hex

        def after_call(self, response, case) -> None:
            _remember_created_job(case, response)

        def before_call(self, case) -> None:
            if "account_id" in case.path_parameters:
                case.path_parameters["account_id"] = self.account_id

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(
                response,
                additional_checks=[*CHECKS, *(additional_checks or [])],
                excluded_checks=EXCLUDED,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    TestStatefulLinks = SlurperLinks.TestCase
    TestStatefulLinks.settings = settings(
        max_examples=max(5, targets.OPTIONS.max_examples // 2), stateful_step_count=8, deadline=None
    )
