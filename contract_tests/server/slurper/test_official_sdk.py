"""A Cloudflare client nobody here wrote, Cloudflare's own Python SDK (`cloudflare` 4.3.1, Stainless-generated),
runs a whole job lifecycle against the server: so shapes, status codes, envelopes and the base path are what the real
API sends, not only what our document says.

The SDK has no delete method (reference §7.1), so the job is deleted through its raw `client.delete`.
"""

from collections.abc import Iterator
from typing import Any

import cloudflare
import pytest
from cloudflare import Cloudflare

from contract_tests.documents import request_example
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts

API = "slurper"
MAX_POLLS = 500

pytestmark = pytest.mark.writes


def _sdk(base_url: str, credentials: Credentials) -> Cloudflare:
    headers = credentials.headers
    if "Authorization" in headers:
        token = headers["Authorization"].removeprefix("Bearer ")
        return Cloudflare(base_url=base_url, api_token=token, max_retries=0)
    return Cloudflare(
        base_url=base_url, api_email=headers["X-Auth-Email"], api_key=headers["X-Auth-Key"], max_retries=0
    )


@pytest.fixture
def sdk(target: Target, credentials: Credentials) -> Iterator[Cloudflare]:
    with _sdk(target.base_url, credentials) as client:
        yield client


def _until_completed(jobs: Any, job_id: str, account: str) -> Any:
    for _ in range(MAX_POLLS):
        progress = jobs.progress(job_id, account_id=account)
        if progress.status == "completed":
            return progress
    raise AssertionError(f"job {job_id} did not complete after {MAX_POLLS} progress polls")


def test_the_official_sdk_runs_a_whole_lifecycle(sdk: Cloudflare, account: str, verdicts: Verdicts) -> None:
    body = request_example(API, "slurper-create-job", "fromS3")
    jobs = sdk.r2.super_slurper.jobs

    created = jobs.create(account_id=account, overwrite=body["overwrite"], source=body["source"], target=body["target"])
    assert created is not None
    assert created.id
    assert created.id in [job.id for job in jobs.list(account_id=account, limit=50)]

    assert isinstance(jobs.pause(created.id, account_id=account), str)
    assert jobs.get(created.id, account_id=account).status == "paused"
    with pytest.raises(cloudflare.ConflictError) as conflict:
        jobs.pause(created.id, account_id=account)
    assert conflict.value.errors[0].code >= 1000
    assert isinstance(jobs.resume(created.id, account_id=account), str)

    progress = None
    with verdicts.expecting(API, "jobs-run-to-completion"):
        progress = _until_completed(jobs, created.id, account)
    if progress is not None:
        with verdicts.expecting(API, "counters-add-up"):
            assert progress.transferred_objects + progress.failed_objects + progress.skipped_objects == progress.objects
        logs = list(jobs.logs.list(created.id, account_id=account, limit=50))
        with verdicts.expecting(API, "log-records-each-transition"):
            assert logs[0].log_type == "migrationStart", f"the log starts with {logs[0].log_type}"
            assert "migrationComplete" in [entry.log_type for entry in logs], "the log has no migrationComplete"
        finished = jobs.get(created.id, account_id=account)
        assert finished.status == "completed"
        with verdicts.expecting(API, "finished-at-marks-the-end"):
            assert finished.finished_at is not None

    second = jobs.create(account_id=account, source=body["source"], target=body["target"])
    assert isinstance(jobs.abort(second.id, account_id=account), str)
    assert jobs.get(second.id, account_id=account).status == "aborted"

    for job_id in (created.id, second.id):
        deleted = sdk.delete(f"/accounts/{account}/slurper/jobs/{job_id}", cast_to=object)
        assert deleted["success"] is True
        with pytest.raises(cloudflare.APIStatusError) as missing:
            jobs.get(job_id, account_id=account)
        assert 400 <= missing.value.status_code < 500
        with verdicts.expecting(API, "a-missing-job-is-404"):
            status = missing.value.status_code
            assert isinstance(missing.value, cloudflare.NotFoundError), f"a deleted job answered {status}, not 404"


@pytest.mark.simulator_only(reason="abortAll would abort every job of the live account, not only the suite's")
def test_the_official_sdk_aborts_all_jobs(sdk: Cloudflare, account: str) -> None:
    body = request_example("slurper", "slurper-create-job", "fromGcs")
    jobs = sdk.r2.super_slurper.jobs
    created = [jobs.create(account_id=account, source=body["source"], target=body["target"]).id for _ in range(2)]

    assert isinstance(jobs.abort_all(account_id=account), str)

    assert [jobs.get(job_id, account_id=account).status for job_id in created] == ["aborted", "aborted"]


def test_the_official_sdk_runs_both_connectivity_prechecks(sdk: Cloudflare, account: str) -> None:
    source = request_example("slurper", "slurper-check-source-connectivity")
    target = request_example("slurper", "slurper-check-target-connectivity")
    prechecks = sdk.r2.super_slurper.connectivity_precheck

    checked_source = prechecks.source(
        account_id=account, bucket=source["bucket"], secret=source["secret"], vendor="s3", endpoint=source["endpoint"]
    )
    checked_target = prechecks.target(
        account_id=account, bucket=target["bucket"], secret=target["secret"], vendor="r2", jurisdiction="eu"
    )

    assert checked_source.connectivity_status in ("success", "error")
    assert checked_target.connectivity_status in ("success", "error")
