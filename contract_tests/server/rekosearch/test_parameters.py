"""RekoSearch's query parameters do what their descriptions promise, on every operation that takes one (jobs/list
takes none): `job-id` picks the job jobs/get shows, the job jobs/get-object-url links into and the job jobs/delete
removes; `object-uuid` picks the file the link is to. Each is tried with several values, so that a server that
ignores one (answering about the first job, say) cannot pass.

Reading runs against a live server too, over the user's listed jobs; deleting needs jobs of its own, which only the
simulator can give.
"""

from collections.abc import Callable
from itertools import islice
from urllib.parse import unquote, urlsplit

import pytest

from contract_tests.server.rekosearch.target import User, fresh_user
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.rekosearch import AuthenticatedClient
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.models import JobDeleted, JobDetails, JobList, ObjectUrl

API = "rekosearch"
# How many jobs, and objects of each, the reading test looks at, at most.
JOBS = 6
OBJECTS = 3


def _listed(client: AuthenticatedClient) -> JobList:
    listed = jobs_list.sync(client=client)
    assert isinstance(listed, JobList), listed
    return listed


def _details(client: AuthenticatedClient, job_id: int) -> JobDetails:
    found = jobs_get.sync(client=client, job_id=job_id)
    assert isinstance(found, JobDetails), found
    return found


def test_job_id_and_object_uuid_pick_the_job_and_the_file(
    caller: tuple[AuthenticatedClient, User], verdicts: Verdicts
) -> None:
    client, _ = caller
    summaries = _listed(client).jobs[:JOBS]
    if len(summaries) < 2:
        pytest.skip("the user has fewer than two jobs: a job-id that is ignored cannot be told from one that is not")

    links: dict[str, tuple[int, str]] = {}
    for summary in summaries:
        info = _details(client, summary.job_id).job_info
        with verdicts.expecting(API, "job-details-match-request"):
            assert info.job_id == summary.job_id, f"jobs/get?job-id={summary.job_id} showed job {info.job_id}"
        with verdicts.expecting(API, "list-and-get-agree"):
            assert (info.job_name, info.date, info.total_size) == (
                summary.job_name,
                summary.date,
                summary.total_size,
            ), f"jobs/get?job-id={summary.job_id} shows another job than the list does under that id"
        uuids = [*islice(info.object_uuid_names.additional_properties, OBJECTS), f"not-uploaded-{summary.job_id}.png"]
        for object_uuid in uuids:
            linked = jobs_get_object_url.sync(client=client, job_id=summary.job_id, object_uuid=object_uuid)
            assert isinstance(linked, ObjectUrl), linked
            path = unquote(urlsplit(linked.url).path)
            with verdicts.expecting(API, "object-link-is-the-callers-key"):
                assert path.endswith(f"/{info.user_id}/{summary.job_id}/{object_uuid}"), (
                    f"job-id={summary.job_id} object-uuid={object_uuid}: the link is to {path}"
                )
                assert path not in links, (
                    f"job-id={summary.job_id} object-uuid={object_uuid} and job-id={links[path][0]} "
                    f"object-uuid={links[path][1]} got a link to the same file {path}"
                )
            links[path] = (summary.job_id, object_uuid)


@pytest.mark.writes
@pytest.mark.simulator_only(reason="deletes jobs: a live run deletes only REKOSEARCH_JOB_ID, in the lifecycle tests")
def test_job_id_picks_the_job_delete_removes(
    target: Target, client_for: Callable[[User], AuthenticatedClient], verdicts: Verdicts
) -> None:
    user = fresh_user(target)
    with client_for(user) as client:
        before = {summary.job_id: summary for summary in _listed(client).jobs}
        assert len(before) >= 3, f"a fresh simulator user has {len(before)} jobs"
        # A job in the middle: neither the first nor the last of the list.
        doomed = sorted(before)[len(before) // 2]
        details = {job_id: _details(client, job_id).job_info for job_id in before}

        assert isinstance(jobs_delete.sync(client=client, job_id=doomed), JobDeleted)

        after = {summary.job_id: summary for summary in _listed(client).jobs}
        gone = jobs_get.sync_detailed(client=client, job_id=doomed)
        with verdicts.expecting(API, "deleted-job-is-gone"):
            assert gone.status_code == 404, f"jobs/get of the deleted job {doomed}: {gone.status_code}"
            assert doomed not in after, f"the deleted job {doomed} is still listed"
        with verdicts.expecting(API, "delete-removes-the-job-named"):
            assert set(after) == set(before) - {doomed}, (
                f"jobs/delete?job-id={doomed} took {sorted(set(before) - set(after))} from the list"
            )
            for job_id in after:
                info = _details(client, job_id).job_info
                kept = details[job_id]
                assert (info.job_name, info.date, info.total_size, info.object_uuid_names) == (
                    kept.job_name,
                    kept.date,
                    kept.total_size,
                    kept.object_uuid_names,
                ), f"jobs/delete?job-id={doomed} changed job {job_id}"
