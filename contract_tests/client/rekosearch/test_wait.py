"""`wait_for_job` of RekoSearch's package (generator/runtime/rekosearch/wait.py on generator/runtime/_polling.py): it
polls a job until it is processed, reporting every poll; which statuses are final. Sync and async."""

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contract_tests.client.conftest import FAST, answers_in_turn, contract_response
from contract_tests.client.rekosearch.calls import URL
from contract_tests.documents import response_example
from generated_client import rekosearch
from generated_client.rekosearch.wait import is_processed
from generated_client.rekosearch.wait import wait_for_job as reko_wait
from generated_client.rekosearch.wait import wait_for_job_async as reko_wait_async

GET_URL = f"{URL}/api/v1/jobs/get"


def _reko_job(status: str) -> Callable[[httpx.Request], httpx.Response]:
    body = copy.deepcopy(response_example("rekosearch", "jobs-get", "200"))
    body["job_info"]["status"] = status
    return contract_response("rekosearch", "jobs-get", 200, body)


@pytest.mark.parametrize("mode", ["sync", "asyncio"])
@pytest.mark.parametrize("final", ["success", "failed_no_credits"])
def test_a_rekosearch_job_is_waited_on_until_processed(mode: str, final: str) -> None:
    client = rekosearch.AuthenticatedClient(base_url=URL, token="t", prefix="")
    seen: list[str] = []
    answers = [_reko_job("queued"), _reko_job("processing_40%"), _reko_job(final)]
    with respx.mock() as router:
        router.get(GET_URL, params={"job-id": "7"}).mock(side_effect=answers_in_turn(answers))
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
