"""The generated clients against simulators that inject faults (mock_server/faults.py: a seeded fraction of requests
gets a 429 with Retry-After, a 503, a Cloudflare 520 page, a dropped connection or a stalled answer, decided before the
request is run, so a fault never changes state).

A whole job lifecycle of each API completes through the clients' retries, exactly once (no pause, kill or delete done
twice, no job lost or duplicated); when the faults never stop, each kind surfaces as its typed error once the retries
run out; and a stalled server never holds a client past its timeout: the stall's own late answer (a 503) would be
seen if it did, an `APITimeoutError` / `WaitTimeout` is seen instead. Waits between retries are recorded by the
`waits` fixture, not slept."""

import signal
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import httpx
import pytest

from contract_tests.documents import request_example
from generated_client import connect, rekosearch, slurper
from generated_client.connect.api.jobs import get_job, get_jobs, kill_job
from generated_client.connect.models import JobItem, JobStatus, KillJobOrder
from generated_client.connect.wait import wait_for_job as connect_wait
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.models import JobDetails, JobList, ObjectUrl
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
from mock_server.launcher import launch

ALL_KINDS = "429,503,520,drop,stall"
# Seeded: the same requests fail the same way on every run, so the test is as repeatable as the client's requests.
SEED = "7"
# Long enough that a client waiting it out would see the stall's 503, far longer than any client timeout here.
STALL = "30"
# The clients' timeouts: a stalled answer is given up on after this (and retried).
TIMEOUT = httpx.Timeout(0.5, connect=0.5)
# Enough retries that a 30% fault rate never exhausts them on this seed's sequence.
PATIENT = {"max_retries": 8}


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Iterator[Announcement]:
    """A simulator started with the fault options of `request.param`: (api, rate, kinds[, extra arguments])."""
    api, rate, kinds, *extra = request.param
    arguments = ("--fault-rate", rate, "--fault-kinds", kinds, "--fault-seed", SEED, "--stall-seconds", STALL)
    mock = launch(api, *arguments, *(extra[0] if extra else ()), strict=True)
    try:
        yield mock.announcement
    finally:
        # At once: a stalled request would hold a graceful shutdown for the whole stall.
        mock.stop(signal.SIGKILL)


@pytest.fixture
def opened() -> Iterator[Callable[[Any], Any]]:
    """Keeps the clients a test makes, and closes their connections at its end."""
    clients: list[Any] = []

    def keep(client: Any) -> Any:
        clients.append(client)
        return client

    yield keep
    for client in clients:
        client.get_httpx_client().close()


def _token(announcement: Announcement, scheme: str = "") -> str:
    """The first announced identity's credential, without its scheme word (the clients add their own)."""
    return announcement.identity().headers["Authorization"].removeprefix(scheme)


def _slurper(announcement: Announcement, **retry: Any) -> slurper.AuthenticatedClient:
    return slurper.AuthenticatedClient(
        base_url=announcement.base_url,
        token=_token(announcement, "Bearer "),
        timeout=TIMEOUT,
        retry=slurper.RetryPolicy(**retry),
        raise_on_error=True,
    )


def _connect(announcement: Announcement, **retry: Any) -> connect.AuthenticatedClient:
    return connect.AuthenticatedClient(
        base_url=announcement.base_url,
        token=_token(announcement, "Key "),
        prefix="Key",
        timeout=TIMEOUT,
        retry=connect.RetryPolicy(**retry),
        raise_on_error=True,
    )


def _rekosearch(announcement: Announcement, **retry: Any) -> rekosearch.AuthenticatedClient:
    return rekosearch.AuthenticatedClient(
        base_url=announcement.base_url,
        token=_token(announcement),
        prefix="",
        timeout=TIMEOUT,
        retry=rekosearch.RetryPolicy(**retry),
        raise_on_error=True,
    )


@pytest.mark.parametrize("simulator", [("slurper", "0.3", ALL_KINDS)], indirect=True)
def test_a_slurper_migration_completes_exactly_once_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(_slurper(simulator, **PATIENT))
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


@pytest.mark.parametrize(
    "simulator",
    # The active job writes for a minute, so it is still active when it is killed; once killed it is soon final.
    [("connect", "0.3", ALL_KINDS, ("--line-interval", "0.1", "--job-lines", "600", "--finalize-delay", "0.2"))],
    indirect=True,
)
def test_a_connect_job_is_killed_exactly_once_and_waited_on_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(_connect(simulator, **PATIENT))
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


@pytest.mark.parametrize("simulator", [("rekosearch", "0.3", ALL_KINDS)], indirect=True)
def test_a_rekosearch_job_is_read_and_deleted_once_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(_rekosearch(simulator, **PATIENT))
    listed = jobs_list.sync(client=client)
    assert isinstance(listed, JobList)
    job_id = listed.jobs[0].job_id
    job = jobs_get.sync(client=client, job_id=job_id)
    assert isinstance(job, JobDetails)
    uuid = next(iter(job.job_info.object_uuid_names.additional_properties))
    url = jobs_get_object_url.sync(client=client, job_id=job_id, object_uuid=uuid)
    assert isinstance(url, ObjectUrl)

    jobs_delete.sync(client=client, job_id=job_id)
    with pytest.raises(rekosearch.errors.NotFoundError):
        jobs_get.sync(client=client, job_id=job_id)
    remaining = jobs_list.sync(client=client)
    assert isinstance(remaining, JobList)
    assert sorted(j.job_id for j in remaining.jobs) == sorted(j.job_id for j in listed.jobs if j.job_id != job_id)
    assert len(waits) > 0


def _read_of(announcement: Announcement) -> tuple[Any, Any, Callable[[], object]]:
    """The package, a client and a read of one seeded job, for the simulator `announcement` describes."""
    tenant = announcement.tenants[0]
    if announcement.api == "slurper":
        client = _slurper(announcement)
        return slurper, client, partial(slurper_get_job.sync, tenant.id, str(tenant.jobs[0]), client=client)
    if announcement.api == "connect":
        client = _connect(announcement)
        return connect, client, partial(get_job.sync, tenant.id, str(tenant.jobs[0]), client=client)
    client = _rekosearch(announcement)
    return rekosearch, client, partial(jobs_get.sync, client=client, job_id=int(tenant.jobs[0]))


@pytest.mark.parametrize(
    ("simulator", "expected"),
    [
        (("slurper", "1", "503"), "ServerError"),
        (("slurper", "1", "520"), "ServerError"),
        (("slurper", "1", "429"), "RateLimitError"),
        (("slurper", "1", "drop"), "APIConnectionError"),
        (("slurper", "1", "stall"), "APITimeoutError"),
        (("connect", "1", "503"), "ServerError"),
        (("rekosearch", "1", "429"), "RateLimitError"),
    ],
    indirect=["simulator"],
    ids=str,
)
def test_when_the_faults_never_stop_the_typed_error_surfaces_after_the_retries(
    simulator: Announcement, expected: str, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    package, client, read = _read_of(simulator)
    opened(client)

    with pytest.raises(package.errors.APIError) as raised:
        read()

    assert type(raised.value).__name__ == expected
    assert len(waits) == client.retry.max_retries  # every retry was made, then the error surfaced
    if expected == "RateLimitError":
        assert raised.value.retry_after == 1.0
        assert waits == [1.0] * client.retry.max_retries
    if expected == "ServerError" and "520" in str(raised.value):
        assert raised.value.details is None  # Cloudflare's HTML page, kept raw
        assert b"Error code 520" in raised.value.content


@pytest.mark.parametrize("simulator", [("slurper", "1", "stall")], indirect=True)
def test_a_stalled_server_never_holds_a_wait_past_its_timeout(
    simulator: Announcement, opened: Callable[[Any], Any]
) -> None:
    # The client itself would wait 60 s for an answer, the stall lasts 30 s, the wait may take 2 s: a poll that
    # outlasted the wait's deadline would see the stall's late 503 (a ServerError) instead of its own timeout.
    client = opened(_slurper(simulator, max_retries=0).with_timeout(httpx.Timeout(60.0)))
    account = simulator.tenants[0].id
    with pytest.raises(slurper.errors.APITimeoutError):
        wait_for_job(account, str(simulator.tenants[0].jobs[0]), client=client, timeout=2.0, interval=0.05)
