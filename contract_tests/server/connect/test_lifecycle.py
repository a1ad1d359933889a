"""The generated client against the same server: jobs followed, logged, downloaded and killed through
`generated_client.connect` (its generated functions and its hand-written streaming runtime), every response validated
against the document on the way, plus the rules a schema cannot state.

Where an assertion rests on behaviour no source states, it names the assumed fact (`verdicts.expecting`, an `x-facts`
entry of openapi/connect.yaml): a live server that behaves otherwise is reported, not failed (unless
--strict-assumptions). Reading tests run against a live server too; the ones that kill a job need --allow-writes
there, and the ones that need a running job or a viewer's key say so when the live server cannot give them.
"""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.documents import validator
from contract_tests.server.connect.conftest import ContractRecorder, make_client
from contract_tests.server.connect.target import key_credentials
from contract_tests.server.targets import Credentials, Target
from contract_tests.server.verdicts import Verdicts
from generated_client.connect import AuthenticatedClient, unwrap
from generated_client.connect.api.jobs import get_job, get_jobs, job_download_log, job_error, job_logs, kill_job
from generated_client.connect.errors import ENDPOINT_NOT_AVAILABLE, EndpointNotAvailable, NotFoundError
from generated_client.connect.log_download import download_job_log, stream_job_log
from generated_client.connect.log_tail import TailTimeout, tail_job_log, tail_job_log_async
from generated_client.connect.models import (
    APIError,
    JobItem,
    JobStatus,
    KillJobOrder,
    LogEntries,
    LogEntry,
    LoggedError,
)
from generated_client.connect.types import Unset

API = "connect"
# How long a live content item may be between two processes before the tests that need a running one give up.
RUNNING_JOB_WAIT = 5.0
# The schema of one entry of the log and the tail, in the document.
LOG_ENTRY = "/components/schemas/LogEntry"


def follow_timeout(target: Target) -> float:
    """How long a job is followed to its end: a killed job of the simulator is finalized within a second; a live one
    may run for days."""
    return 60.0 if target.live else 10.0


def quiet(target: Target) -> float:
    """How long a tail may send nothing before the tests take it as open and quiet: the simulator's app process is
    quiet once it has written its lines (`--job-lines` 10, 50 ms apart), a live one whenever it has nothing to say."""
    return 10.0 if target.live else 2.0


def _jobs(client: AuthenticatedClient, guid: str) -> list[JobItem]:
    listed = get_jobs.sync(guid, client=client)
    assert isinstance(listed, list), listed
    return listed


def _job(client: AuthenticatedClient, guid: str, key: str) -> JobItem:
    found = get_job.sync(guid, key, client=client)
    assert isinstance(found, JobItem), found
    return found


def _all_entries(client: AuthenticatedClient, guid: str, key: str) -> list[dict[str, Any]]:
    log = job_logs.sync(guid, key, client=client, max_log_lines=1_000_000)
    assert isinstance(log, LogEntries), log
    return [entry.to_dict() for entry in log.entries]


def _running_job(client: AuthenticatedClient, target: Target, guid: str) -> JobItem:
    """An active job of the content. On the simulator it is the app's process, which stays active until it is killed
    (and the next one starts a moment after a kill), so nothing but the test itself can end it; a live job is taken
    as it comes."""
    wait = RUNNING_JOB_WAIT if target.live else follow_timeout(target)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for job in _jobs(client, guid):
            if job.status == JobStatus.ACTIVE:
                return job
        time.sleep(0.05)
    if target.live:
        pytest.skip(f"the content had no running job to follow or kill for {wait} s")
    pytest.fail(f"no job started within {wait} s")


def _follow(
    client: AuthenticatedClient, guid: str, key: str, quiet: float, *, at_most: int | None = None
) -> tuple[list[LogEntry], bool]:
    """Follow a job's tail until the server ends it, it has sent `at_most` entries, or it stays quiet for `quiet` s.

    Returns:
        The entries, and whether the tail was still open when the test stopped reading (False: the server ended it).
    """
    followed: list[LogEntry] = []
    try:
        with tail_job_log(guid, key, client=client, timeout=quiet) as entries:
            for entry in entries:
                followed.append(entry)
                if at_most is not None and len(followed) >= at_most:
                    return followed, True
    except TailTimeout:
        return followed, True
    return followed, False


def test_a_running_job_is_followed_entry_by_entry_until_it_is_finalized(
    client: AuthenticatedClient, target: Target, guid: str, verdicts: Verdicts
) -> None:
    job = _running_job(client, target, guid)

    followed, still_open = _follow(client, guid, job.key, quiet(target), at_most=3 if target.live else None)

    with verdicts.expecting(API, "tail-sends-the-whole-log"):
        assert followed, "the tail of a running job sent nothing, not even the entries already written"
    entry_schema = validator(API, LOG_ENTRY)
    for entry in followed:
        assert list(entry_schema.iter_errors(json.loads(json.dumps(entry.to_dict())))) == []
    if not still_open:
        # Only a finalized job's tail may end; anything else means the tail stopped following its job.
        status = _job(client, guid, job.key).status
        assert status == JobStatus.FINALIZED, f"the tail ended while its job's status was {status}, not finalized"
    if target.live:
        return
    # The simulator's app process runs until it is killed: its tail stays open, and entries came while it ran.
    assert still_open, "the tail of a running job ended"
    assert _job(client, guid, job.key).status == JobStatus.ACTIVE
    assert isinstance(kill_job.sync(guid, job.key, client=client), KillJobOrder)

    # Once killed, the job is finalized a moment later, and then its tail ends by itself, with every entry.
    with verdicts.expecting(API, "killed-job-is-finalized"):
        with tail_job_log(guid, job.key, client=client, timeout=follow_timeout(target)) as entries:
            whole = list(entries)
        assert _job(client, guid, job.key).status == JobStatus.FINALIZED
    logged = _all_entries(client, guid, job.key)
    with verdicts.expecting(API, "tail-sends-the-whole-log"):
        assert [(entry.source.value, entry.data) for entry in whole] == [(e["source"], e["data"]) for e in logged]
        assert [entry.to_dict() for entry in followed] == [entry.to_dict() for entry in whole[: len(followed)]]


def test_the_async_tail_of_a_finalized_job_is_its_whole_log(
    contract_recorder: ContractRecorder, client: AuthenticatedClient, target: Target, guid: str, verdicts: Verdicts
) -> None:
    finalized = [job for job in _jobs(client, guid) if job.status == JobStatus.FINALIZED]
    if not finalized:
        pytest.skip("the content has no finalized job")
    key = finalized[0].key
    api_key = target.credentials.headers["Authorization"].removeprefix("Key ")
    hooks = {"event_hooks": {"response": [contract_recorder.check_async]}}

    async def follow() -> list[Any]:
        async with (
            AuthenticatedClient(base_url=target.base_url, token=api_key, prefix="Key", httpx_args=hooks) as session,
            tail_job_log_async(guid, key, client=session, timeout=follow_timeout(target)) as entries,
        ):
            return [entry async for entry in entries]

    streamed = asyncio.run(follow())

    logged = _all_entries(client, guid, key)
    with verdicts.expecting(API, "tail-sends-the-whole-log"):
        assert [(entry.source.value, entry.data) for entry in streamed] == [(e["source"], e["data"]) for e in logged]


def test_every_job_has_a_log_a_file_and_an_error_or_none(
    client: AuthenticatedClient, guid: str, verdicts: Verdicts, tmp_path: Path
) -> None:
    jobs = _jobs(client, guid)
    assert jobs, "the content has no jobs"
    for job in jobs[:8]:
        # `content_guid` came with Connect 2025.01.0: an older server leaves it out.
        assert isinstance(job.content_guid, Unset) or job.content_guid == guid
        if job.status == JobStatus.ACTIVE:
            assert (job.end_time, job.exit_code) == (None, None)
        entries = _all_entries(client, guid, job.key)
        saved = download_job_log(guid, job.key, tmp_path, client=client, filename=f"{job.key}.log")
        with verdicts.expecting(API, "download-names-the-file"):
            assert saved.filename == f"{job.key}.log"
        text = saved.path.read_text() if saved.path else ""
        position = 0
        with verdicts.expecting(API, "download-holds-the-log"):
            for entry in entries:
                # The file holds every entry (stdout and stderr) in order; later ones may have been written since.
                found = text.find(entry["data"], position)
                assert found >= 0, f"job {job.key}: {entry['data']!r} is not in the log file"
                position = found + len(entry["data"])
        error = job_error.sync_detailed(guid, job.key, client=client)
        assert error.status_code in (200, 204)
        assert isinstance(error.parsed, LoggedError) if error.status_code == 200 else error.parsed is None


def test_the_generated_download_and_the_streamed_one_agree(
    client: AuthenticatedClient, guid: str, verdicts: Verdicts
) -> None:
    key = next(job.key for job in _jobs(client, guid) if job.status == JobStatus.FINALIZED)
    whole = job_download_log.sync(guid, key, client=client)
    with stream_job_log(guid, key, client=client, chunk_size=7) as download:
        chunks = list(download)
    assert isinstance(whole, str)
    with verdicts.expecting(API, "finalized-job-log-is-complete"):
        assert b"".join(chunks).decode() == whole
    assert max(len(chunk) for chunk in chunks) <= 7
    with verdicts.expecting(API, "download-names-the-file"):
        assert download.filename is not None
        assert download.filename.endswith(f".{key}.log")


@pytest.mark.writes
def test_kill_ends_an_active_job_and_a_second_kill_is_409_code_163(
    client: AuthenticatedClient, target: Target, guid: str, verdicts: Verdicts
) -> None:
    # On a live server a job may end by itself between the listing and the kill; that kill is rightly refused, so
    # another is taken. On the simulator nothing but a kill ends the app's process: the first kill must work.
    for _ in range(3 if target.live else 1):
        job = _running_job(client, target, guid)
        order = kill_job.sync(guid, job.key, client=client)
        # A job that ended by itself is no longer active (real jobs may keep a null end_time when they end).
        refused = isinstance(order, APIError) and order.code == 163
        if not (refused and _job(client, guid, job.key).status != JobStatus.ACTIVE):
            break

    assert isinstance(order, KillJobOrder), order
    assert (order.job_key, order.app_guid, order.job_id, order.app_id) == (job.key, guid, int(job.id), int(job.app_id))
    with verdicts.expecting(API, "killed-job-is-no-longer-active"):
        assert _job(client, guid, job.key).status != JobStatus.ACTIVE
        again = kill_job.sync_detailed(guid, job.key, client=client)
        assert again.status_code == 409
    assert again.status_code != 409 or (isinstance(again.parsed, APIError) and again.parsed.code == 163)


@pytest.mark.writes
def test_a_viewer_cannot_kill_a_job(
    contract_recorder: ContractRecorder,
    client: AuthenticatedClient,
    target: Target,
    guid: str,
    viewer: Credentials | None,
    verdicts: Verdicts,
) -> None:
    if viewer is None:
        pytest.skip("needs CONNECT_VIEWER_API_KEY, a key of a viewer of the content")
    job = _running_job(client, target, guid)
    with make_client(viewer, contract_recorder, target.base_url) as viewers_client:
        refused = kill_job.sync_detailed(guid, job.key, client=viewers_client)
        listed = get_jobs.sync_detailed(guid, client=viewers_client)

    assert refused.status_code == 403
    assert isinstance(refused.parsed, APIError)
    assert listed.status_code == 403
    after = _job(client, guid, job.key)
    # Not killed: still running. A live job may have ended by itself since; a killed one reports no exit code.
    if after.status != JobStatus.ACTIVE:
        assert target.live, f"a viewer's refused kill ended job {job.key}"
        with verdicts.expecting(API, "killed-job-has-no-exit-code"):
            assert after.exit_code is not None, f"job {job.key} ended without an exit code, as a killed one does"


def test_an_unknown_job_is_404_with_connects_error(client: AuthenticatedClient, guid: str, verdicts: Verdicts) -> None:
    response = get_job.sync_detailed(guid, "NoSuchJobKey0000", client=client)
    assert response.status_code == 404
    with verdicts.expecting(API, "unknown-job-is-404-with-error-body"):
        assert isinstance(response.parsed, APIError), response.content
        with pytest.raises(NotFoundError) as raised:
            unwrap(response)
        assert not isinstance(raised.value, EndpointNotAvailable)


def test_an_endpoint_the_server_lacks_is_reported_as_such(target: Target, guid: str, verdicts: Verdicts) -> None:
    """A base URL under which the server has no jobs endpoints: what a Connect older than 2022.10.0 looks like."""
    key = target.credentials.headers["Authorization"].removeprefix("Key ")
    with AuthenticatedClient(base_url=f"{target.base_url}/v0", token=key, prefix="Key") as old_server:
        response = get_jobs.sync_detailed(guid, client=old_server)
        assert response.status_code == 404
        # An unknown path answers what an old server answers the v1 jobs paths with: that is assumed of a new one.
        asked = httpx.Request("GET", f"{target.base_url}/v0/v1/content/{guid}/jobs")
        with verdicts.expecting(API, "unknown-route-is-plain-text-404", evidence=asked):
            # Held to the document as what an old server answers the real path with.
            verdicts.check_response(API, "GetJobs", response)
            assert response.parsed is None, response.content
            with pytest.raises(EndpointNotAvailable, match=ENDPOINT_NOT_AVAILABLE):
                unwrap(response)
            with pytest.raises(EndpointNotAvailable), tail_job_log(guid, "QBZ5jkKfmf9iT9k8", client=old_server):
                pytest.fail("the tail opened")


def test_no_key_ever_comes_back(
    contract_recorder: ContractRecorder,
    client: AuthenticatedClient,
    target: Target,
    guid: str,
    viewer: Credentials | None,
    verdicts: Verdicts,
) -> None:
    jobs = _jobs(client, guid)
    for job in jobs[:3]:
        _job(client, guid, job.key)
        job_logs.sync(guid, job.key, client=client)
        job_error.sync_detailed(guid, job.key, client=client)
    everything = "\n".join(contract_recorder.bodies)
    secrets = [*target.secrets, *(viewer.secrets if viewer else ())]
    assert contract_recorder.bodies
    with verdicts.expecting(API, "secrets-are-never-returned"):
        assert [secret for secret in secrets if secret in everything] == []


def test_the_key_goes_out_with_its_prefix_and_a_wrong_one_is_refused(
    contract_recorder: ContractRecorder, target: Target, guid: str
) -> None:
    if not target.may_probe_credentials:
        pytest.skip("sends a wrong key: pass --allow-writes to a live server")
    seen: list[str] = []
    key = target.credentials.headers["Authorization"].removeprefix("Key ")
    client = AuthenticatedClient(
        base_url=target.base_url,
        token=key,
        prefix="Key",
        httpx_args={"event_hooks": {"request": [lambda request: seen.append(request.headers["Authorization"])]}},
    )
    with client:
        assert isinstance(get_jobs.sync(guid, client=client), list)
    assert seen == [f"Key {key}"]
    wrong = key_credentials("not-a-real-key")
    with make_client(wrong, contract_recorder, target.base_url) as stranger:
        refused = get_jobs.sync_detailed(guid, client=stranger)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, APIError)
