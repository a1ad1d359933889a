"""`wait_for_job` of Connect's package (generator/runtime/connect/wait.py on generator/runtime/_polling.py): it
waits on a job until it is finalized, following its log or polling it, and says when the server has no log to follow.
Sync and async."""

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import FAST, answers_in_turn, contract_response
from contract_tests.client.connect.calls import GUID, JOB_URL, KEY, URL
from contract_tests.documents import response_example
from generated_client import connect
from generated_client.connect.wait import wait_for_job as connect_wait
from generated_client.connect.wait import wait_for_job_async as connect_wait_async


def _connect_job(status: int) -> Callable[[httpx.Request], httpx.Response]:
    body = {**response_example("connect", "GetJob", "200"), "status": status}
    if status == 0:
        body["exit_code"] = None
    return contract_response("connect", "GetJob", 200, body)


def connect_client() -> connect.AuthenticatedClient:
    return connect.AuthenticatedClient(base_url=URL, token="k", prefix="Key")


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
def test_a_connect_job_is_waited_on_until_finalized_following_its_log(mode: str) -> None:
    lines = response_example("connect", "JobTailLog", "200")
    ndjson = "".join(json.dumps(line) + "\n" for line in lines).encode()
    logged: list[str] = []
    statuses: list[int] = []
    with respx.mock() as router:
        tail = router.get(f"{JOB_URL}/tail").mock(
            return_value=httpx.Response(200, content=ndjson, headers={"Content-Type": "application/json"})
        )
        router.get(JOB_URL).mock(side_effect=answers_in_turn([_connect_job(1), _connect_job(2)]))
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
        route = router.get(JOB_URL).mock(
            side_effect=answers_in_turn([_connect_job(0), _connect_job(1), _connect_job(2)])
        )
        job = connect_wait(GUID, KEY, client=connect_client(), **FAST)
    assert int(job.status) == 2
    assert route.call_count == 3


def test_waiting_on_a_connect_job_on_an_old_server_says_the_endpoint_is_missing() -> None:
    with respx.mock() as router:
        router.get(f"{JOB_URL}/tail").mock(return_value=httpx.Response(404, content=b"404 page not found\n"))
        with pytest.raises(connect.errors.EndpointNotAvailable):
            connect_wait(GUID, KEY, client=connect_client(), on_log=print, **FAST)
