"""RekoSearch's client against a simulator that injects faults (the fixtures: contract_tests/client/conftest.py): a
job is read, linked to and deleted exactly once through the retries."""

from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.client.conftest import ALL_KINDS, PATIENT, faulty_client
from contract_tests.client.rekosearch.calls import CLIENT
from generated_client import rekosearch
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.models import JobDetails, JobList, ObjectUrl
from mock_server.announcement import Announcement


@pytest.mark.parametrize("simulator", [("rekosearch", "0.3", ALL_KINDS)], indirect=True)
def test_a_rekosearch_job_is_read_and_deleted_once_through_the_faults(
    simulator: Announcement, waits: list[float], opened: Callable[[Any], Any]
) -> None:
    client = opened(faulty_client(CLIENT, simulator, **PATIENT))
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
