"""generated_client/slurper/pagination.py (source: generator/runtime/slurper/pagination.py): lazy iterators over
every job and every log entry, page by page through `limit`/`offset`, sync and async."""

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import contract_response
from contract_tests.client.slurper.calls import ACCOUNT, JOB, URL
from contract_tests.documents import response_example
from generated_client.slurper import AuthenticatedClient, errors
from generated_client.slurper.pagination import aiter_job_logs, aiter_jobs, iter_job_logs, iter_jobs

JOBS_URL = f"{URL}/accounts/{ACCOUNT}/slurper/jobs"
LOGS_URL = f"{JOBS_URL}/{JOB}/logs"


def _items(operation_id: str, count: int, key: str) -> list[dict[str, Any]]:
    template = response_example("slurper", operation_id, "200")["result"][0]
    items = []
    for number in range(count):
        item = copy.deepcopy(template)
        item[key] = f"{item[key][:-6]}{number:06d}" if key == "id" else f"{number:06d}-{item[key]}"
        items.append(item)
    return items


def _pages(operation_id: str, items: list[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    """A server holding `items`, answering `limit`/`offset` pages; every page is held to the document."""

    def respond(request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params["limit"])
        offset = int(request.url.params["offset"])
        body = {"success": True, "errors": [], "messages": [], "result": items[offset : offset + limit]}
        return contract_response("slurper", operation_id, 200, body)(request)

    return respond


def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=URL, token="t")


def _offsets(route: respx.Route) -> list[tuple[str, str]]:
    return [(call.request.url.params["limit"], call.request.url.params["offset"]) for call in route.calls]


@pytest.mark.parametrize(("total", "requests"), [(0, 1), (7, 1), (50, 2), (107, 3), (150, 4)])
def test_every_job_is_yielded_once_in_order_and_paging_stops_on_a_short_page(total: int, requests: int) -> None:
    jobs = _items("slurper-list-jobs", total, "id")
    with respx.mock() as router:
        route = router.get(JOBS_URL).mock(side_effect=_pages("slurper-list-jobs", jobs))
        seen = [job.id for job in iter_jobs(ACCOUNT, client=client())]

    assert seen == [job["id"] for job in jobs]
    assert len(_offsets(route)) == requests
    assert _offsets(route) == [("50", str(50 * page)) for page in range(requests)]


def test_pages_are_fetched_only_when_the_iteration_reaches_them() -> None:
    jobs = _items("slurper-list-jobs", 120, "id")
    with respx.mock() as router:
        route = router.get(JOBS_URL).mock(side_effect=_pages("slurper-list-jobs", jobs))
        iterator = iter_jobs(ACCOUNT, client=client(), page_size=20, offset=10)
        assert route.call_count == 0
        first = next(iterator)
        assert route.call_count == 1
        rest = list(iterator)

    assert first.id == jobs[10]["id"]
    assert len(rest) == 109
    assert _offsets(route)[:2] == [("20", "10"), ("20", "30")]


def test_async_iteration_of_jobs_and_logs() -> None:
    jobs = _items("slurper-list-jobs", 60, "id")
    logs = _items("slurper-get-job-logs", 75, "message")

    async def collect() -> tuple[list[str], list[Any]]:
        seen_jobs = [job.id async for job in aiter_jobs(ACCOUNT, client=client(), page_size=25)]
        seen_logs = [entry.message async for entry in aiter_job_logs(ACCOUNT, JOB, client=client())]
        return seen_jobs, seen_logs

    with respx.mock() as router:
        router.get(JOBS_URL).mock(side_effect=_pages("slurper-list-jobs", jobs))
        logs_route = router.get(LOGS_URL).mock(side_effect=_pages("slurper-get-job-logs", logs))
        seen_jobs, seen_logs = asyncio.run(collect())

    assert seen_jobs == [job["id"] for job in jobs]
    assert seen_logs == [entry["message"] for entry in logs]
    assert _offsets(logs_route) == [("50", "0"), ("50", "50")]


def test_every_log_entry_of_a_job() -> None:
    logs = _items("slurper-get-job-logs", 50, "message")
    with respx.mock() as router:
        route = router.get(LOGS_URL).mock(side_effect=_pages("slurper-get-job-logs", logs))
        seen = [entry.message for entry in iter_job_logs(ACCOUNT, JOB, client=client())]

    assert seen == [entry["message"] for entry in logs]
    assert _offsets(route) == [("50", "0"), ("50", "50")]


def test_a_failed_page_raises_its_typed_error_after_what_was_yielded() -> None:
    jobs = _items("slurper-list-jobs", 50, "id")
    failure = {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}], "messages": []}
    with respx.mock() as router:
        router.get(JOBS_URL).mock(
            side_effect=[
                _pages("slurper-list-jobs", jobs)(httpx.Request("GET", f"{JOBS_URL}?limit=50&offset=0")),
                httpx.Response(403, json={**failure, "result": None}),
            ]
        )
        seen = []
        with pytest.raises(errors.PermissionDeniedError) as raised:  # noqa: PT012
            for job in iter_jobs(ACCOUNT, client=client().with_retry(max_retries=0)):
                seen.append(job.id)

    assert len(seen) == 50
    assert raised.value.details.errors[0].code == 10000


@pytest.mark.parametrize(("page_size", "offset"), [(0, 0), (51, 0), (10, -1)])
def test_out_of_range_paging_is_refused_before_any_request(page_size: int, offset: int) -> None:
    with pytest.raises(ValueError, match=r"page_size|offset"):
        next(iter_jobs(ACCOUNT, client=client(), page_size=page_size, offset=offset))


def test_paging_goes_through_the_clients_retries() -> None:
    jobs = _items("slurper-list-jobs", 3, "id")
    pages = _pages("slurper-list-jobs", jobs)
    with respx.mock() as router:
        route = router.get(JOBS_URL).mock(
            side_effect=[httpx.Response(503), pages(httpx.Request("GET", f"{JOBS_URL}?limit=50&offset=0"))]
        )
        seen = list(iter_jobs(ACCOUNT, client=client()))
    assert len(seen) == 3
    assert route.call_count == 2
