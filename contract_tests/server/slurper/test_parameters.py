"""The slurper's query parameters do what they mean: `limit` and `offset` page the jobs list and a job's logs,
walked page by page with small limits and compared with the list read in one page
(`contract_tests/server/parameters.py` judges the walks).

The tests create jobs (each aborted at once, so that a live account's concurrency limit is never in the way) and
delete them after: against a live server they run only with --allow-writes. A live account may hold other jobs,
which other clients may add or remove during a walk: the jobs list is walked between two reads in one page that
agree, and the test is skipped when it keeps changing.
"""

import json
from collections.abc import Sequence
from typing import Any

import pytest

from contract_tests.documents import request_example
from contract_tests.server import parameters
from contract_tests.server.verdicts import Verdicts
from generated_client.slurper import AuthenticatedClient
from generated_client.slurper.api.r2_super_slurper import (
    slurper_abort_job,
    slurper_create_job,
    slurper_get_job,
    slurper_get_job_logs,
    slurper_list_jobs,
    slurper_pause_job,
    slurper_resume_job,
)
from generated_client.slurper.models import (
    CreateJobRequest,
    JobCreateResponse,
    JobListResponse,
    JobLogListResponse,
    JobResponse,
    JobStatus,
)

API = "slurper"
# The largest page the document allows (`limit`'s maximum): the one page each walk is compared with.
LARGEST = 50
# The page sizes each list is walked with.
LIMITS = (1, 2, 3, 7)

pytestmark = pytest.mark.writes


def _create(client: AuthenticatedClient, account: str, created: list[tuple[str, str]]) -> str:
    job = slurper_create_job.sync(
        account, client=client, body=CreateJobRequest.from_dict(request_example(API, "slurper-create-job"))
    )
    assert isinstance(job, JobCreateResponse), job
    created.append((account, job.result.id))
    return job.result.id


def _judge(verdicts: Verdicts, whole: Sequence[Any], walks: list[parameters.Walk], key: parameters.Key) -> None:
    complete = len(whole) < LARGEST
    for done in walks:
        problems = parameters.paging_problems(whole, complete, done, key)
        with verdicts.expecting(API, "limit-and-offset-page-the-list"):
            assert not problems, "; ".join(problems)
        short = parameters.short_pages(whole, complete, done)
        with verdicts.expecting(API, "pages-are-full-until-the-end"):
            assert not short, "; ".join(short)


def test_limit_and_offset_walk_the_jobs_list_without_overlap_or_gap(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    ids = []
    for _ in range(5):  # one active job at a time: each is aborted before the next
        ids.append(_create(client, account, created))
        slurper_abort_job.sync(account, ids[-1], client=client)

    def read(offset: int, limit: int) -> list[Any]:
        page = slurper_list_jobs.sync(account, client=client, limit=limit, offset=offset)
        assert isinstance(page, JobListResponse), page
        return page.result

    walked = parameters.stable_walks(read, LIMITS, LARGEST, key=lambda job: job.id)
    if walked is None:
        pytest.skip("the account's jobs list changed during every walk (another client is creating or deleting jobs)")
    whole, walks = walked
    listed = [job.id for job in whole]
    assert len(listed) == len(set(listed)), f"the list in one page repeats jobs: {listed}"
    if len(whole) < LARGEST:
        assert set(ids) <= set(listed), "a job the test created is missing from the list read in one page"
    _judge(verdicts, whole, walks, key=lambda job: job.id)


def _entry(entry: Any) -> str:
    """A log entry as a comparable value: entries have no id, so the whole entry is its identity."""
    return json.dumps(entry.to_dict(), sort_keys=True)


def test_limit_and_offset_walk_a_jobs_log_without_overlap_or_gap(
    client: AuthenticatedClient, account: str, created: list[tuple[str, str]], verdicts: Verdicts
) -> None:
    # A log of several entries that no longer grows: two pauses and resumes, then an abort.
    job_id = _create(client, account, created)
    for _ in range(2):
        slurper_pause_job.sync(account, job_id, client=client)
        slurper_resume_job.sync(account, job_id, client=client)
    slurper_abort_job.sync(account, job_id, client=client)
    job = slurper_get_job.sync(account, job_id, client=client)
    assert isinstance(job, JobResponse), job
    assert job.result.status in (JobStatus.ABORTED, JobStatus.COMPLETED), f"the job is still {job.result.status}"

    def read(offset: int, limit: int) -> list[Any]:
        page = slurper_get_job_logs.sync(account, job_id, client=client, limit=limit, offset=offset)
        assert isinstance(page, JobLogListResponse), page
        return page.result

    walked = parameters.stable_walks(read, LIMITS, LARGEST, key=_entry)
    assert walked is not None, "the log of a finished job changed between two reads"
    whole, walks = walked
    assert len(whole) >= 2, f"the log of a job paused, resumed and aborted has {len(whole)} entries"
    _judge(verdicts, whole, walks, key=_entry)
    # Past the end of the list a page is empty.
    with verdicts.expecting(API, "limit-and-offset-page-the-list"):
        if len(whole) < LARGEST:
            assert read(len(whole), 5) == [], f"a page at offset {len(whole)}, past the end of the log, is not empty"
