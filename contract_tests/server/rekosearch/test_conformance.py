"""The RekoSearch document against a server: every operation through schemathesis' examples, coverage and fuzzing
phases, then the stateful phase along the document's links (list -> get -> get-object-url -> delete -> get), with
every built-in check that applies plus the project's own (contract_tests/server/checks.py, rekosearch/checks.py).

Two built-in checks do not fit an RPC-style API behind API Gateway and are replaced, not dropped:

- `unsupported_method` wants 405 for a method a path does not have; API Gateway's routing answers 404
  `{"message": "Not Found"}` (reference §6.5), which `unknown_route_is_not_found` insists on instead.
- `use_after_free` only follows resources named by path parameters, and RekoSearch names a job in the query string
  (`job-id`), so it never applies; `rpc_use_after_free` does the same with `job-id`: right after every successful
  jobs/delete (in any phase, the walks' linked ones included), jobs/get of that job must be 404.
"""

from hypothesis import settings
from schemathesis.specs.openapi.checks import unsupported_method

from contract_tests.server import report, targets
from contract_tests.server.checks import credentials_are_enforced, no_secret_echo
from contract_tests.server.rekosearch.checks import (
    job_belongs_to_caller,
    job_details_match_request,
    query_errors_name_the_parameter,
    remember_user,
    rpc_use_after_free,
    unauthorized_is_api_gateways,
    unknown_route_is_not_found,
)
from contract_tests.server.rekosearch.target import SETTINGS, demo_users, fresh_user

TARGET = targets.target_for(SETTINGS)
report.RECORDER.secrets.update(TARGET.secrets)
for known in demo_users(TARGET):
    if known.user_id is not None:
        remember_user(known.token, known.user_id)
schema = TARGET.schema(SETTINGS, targets.OPTIONS.max_examples)
CHECKS = [
    no_secret_echo,
    query_errors_name_the_parameter,
    unauthorized_is_api_gateways,
    unknown_route_is_not_found,
    job_belongs_to_caller,
    job_details_match_request,
    rpc_use_after_free,
]
if TARGET.may_probe_credentials:
    CHECKS.append(credentials_are_enforced)
EXCLUDED = [unsupported_method]


@schema.parametrize()
def test_operation_conforms(case) -> None:
    case.call_and_validate(additional_checks=CHECKS, excluded_checks=EXCLUDED)


if TARGET.may_fuzz_writes:

    class RekoSearchLinks(schema.as_state_machine()):
        """Random walks along the document's links, each response checked like the ones above.

        Every walk is a new user of the simulator's with the standard jobs: a walk replayed by Hypothesis then meets
        the same server state, and jobs deleted by earlier walks cannot change what it sees.
        """

        def setup(self) -> None:
            self.user = fresh_user(TARGET)
            report.RECORDER.secrets.add(self.user.token)
            if self.user.user_id is not None:
                remember_user(self.user.token, self.user.user_id)

        def before_call(self, case) -> None:
            # Only where the case carries credentials: a case without them is meant to go without.
            if case.headers and "Authorization" in case.headers:
                case.headers["Authorization"] = self.user.token

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(
                response,
                additional_checks=[*CHECKS, *(additional_checks or [])],
                excluded_checks=EXCLUDED,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    TestStatefulLinks = RekoSearchLinks.TestCase
    TestStatefulLinks.settings = settings(
        max_examples=max(5, targets.OPTIONS.max_examples // 2), stateful_step_count=8, deadline=None
    )
