"""Connect's client against a simulator that injects faults (the fixtures: contract_tests/client/conftest.py): an
active job is killed exactly once and waited on until finalized through the retries."""

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.client.conftest import ALL_KINDS, PATIENT, faulty_client
from contract_tests.client.connect.calls import CLIENT
from generated_client import connect
from generated_client.connect.api.jobs import get_job, get_jobs, kill_job
from generated_client.connect.models import JobItem, JobStatus, KillJobOrder
from generated_client.connect.wait import wait_for_job as connect_wait
from mock_server.announcement import Announcement


@pytest.mark.parametrize(
    "simulator",
    # The active job writes for a minute, so it is still active when it is killed; once killed it is soon final.
    [("connect", "0.3", ALL_KINDS, ("--line-interval", "0.1", "--job-lines", "600", "--finalize-delay", "0.2"))],
    indirect=True,
)
def test_a_connect_job_is_killed_exactly_once_and_waited_on_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(faulty_client(CLIENT, simulator, **PATIENT))
    guid = simulator.tenants[0].id
    listed = get_jobs.sync(guid, client=client)
    assert isinstance(listed, list)
    active = [job for job in listed if job.status == JobStatus.ACTIVE]
    assert active, "the seed has an active job"
    key = active[0].key

    order = kill_job.sync(guid, key, client=client)
    assert isinstance(order, KillJobOrder)
    final = connect_wait(guid, key, client=client, timeout=120, interval=0.05)

    assert final.status == JobStatus.FINALIZED
    again = get_job.sync(guid, key, client=client)
    assert isinstance(again, JobItem)
    assert again.status == JobStatus.FINALIZED
    with pytest.raises(connect.errors.ConflictError) as conflict:
        kill_job.sync(guid, key, client=client)
    assert conflict.value.details is not None
    assert conflict.value.details.code == 163
    # The app may start a new job after the kill; the killed one is listed once, and no job went missing.
    keys = [job.key for job in get_jobs.sync(guid, client=client) or []]
    assert keys.count(key) == 1
    assert {job.key for job in listed} <= set(keys)
    assert len(waits) > 0
