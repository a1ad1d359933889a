"""The simulated jobs over HTTP: seeded content in every state, time passing on the test's clock, kill orders,
logs, errors and downloads."""

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_server.connect import ConnectSettings, create_app
from mock_server.connect.jobs import ConnectJobs, Timing, format_time
from mock_server.connect.seed import API, REPORT, SHINY_APP, seed_demo_content
from mock_server.tests.clocks import ManualClock
from mock_server.tests.connect.conftest import TIMING, assert_error

pytestmark = pytest.mark.anyio

APP_JOBS = f"/v1/content/{SHINY_APP}/jobs"
RUNNING = "IuzpAzG329zvnt9s"
RECORDED = "QBZ5jkKfmf9iT9k8"
FAILED_RENDER = "tHawGvHZTosJA2Dx"


async def job(client: httpx.AsyncClient, guid: str, key: str) -> dict[str, Any]:
    response = await client.get(f"/v1/content/{guid}/jobs/{key}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def test_the_seeded_content_has_jobs_in_every_state(client: httpx.AsyncClient) -> None:
    statuses = {}
    for guid in (SHINY_APP, REPORT, API):
        response = await client.get(f"/v1/content/{guid}/jobs")
        assert response.status_code == 200
        for item in response.json():
            statuses[item["key"]] = item["status"]
            assert item["content_guid"] == guid
            assert item["app_id"] == item["content_id"]
    assert statuses[RUNNING] == 0
    assert statuses[FAILED_RENDER] == 1
    assert statuses[RECORDED] == 2
    assert sorted(set(statuses.values())) == [0, 1, 2]


async def test_the_recorded_job_is_reported_as_connect_reported_it(client: httpx.AsyncClient) -> None:
    recorded = await job(client, SHINY_APP, RECORDED)
    recorded.pop("content_id")
    recorded.pop("content_guid")
    assert recorded == {
        "id": "40096649",
        "ppid": "2509183",
        "pid": "2509199",
        "key": RECORDED,
        "remote_id": None,
        "app_id": "52389",
        "variant_id": "0",
        "bundle_id": "127015",
        "start_time": "2024-11-25T22:17:42Z",
        "end_time": None,
        "last_heartbeat_time": "2024-11-25T22:20:23Z",
        "queued_time": None,
        "queue_name": None,
        "tag": "run_app",
        "exit_code": None,
        "status": 2,
        "hostname": "dogfood02",
        "cluster": None,
        "image": None,
        "run_as": "rstudio-connect",
    }


async def test_jobs_are_listed_newest_first(client: httpx.AsyncClient) -> None:
    listed = (await client.get(APP_JOBS)).json()
    assert [item["key"] for item in listed] == [RUNNING, "mxPGVOMVk6f8dso2", RECORDED, "waaTO7v75I84S1hQ"]


async def test_a_running_job_writes_finishes_and_is_finalized_as_the_clock_moves(
    app: Starlette, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    # The API's process (no minimum of processes) started two lines before the simulator and exits after its 5th.
    running = app.state.demo_jobs[API][-1]
    log = f"/v1/content/{API}/jobs/{running}/log"
    assert len((await client.get(log)).json()["entries"]) == 3
    assert (await job(client, API, running))["end_time"] is None

    clock.advance(2)
    assert len((await client.get(log)).json()["entries"]) == 5
    assert (await job(client, API, running))["status"] == 0
    clock.advance(1)
    finished = await job(client, API, running)
    assert (finished["status"], finished["exit_code"]) == (1, 0)
    assert finished["end_time"] == finished["last_heartbeat_time"]
    clock.advance(TIMING.finalize_delay)
    assert (await job(client, API, running))["status"] == 2
    assert len((await client.get(log)).json()["entries"]) == 5


async def test_an_apps_process_stays_up_quietly_until_it_is_killed(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    log = f"{APP_JOBS}/{RUNNING}/log"
    clock.advance(1)
    assert len((await client.get(log)).json()["entries"]) == TIMING.job_lines

    clock.advance(24 * 3600)
    running = await job(client, SHINY_APP, RUNNING)
    assert (running["status"], running["end_time"], running["exit_code"]) == (0, None, None)
    assert running["last_heartbeat_time"] == format_time(clock())
    assert len((await client.get(log)).json()["entries"]) == TIMING.job_lines
    assert (await client.get(APP_JOBS)).json()[0]["key"] == RUNNING


async def test_an_app_gets_a_new_process_after_its_last_one_ended(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    assert (await client.delete(f"{APP_JOBS}/{RUNNING}")).status_code == 200
    clock.advance(TIMING.line_interval / 2)
    assert (await client.get(APP_JOBS)).json()[0]["key"] == RUNNING

    clock.advance(TIMING.line_interval / 2)
    listed = (await client.get(APP_JOBS)).json()
    newest = listed[0]
    assert newest["key"] != RUNNING
    assert newest["status"] == 0
    assert newest["tag"] == "run_app"
    assert int(newest["id"]) > 40793914
    assert listed[1]["key"] == RUNNING
    assert listed[1]["status"] == 1


async def test_kill_ends_an_active_job_and_a_second_kill_conflicts(client: httpx.AsyncClient) -> None:
    killed = await client.delete(f"{APP_JOBS}/{RUNNING}")
    assert killed.status_code == 200
    order = killed.json()
    assert order["app_id"] == 52389
    assert order["job_id"] == 40793914
    assert order["app_guid"] == SHINY_APP
    assert order["job_key"] == RUNNING
    assert order["result"] == "Order to kill job registered"

    after = await job(client, SHINY_APP, RUNNING)
    assert after["status"] == 1
    assert after["exit_code"] is None
    assert after["end_time"] is not None
    message = assert_error(await client.delete(f"{APP_JOBS}/{RUNNING}"), 409, 163)
    assert message == "The specified job cannot be terminated because it is not active"


async def test_a_killed_job_writes_no_more(client: httpx.AsyncClient, clock: ManualClock) -> None:
    await client.delete(f"{APP_JOBS}/{RUNNING}")
    clock.advance(30)
    assert len((await client.get(f"{APP_JOBS}/{RUNNING}/log")).json()["entries"]) == 4


@pytest.mark.parametrize("key", [RECORDED, FAILED_RENDER])
async def test_jobs_that_are_not_active_cannot_be_killed(client: httpx.AsyncClient, key: str) -> None:
    guid = SHINY_APP if key == RECORDED else REPORT
    assert_error(await client.delete(f"/v1/content/{guid}/jobs/{key}"), 409, 163)


async def test_max_log_lines_keeps_the_most_recent_entries(client: httpx.AsyncClient) -> None:
    everything = (await client.get(f"{APP_JOBS}/{RECORDED}/log")).json()["entries"]
    last_two = (await client.get(f"{APP_JOBS}/{RECORDED}/log", params={"maxLogLines": 2})).json()["entries"]
    assert len(everything) == 8
    assert last_two == everything[-2:]
    assert {entry["source"] for entry in everything} == {"stdout", "stderr"}


async def test_the_error_of_a_failed_job_and_204_for_the_others(client: httpx.AsyncClient) -> None:
    failed = await client.get(f"/v1/content/{REPORT}/jobs/{FAILED_RENDER}/error")
    assert failed.status_code == 200
    assert failed.json() == {
        "code": "RENDER_FAILED",
        "summary": "Error in library(ggplot3): there is no package called 'ggplot3'",
        "help_url": "https://docs.posit.co/connect/user/troubleshooting/",
    }
    for path in (f"{APP_JOBS}/{RECORDED}/error", f"{APP_JOBS}/{RUNNING}/error"):
        none = await client.get(path)
        assert (none.status_code, none.content) == (204, b"")
        assert "content-type" not in none.headers


async def test_the_download_is_the_whole_log_with_the_documented_default_name(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{APP_JOBS}/{RECORDED}/download")
    entries = (await client.get(f"{APP_JOBS}/{RECORDED}/log")).json()["entries"]

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    name = "rstudio-connect.52389.0.127015.run_app.QBZ5jkKfmf9iT9k8.log"
    assert response.headers["content-disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert response.text == "".join(f"{entry['data']}\n" for entry in entries)


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("dashboard.log", "attachment; filename=\"dashboard.log\"; filename*=UTF-8''dashboard.log"),
        (
            'résumé "q"\r\n.log',
            "attachment; filename=\"r_sum_ _q___.log\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22q%22%0D%0A.log",
        ),
        ("", 'attachment; filename="rstudio-connect.52389.0.127015.run_app.QBZ5jkKfmf9iT9k8.log"'),
    ],
    ids=["plain", "needs-encoding", "empty-means-default"],
)
async def test_the_download_names_the_file_it_was_asked_for(
    client: httpx.AsyncClient, filename: str, disposition: str
) -> None:
    response = await client.get(f"{APP_JOBS}/{RECORDED}/download", params={"filename": filename})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith(disposition)


async def test_a_big_log_is_downloaded_in_chunks(clock: ManualClock) -> None:
    settings = ConnectSettings(strict=True, clock=clock, timing=Timing(1.0, 5000, 2.0))
    app = create_app(settings)
    clock.advance(6000)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": "Key mock-connect-owner-key"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t/__api__", headers=headers) as client:
        jobs = app.state.demo_jobs[API]
        response = await client.get(f"/v1/content/{API}/jobs/{jobs[-1]}/download")
    assert response.status_code == 200
    assert response.text.count("\n") == 5000
    assert len(response.content) > 64 * 1024


async def test_unknown_content_and_unknown_jobs_are_404_code_4(client: httpx.AsyncClient) -> None:
    unknown_content = "00000000-0000-4000-8000-000000000000"
    assert_error(await client.get(f"/v1/content/{unknown_content}/jobs"), 404, 4)
    for suffix in ("", "/log", "/error", "/download", "/tail"):
        assert_error(await client.get(f"{APP_JOBS}/no-such-key{suffix}"), 404, 4)
    assert_error(await client.delete(f"{APP_JOBS}/no-such-key"), 404, 4)
    assert_error(await client.get(f"/v1/content/{SHINY_APP.upper()}/jobs"), 404, 4)


def test_the_same_seed_and_clock_give_the_same_simulator() -> None:
    def snapshot(seed: int) -> Any:
        jobs = ConnectJobs(clock=ManualClock(), timing=TIMING, seed=seed)
        keys = seed_demo_content(jobs)
        return keys, [jobs.list_jobs(guid) for guid in keys], jobs.job_log(API, keys[API][-1], 100)

    assert snapshot(7) == snapshot(7)
    assert snapshot(7)[0][API] != snapshot(8)[0][API]
