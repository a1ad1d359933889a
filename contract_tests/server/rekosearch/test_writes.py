"""Writes change exactly what they say: a jobs/delete removes its job, from jobs/get and jobs/list, and no other, of
the caller or of another user (`snapshots`: every job of both users is listed before and after; what processing
does by itself is allowed, anything else is the delete's doing).

Simulator: new users of the tests' own. Live (only with --allow-writes): the one job the suite ever deletes is
REKOSEARCH_JOB_ID, and the lifecycle tests (which run first) may have deleted it already: deleting it again must then
change nothing. The user's other jobs, and those of the REKOSEARCH_TOKEN_2 user when it is given, are only read.
"""

from collections.abc import Callable
from contextlib import ExitStack

import pytest

from contract_tests.server import snapshots
from contract_tests.server.rekosearch.target import User, demo_users, fresh_user, live_job_id, second_user
from contract_tests.server.rekosearch.test_lifecycle import _details, _listed, _not_found, known, two_users
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.rekosearch import AuthenticatedClient
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get
from generated_client.rekosearch.models import JobDeleted

API = "rekosearch"
FIELDS = ("job_name", "date", "total_size", "status")
FINAL = 3.0

pytestmark = pytest.mark.writes


def _rank(status: str) -> float | None:
    """Where a status is in the processing order (`processing-order`): queued, processing, processing_N%, then an
    end (success or one of the failed_* ones); None for a status the order does not know."""
    if status == "queued":
        return 0.0
    if status == "processing":
        return 1.0
    if status.startswith("processing_") and status.endswith("%") and status[11:-1].isdigit():
        return 1.0 + int(status[11:-1]) / 1000
    if status == "success" or status.startswith("failed_"):
        return FINAL
    return None


def processed_by_itself(before: snapshots.State, after: snapshots.State) -> bool:
    """What a job does by itself: its status moves on in the processing order; its name, date and size stay."""
    old, new = _rank(str(before["status"])), _rank(str(after["status"]))
    unchanged = all(before[name] == after[name] for name in FIELDS if name != "status")
    return unchanged and old is not None and new is not None and old < new


@pytest.mark.runs_last
def test_deleting_a_job_changes_that_job_only(
    target: Target, client_for: Callable[[User], AuthenticatedClient], verdicts: Verdicts
) -> None:
    mine = demo_users(target)[0] if target.live else fresh_user(target)
    job_id = live_job_id() if target.live else mine.jobs[1]
    other = second_user(target)
    users = {"caller": mine, **({"other user": other} if other else {})}
    with ExitStack() as stack:
        clients = {name: stack.enter_context(client_for(user)) for name, user in users.items()}

        def snapshot() -> snapshots.Snapshot:
            return snapshots.take(
                (
                    ((name, job.job_id), job.to_dict())
                    for name, client in clients.items()
                    for job in _listed(client).jobs
                ),
                FIELDS,
            )

        before = snapshot()
        deleted = jobs_delete.sync(client=clients["caller"], job_id=job_id)
        after = snapshot()
        with verdicts.expecting(API, "delete-answers-ok"):
            assert isinstance(deleted, JobDeleted), deleted
        with verdicts.expecting(API, "deleted-job-is-gone"):
            status = jobs_get.sync_detailed(client=clients["caller"], job_id=job_id).status_code
            assert status == 404, f"jobs/get of the deleted job {job_id} answered {status}"
            assert ("caller", job_id) not in after, f"the deleted job {job_id} is still listed"
        with verdicts.expecting(API, "deleting-removes-only-that-job"):
            found = snapshots.unexplained(
                before, after, aimed_at={("caller", job_id)}, by_themselves=processed_by_itself
            )
            assert not found, f"deleting job {job_id} changed other jobs:\n{snapshots.described(found)}"


@pytest.mark.runs_last
def test_deleting_a_job_leaves_the_other_users_job_with_the_same_id(
    target: Target, client_for: Callable[[User], AuthenticatedClient], verdicts: Verdicts
) -> None:
    """Two users: new simulator users; live, REKOSEARCH_JOB_ID of the REKOSEARCH_TOKEN user and the REKOSEARCH_TOKEN_2
    user's job with the same id, which is only read."""
    if target.live:
        mine, theirs = two_users(target)
        job_id = live_job_id()
    else:
        mine, theirs = fresh_user(target), fresh_user(target)
        job_id = mine.jobs[-1]
    with client_for(mine) as my_client, client_for(theirs) as their_client:
        theirs = known(their_client, theirs)
        if job_id not in theirs.jobs:
            pytest.skip(f"the REKOSEARCH_TOKEN_2 user has no job {job_id}")
        theirs_before = _details(their_client, job_id)

        assert isinstance(jobs_delete.sync(client=my_client, job_id=job_id), JobDeleted)

        _not_found(my_client, job_id)
        theirs_after = _details(their_client, job_id)
        assert theirs_after.job_info.user_id == theirs.user_id
        with verdicts.expecting(API, "deleting-touches-only-the-callers-job"):
            assert theirs_after.job_info.object_uuid_names == theirs_before.job_info.object_uuid_names
            assert job_id in [job.job_id for job in _listed(their_client).jobs]
