"""The run's memory of jobs (`contract_tests/server/memory.py`) against the documents' `x-jobs`: a later read that
contradicts an earlier one is reported as the fact it breaks, and nothing else is."""

import httpx
import pytest
import respx

from contract_tests.server.echo import Exchange
from contract_tests.server.memory import COMPLETE, MOVES, Memory, unchanging_fact

BASE = "https://api.example/client/v4/accounts/acc/slurper/jobs"
JOB = "8f5a3e52-53bd-4b3c-9b5a-bb1f2c0e7a10"
OTHER = "0b7c0d8e-1c2f-4d8a-9e55-7f5b3a9d1c22"


def job(job_id: str = JOB, status: str = "running", created: str = "2026-12-07T10:00:00.000Z") -> dict[str, object]:
    return {"id": job_id, "status": status, "createdAt": created, "source": {"bucket": "photos", "vendor": "s3"}}


def got(found: dict[str, object], account: str = "acc") -> Exchange:
    url = f"https://api.example/client/v4/accounts/{account}/slurper/jobs/{found['id']}"
    return Exchange(
        "slurper-get-job",
        url,
        path={"account_id": account, "job_id": str(found["id"])},
        headers={"authorization": "Bearer t0ken-of-the-run"},
        response_body={"success": True, "errors": [], "messages": [], "result": found},
    )


def listed(*jobs: dict[str, object], limit: str | None = "50", offset: str | None = None) -> Exchange:
    query = {name: value for name, value in (("limit", limit), ("offset", offset)) if value is not None}
    return Exchange(
        "slurper-list-jobs",
        BASE,
        path={"account_id": "acc"},
        query=query,
        headers={"authorization": "Bearer t0ken-of-the-run"},
        response_body={"success": True, "errors": [], "messages": [], "result": list(jobs)},
    )


def facts(broken: list[object]) -> list[str]:
    return [each.fact for each in broken]  # type: ignore[attr-defined]


def test_reads_that_agree_break_nothing() -> None:
    memory = Memory()

    assert memory.observe("slurper", got(job())) == []
    assert memory.observe("slurper", listed(job(status="paused"), job(OTHER))) == []
    assert memory.observe("slurper", got(job(status="aborted"))) == []


def test_a_status_that_moves_backwards_is_reported_with_its_mark() -> None:
    memory = Memory()
    memory.observe("slurper", got(job(status="aborted")))

    broken = memory.observe("slurper", listed(job(status="running")))

    assert facts(broken) == [MOVES]
    assert "'aborted'" in broken[0].message
    assert broken[0].assumed  # openapi/slurper.yaml marks its moves assumed


def test_a_field_that_never_changes_and_changed_is_reported() -> None:
    memory = Memory()
    memory.observe("slurper", listed(job()))

    broken = memory.observe("slurper", got(job(created="2026-12-07T11:00:00.000Z")))

    assert facts(broken) == [unchanging_fact("/createdAt")]


def test_jobs_of_another_account_or_server_are_other_jobs() -> None:
    memory = Memory()
    memory.observe("slurper", got(job(status="aborted")))

    assert memory.observe("slurper", got(job(status="running"), account="other")) == []


@respx.mock
def test_a_complete_list_without_a_job_a_get_still_shows_is_reported() -> None:
    memory = Memory()
    memory.observe("slurper", got(job()))
    respx.get(f"{BASE}/{JOB}").mock(return_value=httpx.Response(200, json={"result": job()}))

    assert facts(memory.observe("slurper", listed(job(OTHER)))) == [COMPLETE]


@respx.mock
def test_a_job_deleted_meanwhile_is_forgotten_not_reported() -> None:
    memory = Memory()
    memory.observe("slurper", got(job()))
    again = respx.get(f"{BASE}/{JOB}").mock(return_value=httpx.Response(404, json={"success": False}))

    assert memory.observe("slurper", listed(job(OTHER))) == []
    assert memory.observe("slurper", listed(job(OTHER))) == []
    assert again.call_count == 1


@pytest.mark.parametrize(
    ("limit", "offset", "count"),
    [pytest.param(None, None, 1, id="no limit"), pytest.param("50", "1", 1, id="a later page"), ("1", None, 1)],
)
def test_a_page_that_may_not_be_the_whole_list_states_nothing(
    limit: str | None, offset: str | None, count: int
) -> None:
    memory = Memory()
    memory.observe("slurper", got(job()))

    with respx.mock:  # any request would fail the test: none may be made
        assert memory.observe("slurper", listed(*[job(OTHER)] * count, limit=limit, offset=offset)) == []


def test_a_delete_forgets_the_job() -> None:
    memory = Memory()
    memory.observe("slurper", got(job(status="aborted")))
    deleted = Exchange("slurper-delete-job", f"{BASE}/{JOB}", path={"account_id": "acc", "job_id": JOB})

    assert memory.observe("slurper", deleted) == []
    assert memory.observe("slurper", got(job(status="running"))) == []


def test_rekosearch_progress_only_rises_and_success_is_final() -> None:
    memory = Memory()

    def read(status: str) -> list[object]:
        return memory.observe(  # type: ignore[return-value]
            "rekosearch",
            Exchange(
                "jobs-get",
                "https://rekosearch.example/api/v1/jobs/get?job-id=3",
                query={"job-id": "3"},
                headers={"authorization": "user-token"},
                response_body={"job_info": {"job_id": 3, "status": status}},
            ),
        )

    assert read("queued") == []
    assert read("processing_40%") == []
    assert read("processing_70%") == []
    assert read("success") == []
    assert facts(read("processing_90%")) == [MOVES]


def test_connects_statuses_never_go_back() -> None:
    memory = Memory()

    def read(status: int) -> list[object]:
        return memory.observe(  # type: ignore[return-value]
            "connect",
            Exchange(
                "GetJob",
                "https://connect.example/__api__/v1/content/c0ffee/jobs/k3y",
                path={"guid": "c0ffee", "key": "k3y"},
                response_body={"key": "k3y", "status": status, "start_time": "2026-12-07T10:00:00Z"},
            ),
        )

    assert read(0) == []
    assert read(2) == []
    broken = read(0)
    assert facts(broken) == [MOVES]
    assert not broken[0].assumed  # sourced: reference §4.1
