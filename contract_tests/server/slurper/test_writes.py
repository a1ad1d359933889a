"""Writes change exactly what they say: after each action (pause, resume, abort, delete, abortAll) the jobs the suite
created are read again, and the one job aimed at must have changed the way the action says, and nothing else: not
the other jobs of the account (running or final), nor those of another account. A running job completing by itself
is the only change no write explains that is allowed (`snapshots.unexplained`).

Only the suite's own jobs are read and compared: on a live account the others are someone's work. abortAll, which
aborts every running job of an account, is only sent to the second account (a fresh one on the simulator;
CLOUDFLARE_ACCOUNT_ID_2, a disposable one, live), and only while that account has no active job the suite did not
create. These tests create and change jobs: against a live server they run only with --allow-writes.
"""

from typing import Any

import pytest

from contract_tests.server import snapshots
from contract_tests.server.slurper.target import SECOND_ACCOUNT, second_account
from contract_tests.server.slurper.test_lifecycle import _create, _failure_status
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts
from generated_client.slurper import AuthenticatedClient
from generated_client.slurper.api.r2_super_slurper import (
    slurper_abort_all_jobs,
    slurper_abort_job,
    slurper_delete_job,
    slurper_get_job,
    slurper_list_jobs,
    slurper_pause_job,
    slurper_resume_job,
)
from generated_client.slurper.models import JobActionResponse, JobListResponse

API = "slurper"
# What tells a job's state in a snapshot.
FIELDS = ("status", "finishedAt")
ACTIVE = ("running", "paused")
PAGE = 50

pytestmark = pytest.mark.writes


@pytest.fixture
def credentials(target: Target) -> Credentials:
    """One scheme is enough here: what is under test is the writes, not the credentials."""
    return target.credentials


def completed_by_itself(before: snapshots.State, after: snapshots.State) -> bool:
    """The one move a job makes without being asked: a running job completes once its last object is copied."""
    return before["status"] == "running" and after["status"] == "completed"


def _listed(client: AuthenticatedClient, account: str) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    while True:
        page = slurper_list_jobs.sync(account, client=client, limit=PAGE, offset=len(jobs))
        assert isinstance(page, JobListResponse), page
        jobs += [job.to_dict() for job in page.result]
        if len(page.result) < PAGE:
            return jobs


def _snapshot(client: AuthenticatedClient, watched: list[tuple[str, str]]) -> snapshots.Snapshot:
    """The suite's jobs as their accounts list them, by (account, job id); a job not listed is not in it."""
    found = []
    for account in dict.fromkeys(account for account, _ in watched):
        ids = {job_id for owner, job_id in watched if owner == account}
        found += [((account, job["id"]), job) for job in _listed(client, account) if job["id"] in ids]
    return snapshots.take(found, FIELDS)


def test_pause_resume_abort_and_delete_change_their_job_only(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], target: Target, verdicts: Verdicts
) -> None:
    # Bystanders: a final job and a running one in the account (never more than two active at once, so a live
    # account's concurrency limit is not in the way), and a running one in another account when there is one.
    final = _create(client, account, created)
    slurper_abort_job.sync(account, final, client=client)
    job_id = _create(client, account, created)
    _create(client, account, created, "fromGcs")
    other = second_account(target)
    if other is not None:
        _create(client, other, created)
    watched, aimed_at = list(created), (account, job_id)

    for action, expected in (
        (slurper_pause_job, "paused"),
        (slurper_resume_job, "running"),
        (slurper_abort_job, "aborted"),
        (slurper_delete_job, None),
    ):
        name = action.__name__.rsplit(".", 1)[-1]
        before = _snapshot(client, watched)
        done = action.sync(account, job_id, client=client)
        assert isinstance(done, JobActionResponse), f"{name}: {done}"
        after = _snapshot(client, watched)
        if expected == "paused":
            # Each job read with a get too, while the one aimed at is paused (a read of a running job moves it on, and
            # it must not complete before its abort): the lists that follow are held to what the gets showed (the
            # run's memory: the whole list holds every job a get has shown, and list and get tell the same story).
            for owner, each in watched:
                slurper_get_job.sync_detailed(owner, each, client=client)
        with verdicts.expecting(API, "actions-change-only-their-job"):
            if expected is None:
                assert aimed_at not in after, f"{name}: job {job_id} is still listed: {after[aimed_at]}"
                status = _failure_status(slurper_get_job, account, job_id, client=client)
                assert 400 <= status < 500, f"{name}: get of the deleted job {job_id} answered {status}"
            else:
                assert (after.get(aimed_at) or {}).get("status") == expected, (
                    f"{name}: job {job_id} is {after.get(aimed_at)}, not {expected}"
                )
            found = snapshots.unexplained(before, after, aimed_at={aimed_at}, by_themselves=completed_by_itself)
            assert not found, f"{name} of {job_id} changed other jobs:\n{snapshots.described(found)}"


def test_abort_all_aborts_every_active_job_of_the_account_only(
    client: AuthenticatedClient,
    account: str,
    other_account: str,
    created: list[tuple[str, str]],
    target: Target,
    verdicts: Verdicts,
) -> None:
    """abortAll goes to the second account (live: CLOUDFLARE_ACCOUNT_ID_2, a disposable one); the suite's jobs of the
    first account, and a final job of the second, are the bystanders."""
    aborted_account, bystander_account = other_account, account
    if target.live:
        strangers = [job["id"] for job in _listed(client, aborted_account) if job["status"] in ACTIVE]
        if strangers:
            pytest.skip(
                f"{SECOND_ACCOUNT} has {len(strangers)} active jobs the suite did not create: not aborting them"
            )
    final_there = _create(client, aborted_account, created)
    slurper_abort_job.sync(aborted_account, final_there, client=client)
    running, paused = _create(client, aborted_account, created), _create(client, aborted_account, created, "fromGcs")
    slurper_pause_job.sync(aborted_account, paused, client=client)
    final_here = _create(client, bystander_account, created)
    slurper_abort_job.sync(bystander_account, final_here, client=client)
    bystander = _create(client, bystander_account, created)
    watched = list(created)
    before = _snapshot(client, watched)

    assert isinstance(slurper_abort_all_jobs.sync(aborted_account, client=client), JobActionResponse)

    after = _snapshot(client, watched)
    with verdicts.expecting(API, "abort-all-aborts-the-accounts-jobs-only"):
        if before[(aborted_account, running)]["status"] == "running":
            assert after[(aborted_account, running)]["status"] == "aborted", after[(aborted_account, running)]
        aimed_at = {(aborted_account, running), (aborted_account, paused)}
        found = snapshots.unexplained(before, after, aimed_at=aimed_at, by_themselves=completed_by_itself)
        assert not found, f"abortAll of {aborted_account} changed other jobs:\n{snapshots.described(found)}"
    # The description names running jobs; that a paused one is aborted too is the simulator's (and the suite's) reading.
    assert after[(aborted_account, paused)]["status"] == "aborted", after[(aborted_account, paused)]
    assert after[(bystander_account, bystander)]["status"] in ("running", "completed")
