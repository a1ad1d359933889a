"""The generated client against the same server: what a RekoSearch user does, through `generated_client.rekosearch`,
every response validated against the document on the way, plus the rules a schema cannot state: users never see each
other's jobs, a job is processed to `success` and its results appear, links point into the caller's own files,
dates are what `parse_date` reads, deleting is final and idempotent, query errors name their parameter.

Where an assertion rests on behaviour no source states, it names the assumed fact (`verdicts.expecting`, an `x-facts`
entry of openapi/rekosearch.yaml): a live server that behaves otherwise is reported, not failed (unless
--strict-assumptions).

Against a live server the reading tests read REKOSEARCH_JOB_ID and the user's other jobs; the one test that writes
deletes REKOSEARCH_JOB_ID, runs last, and only with --allow-writes. The test that needs two users runs live with
REKOSEARCH_TOKEN_2 (another user, only read); tests that need a job that is still being processed run on the simulator
only, each with users of its own. The deletes that other jobs must survive are in test_writes.py.
"""

from collections.abc import Callable
from datetime import UTC
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from contract_tests.server.rekosearch.conftest import ContractRecorder
from contract_tests.server.rekosearch.target import SECOND_TOKEN, User, demo_users, second_user
from contract_tests.server.report import Recorder
from contract_tests.server.targets import Target
from contract_tests.server.verdicts import Verdicts
from generated_client.rekosearch import AuthenticatedClient
from generated_client.rekosearch.api.jobs import jobs_delete, jobs_get, jobs_get_object_url, jobs_list
from generated_client.rekosearch.dates import parse_date
from generated_client.rekosearch.models import (
    JobDeleted,
    JobDetails,
    JobList,
    ObjectUrl,
    QueryParameterError,
)

API = "rekosearch"
# queued -> processing -> processing_10% ... processing_90% -> success, with room to spare.
MAX_POLLS = 30
ONLY_ON_THE_SIMULATOR = pytest.mark.simulator_only(
    reason="needs users and jobs of its own, which only the simulator can make"
)


def _details(client: AuthenticatedClient, job_id: int) -> JobDetails:
    found = jobs_get.sync(client=client, job_id=job_id)
    assert isinstance(found, JobDetails), found
    return found


def _listed(client: AuthenticatedClient) -> JobList:
    listed = jobs_list.sync(client=client)
    assert isinstance(listed, JobList), listed
    return listed


def _not_found(client: AuthenticatedClient, job_id: int) -> None:
    response = jobs_get.sync_detailed(client=client, job_id=job_id)
    assert response.status_code == 404, response.content
    assert isinstance(response.parsed, QueryParameterError)
    assert response.parsed.message == "The job does not exist"
    assert response.parsed.affected_query_parameter == "job-id: number"


def two_users(target: Target) -> tuple[User, User]:
    """Two users: the simulator's two demo users; live, the REKOSEARCH_TOKEN user and the REKOSEARCH_TOKEN_2 one (the
    test is skipped without it)."""
    if not target.live:
        first, second = demo_users(target)[:2]
        return first, second
    other = second_user(target)
    if other is None:
        pytest.skip(f"needs another user's token: set {SECOND_TOKEN} to run it live")
    return demo_users(target)[0], other


def known(client: AuthenticatedClient, user: User) -> User:
    """A user with its id and jobs, read from the server when they are not known in advance (a live user's).

    Args:
        client: The user's client.
        user: The user.

    Returns:
        The user, its id and every job it has filled in.
    """
    if user.user_id is not None:
        return user
    jobs = tuple(job.job_id for job in _listed(client).jobs)
    if not jobs:
        pytest.skip("a live user without jobs: its user id cannot be read")
    return User(user.token, _details(client, jobs[0]).job_info.user_id, jobs)


def _url_path(url: str) -> str:
    return unquote(urlsplit(url).path)


def test_every_listed_job_reads_back_the_same_with_a_utc_date(
    caller: tuple[AuthenticatedClient, User], verdicts: Verdicts
) -> None:
    client, user = caller
    # The jobs the caller is known to have are read first, so that the list is held to what the gets showed (the
    # run's memory, the document's `x-jobs`: the whole list holds each of them, in a status they can have moved to).
    for job_id in user.jobs:
        _details(client, job_id)
    listed = _listed(client)
    ids = [job.job_id for job in listed.jobs]
    assert set(user.jobs) <= set(ids)
    assert len(ids) == len(set(ids))

    owners = set()
    for summary in listed.jobs:
        details = _details(client, summary.job_id)
        info = details.job_info
        owners.add(info.user_id)
        assert (info.job_id, info.job_name, info.date, info.total_size) == (
            summary.job_id,
            summary.job_name,
            summary.date,
            summary.total_size,
        )
        created = parse_date(info.date)
        assert created.tzinfo is UTC
        assert created.isoformat().startswith(info.date[:10] + "T" + info.date[11:19])
        objects = set(info.object_uuid_names.additional_properties)
        with verdicts.expecting(API, "job-maps-describe-its-objects"):
            assert set(info.media_length.additional_properties) <= objects
            assert set(info.failed_to_process.additional_properties) <= objects
            results = details.results.additional_properties if details.results else {}
            assert set(results) <= objects - set(info.failed_to_process.additional_properties)
    assert len(owners) <= 1, f"one caller, jobs of several users: {owners}"
    if user.user_id is not None:
        assert owners == {user.user_id}


def test_object_links_point_into_the_callers_files_and_expire(
    caller: tuple[AuthenticatedClient, User], verdicts: Verdicts
) -> None:
    client, user = caller
    job_id = user.jobs[0]
    info = _details(client, job_id).job_info
    uuids = [*info.object_uuid_names.additional_properties, "no-such-object.png"]

    for object_uuid in uuids:
        linked = jobs_get_object_url.sync(client=client, job_id=job_id, object_uuid=object_uuid)
        assert isinstance(linked, ObjectUrl), linked
        url = urlsplit(linked.url)
        with verdicts.expecting(API, "object-link-is-https"):
            assert url.scheme == "https", linked.url
        assert _url_path(linked.url).endswith(f"/{info.user_id}/{job_id}/{object_uuid}")
        query = parse_qs(url.query)
        assert "X-Amz-Expires" in query or "Expires" in query, f"a link that does not expire: {linked.url}"


def test_query_errors_are_400_and_name_the_parameter(
    caller: tuple[AuthenticatedClient, User], verdicts: Verdicts
) -> None:
    client, _ = caller
    raw = client.get_httpx_client()
    # (path, query, the parameter at fault, the fact its 400 rests on, the message and the fact that states it)
    missing_job_id = "The job-id query parameter is missing"
    template = "missing-parameter-message-fills-in-the-template"
    cases = [
        ("/api/v1/jobs/get", {}, "job-id", "missing-job-id-is-400", missing_job_id, "missing-job-id-is-400"),
        ("/api/v1/jobs/get", {"job-id": "abc"}, "job-id", "malformed-job-id-is-400", None, None),
        ("/api/v1/jobs/get", {"job-id": "1.5"}, "job-id", "malformed-job-id-is-400", None, None),
        ("/api/v1/jobs/get", {"job-id": "-1"}, "job-id", "malformed-job-id-is-400", None, None),
        (
            "/api/v1/jobs/get-object-url",
            {"object-uuid": "a.png"},
            "job-id",
            "missing-job-id-is-400",
            missing_job_id,
            template,
        ),
        (
            "/api/v1/jobs/get-object-url",
            {"job-id": "1"},
            "object-uuid",
            "missing-object-uuid-is-400",
            "The object-uuid query parameter is missing",
            template,
        ),
        (
            "/api/v1/jobs/get-object-url",
            {"job-id": "x", "object-uuid": "a.png"},
            "job-id",
            "malformed-job-id-is-400",
            None,
            None,
        ),
    ]
    for path, params, parameter, status_fact, message, message_fact in cases:
        response = raw.get(path, params=params)
        with verdicts.expecting(API, status_fact, evidence=response):
            assert response.status_code == 400, f"{path} {params}: {response.status_code} {response.text[:200]}"
        if response.status_code != 400:
            continue
        body = QueryParameterError.from_dict(response.json())
        with verdicts.expecting(API, "query-errors-name-the-parameter", evidence=response):
            assert body.affected_query_parameter.split(":")[0] == parameter
        if message is not None and message_fact is not None:
            with verdicts.expecting(API, message_fact, evidence=response):
                assert body.message == message


# Sends missing and wrong tokens: against a live server only with --allow-writes (`Target.may_probe_credentials`).
@pytest.mark.writes
@pytest.mark.parametrize("authorization", [None, "", "wrong-token", "Bearer wrong-token"])
def test_a_missing_or_wrong_token_gets_api_gateways_401(
    authorization: str | None, target: Target, responses: ContractRecorder
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(base_url=target.base_url, headers=headers, event_hooks={"response": [responses]}) as raw:
        for path in ("/api/v1/jobs/list", "/api/v1/jobs/get?job-id=1", "/api/v1/jobs/get-object-url?job-id=1"):
            response = raw.get(path)
            assert response.status_code == 401, f"{path}: {response.status_code} {response.text[:200]}"
            assert response.json() == {"message": "Unauthorized"}


def test_the_token_works_with_a_bearer_prefix_too(
    caller: tuple[AuthenticatedClient, User], target: Target, responses: ContractRecorder
) -> None:
    _, user = caller
    with AuthenticatedClient(
        base_url=target.base_url, token=user.token, httpx_args={"event_hooks": {"response": [responses]}}
    ) as bearer:
        assert isinstance(jobs_list.sync(client=bearer), JobList)


def test_another_users_job_is_not_found(target: Target, client_for: Callable[[User], AuthenticatedClient]) -> None:
    """Two users: the simulator's demo users; live, the REKOSEARCH_TOKEN and REKOSEARCH_TOKEN_2 users."""
    first, second = two_users(target)
    with client_for(first) as first_client, client_for(second) as second_client:
        first, second = known(first_client, first), known(second_client, second)
        only_seconds = sorted(set(second.jobs) - set(first.jobs))
        if target.live and not only_seconds:
            pytest.skip("the REKOSEARCH_TOKEN_2 user has no job id the REKOSEARCH_TOKEN user lacks")
        assert only_seconds, "the second demo user has no job id the first one lacks"
        for job_id in only_seconds:
            _not_found(first_client, job_id)
            assert _details(second_client, job_id).job_info.user_id == second.user_id
            assert job_id not in [job.job_id for job in _listed(first_client).jobs]
            linked = jobs_get_object_url.sync(client=first_client, job_id=job_id, object_uuid="x.png")
            assert isinstance(linked, ObjectUrl)
            assert f"/{first.user_id}/{job_id}/" in _url_path(linked.url)
            assert second.user_id is not None
            assert second.user_id not in linked.url


@ONLY_ON_THE_SIMULATOR
def test_a_queued_job_is_processed_to_success_and_its_results_appear(
    caller: tuple[AuthenticatedClient, User], verdicts: Verdicts
) -> None:
    client, user = caller
    queued = next(job for job in _listed(client).jobs if job.status == "queued")
    charged = queued.credits_spent
    statuses = []
    for _ in range(MAX_POLLS):
        details = _details(client, queued.job_id)
        statuses.append(details.job_info.status)
        if details.job_info.status == "success":
            break
        with verdicts.expecting(API, "results-appear-when-processing-ends"):
            assert not details.results or not details.results.additional_properties
            assert not details.job_info.failed_to_process.additional_properties
    else:
        pytest.fail(f"job {queued.job_id} is still {statuses[-1]} after {MAX_POLLS} reads")

    assert statuses[0] in {"queued", "processing"}
    progress = [int(status.removeprefix("processing_").removesuffix("%")) for status in statuses if "%" in status]
    assert progress == sorted(progress)
    assert all(0 < percent < 100 for percent in progress)
    info = details.job_info
    failed = set(info.failed_to_process.additional_properties)
    results = details.results.additional_properties if details.results else {}
    with verdicts.expecting(API, "results-appear-when-processing-ends"):
        assert set(results) | failed == set(info.object_uuid_names.additional_properties)
    with verdicts.expecting(API, "job-maps-describe-its-objects"):
        assert not set(results) & failed
    for links in results.values():
        assert _url_path(links.full).endswith(".json")
        assert _url_path(links.min_).endswith(".min.json")
        with verdicts.expecting(API, "job-files-live-under-the-jobs-prefix"):
            assert f"/{user.user_id}/{queued.job_id}/" in _url_path(links.full)
    if failed:
        with verdicts.expecting(API, "failed-files-are-refunded"):
            assert info.credits_spent < charged, "failed files are refunded"
    summary = next(job for job in _listed(client).jobs if job.job_id == queued.job_id)
    assert (summary.status, summary.status_meaning) == ("success", "Job completed successfully")


def test_no_token_ever_comes_back(
    caller: tuple[AuthenticatedClient, User], responses: ContractRecorder, recorder: Recorder, verdicts: Verdicts
) -> None:
    client, user = caller
    _listed(client)
    _details(client, user.jobs[0])
    jobs_get_object_url.sync(client=client, job_id=user.jobs[0], object_uuid="x.png")

    everything = "\n".join(responses.bodies)
    assert responses.bodies
    with verdicts.expecting(API, "secrets-are-never-returned"):
        assert [secret for secret in recorder.secrets if secret in everything] == []


@pytest.mark.writes
@pytest.mark.runs_last
def test_deleting_a_job_is_final_and_idempotent(
    caller: tuple[AuthenticatedClient, User], target: Target, verdicts: Verdicts
) -> None:
    """After the other tests (`runs_last`), and before the other deletes: against a live server it deletes
    REKOSEARCH_JOB_ID, which the others read."""
    client, user = caller
    job_id = user.jobs[0] if target.live else user.jobs[1]
    object_uuid = next(iter(_details(client, job_id).job_info.object_uuid_names.additional_properties))

    for attempt in range(2):
        # The first delete is the API page's; the second one's answer (the same 200) is an assumption.
        with verdicts.expecting(API, "delete-answers-ok" if attempt == 0 else "delete-is-idempotent"):
            deleted = jobs_delete.sync(client=client, job_id=job_id)
            assert isinstance(deleted, JobDeleted), deleted
            assert deleted.message == "Ok"
        _not_found(client, job_id)
        assert job_id not in [job.job_id for job in _listed(client).jobs]

    # No existence check: a deleted job's object still gets a link (to nothing).
    assert isinstance(jobs_get_object_url.sync(client=client, job_id=job_id, object_uuid=object_uuid), ObjectUrl)
