"""The Connect document against a server: every operation through schemathesis' examples, coverage and fuzzing
phases, then the stateful phase along the document's links (list -> get -> log / error / download / tail / kill),
with every built-in check that applies plus the project's own (contract_tests/server/checks.py and
contract_tests/server/connect/checks.py).

Every request goes through `streams.BoundedSession`, so a tail is read for at most the target's stream deadline and
nothing waits for a stream that never ends; `tail_ends_once_finalized` then judges the tails that were cut short.
"""

import time

import httpx
from hypothesis import settings
from schemathesis.specs.openapi.checks import use_after_free

from contract_tests.server import report, targets
from contract_tests.server.checks import credentials_are_enforced, no_secret_echo
from contract_tests.server.connect.checks import ConnectChecks, replaced_checks
from contract_tests.server.connect.target import SETTINGS, stream_deadline, viewer_credentials
from contract_tests.server.streams import BoundedSession

TARGET = targets.target_for(SETTINGS)
VIEWER = viewer_credentials(TARGET)
report.RECORDER.secrets.update(TARGET.secrets)
if VIEWER is not None:
    report.RECORDER.secrets.update(VIEWER.secrets)
schema = TARGET.schema(SETTINGS, targets.OPTIONS.max_examples)
SESSION = BoundedSession(stream_deadline(TARGET))
CONNECT_CHECKS = ConnectChecks(TARGET.credentials, VIEWER, grace=stream_deadline(TARGET))
CHECKS = [no_secret_echo, *CONNECT_CHECKS.all()]
if TARGET.may_probe_credentials:
    CHECKS.append(credentials_are_enforced)
# A kill order ends a job but does not delete it: the job is still there, finished (openapi/README.md). The tail's
# Content-Type is judged by `tail_media_type` instead of schemathesis (`replaced_checks`).
EXCLUDED = [use_after_free]
# How long a walk waits for the app's next process after the last walk killed one (the simulator starts it one
# `--line-interval`, 50 ms, after a kill).
NEXT_PROCESS_WAIT = 10.0


def wait_for_the_apps_next_process() -> None:
    """Return once the newest job of the content runs: the state every walk starts from."""
    url = f"{TARGET.base_url}/v1/content/{TARGET.parameters['guid']}/jobs"
    deadline = time.monotonic() + NEXT_PROCESS_WAIT
    while time.monotonic() < deadline:
        listed = httpx.get(url, headers=TARGET.credentials.headers, timeout=NEXT_PROCESS_WAIT)
        if listed.status_code == 200 and listed.json() and listed.json()[0]["status"] == 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"the content's newest job was still not running {NEXT_PROCESS_WAIT} s after the last walk")


@schema.parametrize()
def test_operation_conforms(case) -> None:
    case.call_and_validate(
        session=SESSION, additional_checks=CHECKS, excluded_checks=[*EXCLUDED, *replaced_checks(case)]
    )


if TARGET.may_fuzz_writes:

    class ConnectLinks(schema.as_state_machine()):
        """Random walks along the document's links, each response checked like the ones above (on the simulator
        only: `SETTINGS.live_fuzzed_writes`).

        Walks share the server's jobs (there is no way to make new ones through this API), and Hypothesis replays a
        walk expecting the same answers to the same steps (else it fails with FlakyStrategyDefinition). So every walk
        starts once the app runs a process again (the simulator starts one a moment after a kill): the list then
        begins with a running job, and its first kill works.
        """

        def setup(self) -> None:
            wait_for_the_apps_next_process()

        def get_call_kwargs(self, case) -> dict:
            return {"session": SESSION}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(
                response,
                additional_checks=[*CHECKS, *(additional_checks or [])],
                excluded_checks=[*EXCLUDED, *replaced_checks(case)],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    TestStatefulLinks = ConnectLinks.TestCase
    # Walks are cheap here (no job is created), and only walks reach the log, error, download and tail of real jobs.
    TestStatefulLinks.settings = settings(
        max_examples=max(5, targets.OPTIONS.max_examples), stateful_step_count=10, deadline=None
    )
