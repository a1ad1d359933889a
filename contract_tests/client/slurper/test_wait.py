"""`wait_for_job` of the slurper's package (generator/runtime/slurper/wait.py on generator/runtime/_polling.py): it
polls the progress until the job ends, reports every poll, gives up at its timeout with the last state, tries a
transient failure again without the transport retrying inside a poll, never sends a request whose timeout reaches past
the deadline, and raises other failures at once. Sync and async."""

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import FAST, answers_in_turn, contract_response
from contract_tests.client.slurper.calls import ACCOUNT, JOB, URL
from contract_tests.documents import response_example
from generated_client import slurper
from generated_client.slurper.models import JobProgress, JobStatus
from generated_client.slurper.wait import wait_for_job, wait_for_job_async

PROGRESS_URL = f"{URL}/accounts/{ACCOUNT}/slurper/jobs/{JOB}/progress"


def progress(status: str, transferred: int) -> Callable[[httpx.Request], httpx.Response]:
    body = copy.deepcopy(response_example("slurper", "slurper-get-job-progress", "200"))
    body["result"].update({"status": status, "objects": 10, "transferredObjects": transferred})
    return contract_response("slurper", "slurper-get-job-progress", 200, body)


def slurper_client(**options: Any) -> slurper.AuthenticatedClient:
    return slurper.AuthenticatedClient(base_url=URL, token="t", **options)


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
        route = router.get(PROGRESS_URL).mock(side_effect=answers_in_turn(answers))
        final = slurper_wait(mode, client=slurper_client(), on_progress=on_progress, **FAST)

    assert final.status == JobStatus.COMPLETED
    assert seen == [("running", 0), ("paused", 4), ("running", 7), ("completed", 10)]
    assert route.call_count == 4


def test_an_aborted_job_ends_the_wait_too() -> None:
    with respx.mock() as router:
        router.get(PROGRESS_URL).mock(side_effect=answers_in_turn([progress("running", 1), progress("aborted", 1)]))
        assert wait_for_job(ACCOUNT, JOB, client=slurper_client(), **FAST).status == JobStatus.ABORTED


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_the_wait_gives_up_at_its_timeout_with_the_last_progress(mode: str) -> None:
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=answers_in_turn([progress("running", 3)]))
        with pytest.raises(slurper.errors.WaitTimeout, match=r"had not ended after 0\.05 s") as raised:
            slurper_wait(mode, client=slurper_client(), timeout=0.05, **FAST)

    assert isinstance(raised.value.last, JobProgress)
    assert raised.value.last.transferred_objects == 3
    assert route.call_count >= 1


def test_no_poll_may_outlast_the_deadline() -> None:
    client = slurper_client(timeout=httpx.Timeout(60.0, connect=5.0))
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(
            side_effect=answers_in_turn([progress("running", 0), progress("completed", 10)])
        )
        wait_for_job(ACCOUNT, JOB, client=client, timeout=2.0, **FAST)

    for call in route.calls:
        timeout = call.request.extensions["timeout"]
        assert all(0 < timeout[phase] <= 2.0 for phase in ("connect", "read", "write", "pool"))


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_a_transient_failure_is_polled_again_and_too_many_in_a_row_are_raised(mode: str) -> None:
    client = slurper_client().with_retry(backoff=0.001)
    flaky = [httpx.Response(503), httpx.ReadError("reset"), progress("running", 5), progress("completed", 10)]
    with respx.mock() as router:
        route = router.get(PROGRESS_URL).mock(side_effect=answers_in_turn(flaky))
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
            side_effect=answers_in_turn([httpx.Response(429, headers={"Retry-After": "30"}), progress("running", 1)])
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
