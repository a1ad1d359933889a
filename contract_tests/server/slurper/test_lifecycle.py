"""The generated client against the same server: whole job lifecycles through `generated_client.slurper`, every
response validated against the document on the way, plus the rules a schema cannot state (illegal transitions,
account isolation, abortAll, the concurrency cap, credentials never echoed).

Where an assertion rests on behaviour no source states, it names the assumed fact (`verdicts.expecting`, an `x-facts`
entry of openapi/slurper.yaml): a live server that behaves otherwise is reported, not failed (unless
--strict-assumptions). These tests create and change jobs: against a live server they run only with --allow-writes.
"""

from typing import Any

import pytest

from contract_tests.documents import request_example
from contract_tests.server.slurper.conftest import ContractRecorder
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.slurper import AuthenticatedClient
from generated_client.slurper.api.r2_super_slurper import (
    slurper_abort_all_jobs,
    slurper_abort_job,
    slurper_check_source_connectivity,
    slurper_check_target_connectivity,
    slurper_create_job,
    slurper_delete_job,
    slurper_get_job,
    slurper_get_job_logs,
    slurper_get_job_progress,
    slurper_list_jobs,
    slurper_pause_job,
    slurper_resume_job,
)
from generated_client.slurper.models import (
    ConnectivityPrecheckResponse,
    ConnectivityStatus,
    CreateJobRequest,
    FailureResponse,
    JobActionResponse,
    JobCreateResponse,
    JobListResponse,
    JobLogListResponse,
    JobProgressResponse,
    JobResponse,
    JobStatus,
    LogType,
    R2Target,
    S3Source,
)

API = "slurper"
MAX_POLLS = 500

pytestmark = pytest.mark.writes


def _create(client: AuthenticatedClient, account: str, created: list[tuple[str, str]], example: str = "fromS3") -> str:
    job = slurper_create_job.sync(
        account, client=client, body=CreateJobRequest.from_dict(request_example(API, "slurper-create-job", example))
    )
    assert isinstance(job, JobCreateResponse), job
    created.append((account, job.result.id))
    return job.result.id


def _job(client: AuthenticatedClient, account: str, job_id: str) -> Any:
    found = slurper_get_job.sync(account, job_id, client=client)
    assert isinstance(found, JobResponse), found
    return found.result


def _failure_status(function: Any, *args: Any, client: AuthenticatedClient) -> int:
    response = function.sync_detailed(*args, client=client)
    assert isinstance(response.parsed, FailureResponse), response.content
    assert response.parsed.success is False
    return int(response.status_code)


def _progress_until_completed(client: AuthenticatedClient, account: str, job_id: str, verdicts: Verdicts) -> Any:
    """Poll a job's progress until it is completed, its counters adding up all the while.

    Raises:
        AssertionError: It is not completed after `MAX_POLLS` polls.
    """
    counters = None
    for _ in range(MAX_POLLS):
        progress = slurper_get_job_progress.sync(account, job_id, client=client)
        assert isinstance(progress, JobProgressResponse), progress
        counters = progress.result
        with verdicts.expecting(API, "counters-add-up"):
            assert counters.transferred_objects + counters.failed_objects + counters.skipped_objects <= counters.objects
        if counters.status == JobStatus.COMPLETED:
            return counters
    raise AssertionError(f"job {job_id} did not complete after {MAX_POLLS} progress polls: {counters}")


def _names(log_types: list[Any]) -> list[str]:
    return [str(getattr(log_type, "value", log_type)) for log_type in log_types]


def _all_logs(client: AuthenticatedClient, account: str, job_id: str) -> list[Any]:
    entries: list[Any] = []
    while True:
        page = slurper_get_job_logs.sync(account, job_id, client=client, limit=50, offset=len(entries))
        assert isinstance(page, JobLogListResponse), page
        entries += page.result
        if len(page.result) < 50:
            return entries


def test_a_job_runs_to_completion_and_its_log_agrees_with_its_progress(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    job_id = _create(client, account, created)
    job = _job(client, account, job_id)
    with verdicts.expecting(API, "jobs-run-to-completion"):
        assert job.status == JobStatus.RUNNING
    with verdicts.expecting(API, "finished-at-marks-the-end"):
        assert job.finished_at is None
    assert job.source.bucket == "media-archive"
    assert not hasattr(job.source, "secret")

    counters = None
    with verdicts.expecting(API, "jobs-run-to-completion"):
        counters = _progress_until_completed(client, account, job_id, verdicts)
    if counters is None:
        return
    with verdicts.expecting(API, "counters-add-up"):
        assert counters.transferred_objects + counters.failed_objects + counters.skipped_objects == counters.objects
    finished = _job(client, account, job_id)
    assert finished.status == JobStatus.COMPLETED
    with verdicts.expecting(API, "finished-at-marks-the-end"):
        assert finished.finished_at is not None
    logs = _all_logs(client, account, job_id)
    types = [entry.log_type for entry in logs]
    with verdicts.expecting(API, "log-records-each-transition"):
        assert types[0] == LogType.MIGRATION_START, f"the log starts with {_names(types[:1])}"
        assert types.count(LogType.MIGRATION_COMPLETE) == 1, (
            f"the log has {types.count(LogType.MIGRATION_COMPLETE)} migrationComplete"
        )
    per_object = [entry for entry in logs if entry.object_key]
    skipped = [entry for entry in per_object if entry.log_type.value.startswith("importSkipped")]
    failed = [entry for entry in per_object if entry.log_type == LogType.IMPORT_ERROR_RETRY_EXHAUSTION]
    with verdicts.expecting(API, "log-has-an-entry-per-skipped-or-failed-object"):
        assert len(skipped) == counters.skipped_objects
        assert len(failed) == counters.failed_objects
    assert all(entry.job == job_id for entry in logs)


def test_pause_resume_abort_delete_and_the_illegal_transitions_between_them(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    job_id = _create(client, account, created)

    assert isinstance(slurper_pause_job.sync(account, job_id, client=client), JobActionResponse)
    assert _job(client, account, job_id).status == JobStatus.PAUSED
    assert _failure_status(slurper_pause_job, account, job_id, client=client) == 409
    assert _failure_status(slurper_delete_job, account, job_id, client=client) == 409

    assert isinstance(slurper_resume_job.sync(account, job_id, client=client), JobActionResponse)
    assert _job(client, account, job_id).status == JobStatus.RUNNING
    assert 400 <= _failure_status(slurper_resume_job, account, job_id, client=client) < 500
    assert _failure_status(slurper_delete_job, account, job_id, client=client) == 409

    assert isinstance(slurper_abort_job.sync(account, job_id, client=client), JobActionResponse)
    aborted = _job(client, account, job_id)
    assert aborted.status == JobStatus.ABORTED
    with verdicts.expecting(API, "finished-at-marks-the-end"):
        assert aborted.finished_at is not None
    assert _failure_status(slurper_pause_job, account, job_id, client=client) == 409
    assert 400 <= _failure_status(slurper_resume_job, account, job_id, client=client) < 500
    assert 400 <= _failure_status(slurper_abort_job, account, job_id, client=client) < 500

    events = [entry.log_type for entry in _all_logs(client, account, job_id) if entry.object_key is None]
    expected = [LogType.MIGRATION_START, LogType.MIGRATION_PAUSE, LogType.MIGRATION_RESUME, LogType.MIGRATION_ABORT]
    with verdicts.expecting(API, "log-records-each-transition"):
        assert events == expected, f"the job-level log entries are {_names(events)}, not {_names(expected)}"

    assert isinstance(slurper_delete_job.sync(account, job_id, client=client), JobActionResponse)
    for function in (slurper_get_job, slurper_get_job_progress, slurper_get_job_logs, slurper_delete_job):
        status = _failure_status(function, account, job_id, client=client)
        name = function.__name__.rsplit(".", 1)[-1]
        assert 400 <= status < 500, f"{name} of a deleted job answered {status}"
        with verdicts.expecting(API, "a-missing-job-is-404"):
            assert status == 404, f"{name} of a deleted job answered {status}, not 404"


def test_a_completed_job_cannot_be_paused(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    job_id = _create(client, account, created)
    completed = None
    with verdicts.expecting(API, "jobs-run-to-completion"):
        completed = _progress_until_completed(client, account, job_id, verdicts)
    if completed is None:
        return

    assert _failure_status(slurper_pause_job, account, job_id, client=client) == 409
    assert _job(client, account, job_id).status == JobStatus.COMPLETED


def test_a_job_is_invisible_from_another_account(
    client: AuthenticatedClient, account: str, other_account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    """Two accounts: the simulator makes one per account id; live, CLOUDFLARE_ACCOUNT_ID_2 (skipped without it)."""
    job_id = _create(client, account, created)
    other = other_account

    for function in (slurper_get_job, slurper_pause_job, slurper_get_job_logs):
        status = _failure_status(function, other, job_id, client=client)
        name = function.__name__.rsplit(".", 1)[-1]
        assert 400 <= status < 500, f"{name} from another account answered {status}"
        with verdicts.expecting(API, "a-missing-job-is-404"):
            assert status == 404, f"{name} from another account answered {status}, not 404"
    listed = slurper_list_jobs.sync(other, client=client)
    assert isinstance(listed, JobListResponse)
    assert job_id not in [job.id for job in listed.result]
    assert _job(client, account, job_id).status == JobStatus.RUNNING


@pytest.mark.simulator_only(reason="fills the account up to its concurrency limit")
def test_the_concurrency_cap_gives_the_documented_409(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], target: Target
) -> None:
    cap = target.announced.details["max_concurrent_jobs"]
    for _ in range(cap):
        _create(client, account, created)

    response = slurper_create_job.sync_detailed(
        account, client=client, body=CreateJobRequest.from_dict(request_example(API, "slurper-create-job"))
    )

    assert response.status_code == 409
    assert isinstance(response.parsed, FailureResponse)
    slurper_abort_all_jobs.sync(account, client=client)
    _create(client, account, created)


def test_connectivity_prechecks_answer_success_or_error(client: AuthenticatedClient, account: str) -> None:
    source = slurper_check_source_connectivity.sync(
        account, client=client, body=S3Source.from_dict(request_example(API, "slurper-check-source-connectivity"))
    )
    target = slurper_check_target_connectivity.sync(
        account, client=client, body=R2Target.from_dict(request_example(API, "slurper-check-target-connectivity"))
    )

    assert isinstance(source, ConnectivityPrecheckResponse)
    assert isinstance(target, ConnectivityPrecheckResponse)
    assert {source.result.connectivity_status, target.result.connectivity_status} <= set(ConnectivityStatus)


def test_no_credential_ever_comes_back(
    recorder: tuple[AuthenticatedClient, ContractRecorder], account: str, created: list[tuple[str, str]], target: Target
) -> None:
    client, seen = recorder
    job_id = _create(client, account, created, "fromGcs")
    _job(client, account, job_id)
    slurper_list_jobs.sync(account, client=client)
    slurper_check_source_connectivity.sync(
        account, client=client, body=S3Source.from_dict(request_example(API, "slurper-check-source-connectivity"))
    )
    sent = [
        request_example(API, "slurper-create-job", "fromGcs")["source"]["secret"]["privateKey"],
        request_example(API, "slurper-create-job", "fromGcs")["target"]["secret"]["secretAccessKey"],
        request_example(API, "slurper-check-source-connectivity")["secret"]["secretAccessKey"],
        *target.secrets,
    ]

    everything = "\n".join(seen.bodies)
    assert seen.bodies
    assert [secret for secret in sent if secret in everything] == []
