"""The `wait_for_job` helpers of the three packages (generator/runtime/<api>/wait.py on generator/runtime/_polling.py):
they poll until the job ends, report every poll, give up at their timeout with the last state, try a transient
failure again without the transport retrying inside a poll, never send a request whose timeout reaches past the
deadline, and raise other failures at once. Sync and async."""

import asyncio
import copy
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import contract_response
from contract_tests.client.runtime.calls import ACCOUNT, CONNECT_URL, GUID, JOB, KEY, REKOSEARCH_URL, SLURPER_URL
from contract_tests.documents import response_example
from generated_client import connect, rekosearch, slurper
from generated_client.connect.wait import wait_for_job as connect_wait
from generated_client.connect.wait import wait_for_job_async as connect_wait_async
from generated_client.rekosearch.wait import is_processed
from generated_client.rekosearch.wait import wait_for_job as reko_wait
from generated_client.rekosearch.wait import wait_for_job_async as reko_wait_async
from generated_client.slurper.models import JobProgress, JobStatus
from generated_client.slurper.wait import wait_for_job, wait_for_job_async

PROGRESS_URL = f"{SLURPER_URL}/accounts/{ACCOUNT}/slurper/jobs/{JOB}/progress"
CONNECT_JOB_URL = f"{CONNECT_URL}/v1/content/{GUID}/jobs/{KEY}"
REKO_GET_URL = f"{REKOSEARCH_URL}/api/v1/jobs/get"
FAST = {"interval": 0.001, "max_interval": 0.002}


def progress(status: str, transferred: int) -> Callable[[httpx.Request], httpx.Response]:
    body = copy.deepcopy(response_example("slurper", "slurper-get-job-progress", "200"))
    body["result"].update({"status": status, "objects": 10, "transferredObjects": transferred})
    return contract_response("slurper", "slurper-get-job-progress", 200, body)


def respond(side_effects: list[Any]) -> Callable[[httpx.Request], httpx.Response]:
    remaining = list(side_effects)

    def next_answer(request: httpx.Request) -> httpx.Response:
        effect = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        if isinstance(effect, Exception):
            raise effect
        return effect(request) if callable(effect) else effect

    return next_answer


def slurper_client(**options: Any) -> slurper.AuthenticatedClient:
    return slurper.AuthenticatedClient(base_url=SLURPER_URL, token="t", **options)


def slurper_wait(mode: str, **options: Any) -> JobProgress:
    """`wait_for_job` or `wait_for_job_async` on the test job, with `options`."""
    if mode == "sync":
        return wait_for_job(ACCOUNT, JOB, **options)
    return asyncio.run(wait_for_job_async(ACCOUNT, JOB, **options))


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_the_wait_follows_the_progress_until_the_job_completes(mode: str) -> None:
    seen: list[tuple[str, int]] = []

    def on_progress(update: JobProgress) -> None:
        seen.append((str(update.status), update.transferred_objects))

    answers = [progress("running", 0), progress("paused", 4), progress("running", 7), progress("completed", 10)]
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=respond(answers))
        final = slurper_wait(mode, client=slurper_client(), on_progress=on_progress, **FAST)

    assert final.status == JobStatus.COMPLETED
    assert seen == [("running", 0), ("paused", 4), ("running", 7), ("completed", 10)]
    assert route.call_count == 4


def test_an_aborted_job_ends_the_wait_too() -> None:
    with respx.mock() as router:
        router.get(PROGRESS_URL).mock(side_effect=respond([progress("running", 1), progress("aborted", 1)]))
        assert wait_for_job(ACCOUNT, JOB, client=slurper_client(), **FAST).status == JobStatus.ABORTED


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_the_wait_gives_up_at_its_timeout_with_the_last_progress(mode: str) -> None:
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=respond([progress("running", 3)]))
        with pytest.raises(slurper.errors.WaitTimeout, match=r"had not ended after 0\.05 s") as raised:
            slurper_wait(mode, client=slurper_client(), timeout=0.05, **FAST)

    assert isinstance(raised.value.last, JobProgress)
    assert raised.value.last.transferred_objects == 3
    assert route.call_count >= 1


def test_no_poll_may_outlast_the_deadline() -> None:
    client = slurper_client(timeout=httpx.Timeout(60.0, connect=5.0))
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=respond([progress("running", 0), progress("completed", 10)]))
        wait_for_job(ACCOUNT, JOB, client=client, timeout=2.0, **FAST)

    for call in route.calls:
        timeout = call.request.extensions["timeout"]
        assert all(0 < timeout[phase] <= 2.0 for phase in ("connect", "read", "write", "pool"))


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_a_transient_failure_is_polled_again_and_too_many_in_a_row_are_raised(mode: str) -> None:
    client = slurper_client().with_retry(backoff=0.001)
    flaky = [httpx.Response(503), httpx.ReadError("reset"), progress("running", 5), progress("completed", 10)]
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=respond(flaky))
        final = slurper_wait(mode, client=client, **FAST)
    assert final.status == JobStatus.COMPLETED
    assert route.call_count == 4  # each poll one attempt: the transport did not retry inside it

    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(return_value=httpx.Response(503))
        with pytest.raises(slurper.errors.ServerError):
            slurper_wait(mode, client=client, **FAST)
    assert route.call_count == client.retry.max_retries + 1


def test_a_429_during_the_wait_waits_as_asked_but_not_past_the_deadline() -> None:
    client = slurper_client()
    with respx.mock() as router:
        router.get(PROGRESS_URL).mock(
            side_effect=respond([httpx.Response(429, headers={"Retry-After": "30"}), progress("running", 1)])
        )
        with pytest.raises(slurper.errors.WaitTimeout):
            wait_for_job(ACCOUNT, JOB, client=client, timeout=0.2, **FAST)


def test_a_failure_not_worth_retrying_is_raised_at_once() -> None:
    missing = {
        "success": False,
        "errors": [{"code": 10006, "message": "Job not found"}],
        "messages": [],
        "result": None,
    }
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(return_value=httpx.Response(404, json=missing))
        with pytest.raises(slurper.errors.NotFoundError, match="Job not found"):
            wait_for_job(ACCOUNT, JOB, client=slurper_client(), **FAST)
    assert route.call_count == 1


@pytest.mark.parametrize(
    "schedule", [{"timeout": 0}, {"interval": 0}, {"interval": 2.0, "max_interval": 1.0}, {"timeout": -1}]
)
def test_a_meaningless_schedule_is_refused(schedule: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="need timeout"):
        wait_for_job(ACCOUNT, JOB, client=slurper_client(), **schedule)


def _connect_job(status: int) -> Callable[[httpx.Request], httpx.Response]:
    body = {**response_example("connect", "GetJob", "200"), "status": status}
    if status == 0:
        body["exit_code"] = None
    return contract_response("connect", "GetJob", 200, body)


def connect_client() -> connect.AuthenticatedClient:
    return connect.AuthenticatedClient(base_url=CONNECT_URL, token="k", prefix="Key")


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_a_connect_job_is_waited_on_until_finalized_following_its_log(mode: str) -> None:
    lines = response_example("connect", "JobTailLog", "200")
    ndjson = "".join(json.dumps(line) + "\n" for line in lines).encode()
    logged: list[str] = []
    statuses: list[int] = []
    with respx.mock() as router:
        tail = router.get(f"{CONNECT_JOB_URL}/tail").mock(
            return_value=httpx.Response(200, content=ndjson, headers={"Content-Type": "application/json"})
        )
        router.get(CONNECT_JOB_URL).mock(side_effect=respond([_connect_job(1), _connect_job(2)]))
        options: dict[str, Any] = {
            "client": connect_client(),
            "on_log": lambda entry: logged.append(entry.data),
            "on_update": lambda job: statuses.append(int(job.status)),
            **FAST,
        }
        job = (
            connect_wait(GUID, KEY, **options)
            if mode == "sync"
            else asyncio.run(connect_wait_async(GUID, KEY, **options))
        )

    assert int(job.status) == 2
    assert logged == [line["data"] for line in lines]
    assert statuses == [1, 2]
    assert tail.call_count == 1


def test_a_connect_job_without_log_following_is_polled() -> None:
    with respx.mock() as router:
        route = router.get(CONNECT_JOB_URL).mock(
            side_effect=respond([_connect_job(0), _connect_job(1), _connect_job(2)])
        )
        job = connect_wait(GUID, KEY, client=connect_client(), **FAST)
    assert int(job.status) == 2
    assert route.call_count == 3


def test_waiting_on_a_connect_job_on_an_old_server_says_the_endpoint_is_missing() -> None:
    with respx.mock() as router:
        router.get(f"{CONNECT_JOB_URL}/tail").mock(return_value=httpx.Response(404, content=b"404 page not found\n"))
        with pytest.raises(connect.errors.EndpointNotAvailable):
            connect_wait(GUID, KEY, client=connect_client(), on_log=print, **FAST)


def _reko_job(status: str) -> Callable[[httpx.Request], httpx.Response]:
    body = copy.deepcopy(response_example("rekosearch", "jobs-get", "200"))
    body["job_info"]["status"] = status
    return contract_response("rekosearch", "jobs-get", 200, body)


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
@pytest.mark.parametrize("final", ["success", "failed_no_credits"])
def test_a_rekosearch_job_is_waited_on_until_processed(mode: str, final: str) -> None:
    client = rekosearch.AuthenticatedClient(base_url=REKOSEARCH_URL, token="t", prefix="")
    seen: list[str] = []
    answers = [_reko_job("queued"), _reko_job("processing_40%"), _reko_job(final)]
    with respx.mock() as router:
        router.get(REKO_GET_URL, params={"job-id": "7"}).mock(side_effect=respond(answers))
        options: dict[str, Any] = {"client": client, "on_update": lambda job: seen.append(job.job_info.status), **FAST}
        job = reko_wait(7, **options) if mode == "sync" else asyncio.run(reko_wait_async(7, **options))

    assert job.job_info.status == final
    assert seen == ["queued", "processing_40%", final]


@pytest.mark.parametrize(
    ("status", "processed"),
    [("queued", False), ("processing", False), ("processing_99%", False), ("success", True), ("failed_x", True)],
)
def test_which_rekosearch_statuses_are_final(status: str, processed: bool) -> None:
    assert is_processed(status) is processed
