"""Writes change exactly what they say: a kill order ends its job within the bound (an assumed fact: Posit's spec
gives none), and changes no other job, of the content item or of a second one (the simulator's second content item;
CONNECT_CONTENT_GUID_2 live, when given). Every job of both items is read before the kill and after it
(`snapshots`); what jobs do by themselves is allowed (an active one ending, a finished one being finalized, a new one
starting), anything else is the kill's doing: a finished job whose `end_time` or `exit_code` changed, a job gone.

Against a live server it runs only with --allow-writes, and kills one running job of CONNECT_CONTENT_GUID, as the
lifecycle test does; the second content item is only read.
"""

import pytest

from contract_tests.server import snapshots
from contract_tests.server.connect.target import second_content
from contract_tests.server.connect.test_lifecycle import _job, _jobs, _running_job
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.connect import AuthenticatedClient
from generated_client.connect.api.jobs import kill_job
from generated_client.connect.models import APIError, JobStatus, KillJobOrder

API = "connect"
FIELDS = ("status", "end_time", "exit_code")
# kill-ends-its-job-within-the-bound
KILL_BOUND = 10.0


def moved_by_itself(before: snapshots.State, after: snapshots.State) -> bool:
    """What a job does without being asked: an active one ends (any way), a finished one is finalized; a finished
    job's end and exit code never change."""
    if before["status"] == JobStatus.ACTIVE:
        return True
    return after["status"] >= before["status"] and (after["end_time"], after["exit_code"]) == (
        before["end_time"],
        before["exit_code"],
    )


def _snapshot(client: AuthenticatedClient, contents: list[str]) -> snapshots.Snapshot:
    """Every job of the content items, by (content GUID, job key)."""
    return snapshots.take(
        (((guid, job.key), job.to_dict()) for guid in contents for job in _jobs(client, guid)), FIELDS
    )


@pytest.mark.writes
def test_a_kill_ends_its_job_within_the_bound_and_changes_no_other(
    client: AuthenticatedClient, target: Target, guid: str, verdicts: Verdicts
) -> None:
    other = second_content(target)
    contents = [guid, *([other] if other else [])]
    job = _running_job(client, target, guid)
    before = _snapshot(client, contents)

    order = kill_job.sync(guid, job.key, client=client)

    if target.live and isinstance(order, APIError) and order.code == 163:
        pytest.skip(f"job {job.key} ended by itself before the kill")
    assert isinstance(order, KillJobOrder), order
    with verdicts.expecting(API, "kill-ends-its-job-within-the-bound"):
        ended = snapshots.within(KILL_BOUND, lambda: _job(client, guid, job.key).status != JobStatus.ACTIVE)
        assert ended, f"job {job.key} is still active {KILL_BOUND} s after its kill order was registered"
    after = _snapshot(client, contents)
    with verdicts.expecting(API, "kill-does-not-delete-the-job"):
        assert (guid, job.key) in after, f"the killed job {job.key} is no longer listed"
    with verdicts.expecting(API, "kill-changes-only-its-job"):
        found = snapshots.unexplained(
            before, after, aimed_at={(guid, job.key)}, by_themselves=moved_by_itself, may_appear=True
        )
        assert not found, f"the kill of {job.key} changed other jobs:\n{snapshots.described(found)}"
