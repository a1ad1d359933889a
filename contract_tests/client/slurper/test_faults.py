"""The slurper's client against a simulator that injects faults (the fixtures: contract_tests/client/conftest.py): a
migration completes through the retries exactly once, and a stalled server never holds a wait past its timeout: the
stall's own late answer (a 503) would be seen if it did, an `APITimeoutError` is seen instead."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from contract_tests.client.conftest import ALL_KINDS, PATIENT, faulty_client
from contract_tests.client.slurper.calls import CLIENT
from contract_tests.documents import request_example
from generated_client import slurper
from generated_client.slurper.api.r2_super_slurper import (
    slurper_create_job,
    slurper_delete_job,
    slurper_get_job,
    slurper_pause_job,
    slurper_resume_job,
)
from generated_client.slurper.models import CreateJobRequest, JobCreateResponse, JobResponse, LogType
from generated_client.slurper.models import JobStatus as SlurperStatus
from generated_client.slurper.pagination import iter_job_logs, iter_jobs
from generated_client.slurper.wait import wait_for_job
from mock_server.announcement import Announcement


@pytest.mark.parametrize("simulator", [("slurper", "0.3", ALL_KINDS)], indirect=True)
def test_a_slurper_migration_completes_exactly_once_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(faulty_client(CLIENT, simulator, **PATIENT))
    account = simulator.tenants[0].id
    before = {job.id for job in iter_jobs(account, client=client)}
    body = CreateJobRequest.from_dict(request_example("slurper", "slurper-create-job"))

    # The job-creating POST is retried only when asked; the simulator's faults never run a request, so it is safe.
    creating = opened(client.with_retry(retry_non_idempotent=True))
    created = slurper_create_job.sync(account, client=creating, body=body)
    assert isinstance(created, JobCreateResponse)
    job_id = created.result.id
    assert slurper_pause_job.sync(account, job_id, client=client) is not None
    paused = slurper_get_job.sync(account, job_id, client=client)
    assert isinstance(paused, JobResponse)
    assert paused.result.status == SlurperStatus.PAUSED
    slurper_resume_job.sync(account, job_id, client=client)
    updates: list[str] = []
    final = wait_for_job(
        account, job_id, client=client, timeout=120, interval=0.05, on_progress=lambda p: updates.append(p.status)
    )

    assert final.status == SlurperStatus.COMPLETED
    assert final.transferred_objects + final.failed_objects + final.skipped_objects == final.objects
    after = [job.id for job in iter_jobs(account, client=client)]
    assert sorted(after) == sorted({*before, job_id})  # one job more: none lost, none created twice
    kinds = [entry.log_type for entry in iter_job_logs(account, job_id, client=client)]
    for once in (
        LogType.MIGRATION_START,
        LogType.MIGRATION_PAUSE,
        LogType.MIGRATION_RESUME,
        LogType.MIGRATION_COMPLETE,
    ):
        assert kinds.count(once) == 1, kinds
    slurper_delete_job.sync(account, job_id, client=client)
    assert job_id not in {job.id for job in iter_jobs(account, client=client)}
    assert len(waits) > 0  # faults did happen, and were retried


@pytest.mark.parametrize("simulator", [("slurper", "1", "stall")], indirect=True)
def test_a_stalled_server_never_holds_a_wait_past_its_timeout(
    simulator: Announcement, opened: Callable[[Any], Any]
) -> None:
    # The client itself would wait 60 s for an answer, the stall lasts 30 s, the wait may take 2 s: a poll that
    # outlasted the wait's deadline would see the stall's late 503 (a ServerError) instead of its own timeout.
    client = opened(faulty_client(CLIENT, simulator, max_retries=0).with_timeout(httpx.Timeout(60.0)))
    account = simulator.tenants[0].id
    with pytest.raises(slurper.errors.APITimeoutError):
        wait_for_job(account, str(simulator.tenants[0].jobs[0]), client=client, timeout=2.0, interval=0.05)
