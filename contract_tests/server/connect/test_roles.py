"""Every role on every operation: a viewer of the content is refused on each of the seven jobs operations, the kill
of a running job included (which must leave it running), and every role that may call them can.

The seven calls are made from the document (`roles.every_operation`), so an operation added to it is probed too. A
viewer's key is the simulator's, or CONNECT_VIEWER_API_KEY against a live server (without it the viewer's test is
skipped); a live run kills nothing unless --allow-writes is given, and then the viewer's kill is refused, by a server
that checks roles, before it ends anything.
"""

import time

import httpx
import pytest

from contract_tests.server import roles
from contract_tests.server.connect.target import stream_deadline
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts

API = "connect"
KILL = "KillJob"
ACTIVE, FINALIZED = 0, 2
# How long a live content item may be between two processes before the kill is left out.
RUNNING_JOB_WAIT = 5.0
VIEWER_STATUS = 403
VIEWER_CODE = 22


def _jobs(target: Target, guid: str) -> list[dict[str, object]]:
    response = httpx.get(f"{target.base_url}/v1/content/{guid}/jobs", headers=target.credentials.headers, timeout=30)
    assert response.status_code == 200, response.text[:200]
    listed = response.json()
    assert isinstance(listed, list), listed
    return listed


def _job(target: Target, guid: str, key: str) -> dict[str, object]:
    response = httpx.get(
        f"{target.base_url}/v1/content/{guid}/jobs/{key}", headers=target.credentials.headers, timeout=30
    )
    assert response.status_code == 200, response.text[:200]
    found: dict[str, object] = response.json()
    return found


def _running_key(target: Target, guid: str) -> str | None:
    """The key of an active job: the simulator's app process (always one, a moment after a kill); on a live server
    whatever runs within a few seconds, or None."""
    deadline = time.monotonic() + (RUNNING_JOB_WAIT if target.live else 10.0)
    while time.monotonic() < deadline:
        for job in _jobs(target, guid):
            if job["status"] == ACTIVE:
                return str(job["key"])
        time.sleep(0.05)
    assert target.live, "the simulator's app ran no process"
    return None


def _permitted(target: Target) -> list[Credentials]:
    """The keys of every role that may call the operations the run has: the owner's, and on the simulator the
    collaborator's and the administrator's."""
    return [target.credentials, *target.alternative_credentials]


def test_a_viewer_is_refused_on_every_operation_and_its_kill_leaves_the_job_running(
    target: Target, guid: str, viewer: Credentials | None, verdicts: Verdicts
) -> None:
    if viewer is None:
        pytest.skip("needs CONNECT_VIEWER_API_KEY, a key of a viewer of the content")
    running = _running_key(target, guid)
    key = running or str(_jobs(target, guid)[0]["key"])
    calls = roles.every_operation(API, target.base_url, {"guid": guid, "key": key})
    assert {call.operation_id for call in calls} >= {"GetJobs", "GetJob", "JobLogs", "JobTailLog", KILL}
    # The kill is tried only where the suite may write, and only on a running job: a viewer's kill must end nothing.
    tried = [call for call in calls if call.operation_id != KILL or (target.allow_writes and running is not None)]

    answers = {call: call.send(viewer.headers, stream_deadline(target)) for call in tried}

    with verdicts.expecting(API, "viewers-are-refused", evidence=roles.first_evidence(answers, [VIEWER_STATUS])):
        wrong = roles.not_refused(answers, [VIEWER_STATUS])
        assert not wrong, f"a viewer of the content was not refused: {wrong}"
    codes = {call.operation_id: response.json().get("code") for call, response in answers.items()}
    with verdicts.expecting(API, "viewer-refusal-is-code-22", evidence=next(iter(answers.values()))):
        assert all(code == VIEWER_CODE for code in codes.values()), f"a viewer's 403 codes: {codes}"
    if any(call.operation_id == KILL for call in tried):
        after = _job(target, guid, key)
        if after["status"] != ACTIVE:
            # A live job may have ended by itself since; one a kill ended reports no exit code.
            with verdicts.expecting(API, "viewers-are-refused"):
                assert target.live, f"a viewer's refused kill ended job {key}: {after}"
            with verdicts.expecting(API, "killed-job-has-no-exit-code"):
                assert after["exit_code"] is not None, f"job {key} ended without an exit code, as a killed one does"
    # The same reads with a permitted key succeed: the viewer was refused for the role, not for the requests.
    for call in tried:
        if not call.writes:
            control = call.send(target.credentials.headers, 1.0)
            assert 200 <= control.status_code < 300, f"{call.operation_id} failed for the owner too: {control.text}"


@pytest.mark.writes
def test_a_viewers_kill_of_a_finished_job_is_refused_for_the_role(
    target: Target, guid: str, viewer: Credentials | None, verdicts: Verdicts
) -> None:
    if viewer is None:
        pytest.skip("needs CONNECT_VIEWER_API_KEY, a key of a viewer of the content")
    finished = [job for job in _jobs(target, guid) if job["status"] == FINALIZED]
    if not finished:
        pytest.skip("the content has no finalized job")
    key = str(finished[0]["key"])
    kill = next(
        call
        for call in roles.every_operation(API, target.base_url, {"guid": guid, "key": key})
        if call.operation_id == KILL
    )

    refused = kill.send(viewer.headers)

    with verdicts.expecting(API, "viewer-refused-before-job-state", evidence=refused):
        assert refused.status_code != 409, "a viewer's kill of a finished job was refused for its state, not his role"
    with verdicts.expecting(API, "viewers-are-refused", evidence=refused):
        assert roles.refusal_problems(kill, refused, [VIEWER_STATUS]) == []


def test_every_permitted_role_may_call_every_operation(target: Target, guid: str, verdicts: Verdicts) -> None:
    """Owners, collaborators and administrators may call every operation: each reads with its key, and on the
    simulator each kills a running job (a live run kills only in the lifecycle test, with the run's own key)."""
    for credentials in _permitted(target):
        key = _running_key(target, guid) or str(_jobs(target, guid)[0]["key"])
        calls = roles.every_operation(API, target.base_url, {"guid": guid, "key": key})
        for call in calls:
            if call.writes and (target.live or call.operation_id != KILL):
                continue
            response = call.send(credentials.headers, 1.0)
            with verdicts.expecting(API, "viewers-are-refused", evidence=response):
                assert 200 <= response.status_code < 300, (
                    f"{call.operation_id} refused a permitted key: {response.status_code} {response.text[:200]}"
                )
