"""One tenant never reaches another's data, on any operation: a slurper account another account's jobs, a Connect key
without permission a content item's jobs (or one item's job under another item), a RekoSearch user another user's
jobs, including through ids that look like paths."""

from urllib.parse import unquote, urlsplit

import pytest

from mock_server.connect.auth import DEFAULT_KEYS, Role
from mock_server.connect.seed import API, REPORT, SHINY_APP
from mock_server.faults import FaultSettings
from mock_server.rekosearch.settings import SECOND_USER_TOKEN
from mock_server.tests.apis import Call, Simulator, in_process
from mock_server.tests.conftest import s3_job_request
from mock_server.tests.connect.simulator import SIMULATOR as CONNECT
from mock_server.tests.rekosearch.simulator import SIMULATOR as REKOSEARCH
from mock_server.tests.slurper.simulator import SIMULATOR as SLURPER

pytestmark = pytest.mark.anyio


def job_calls(simulator: Simulator, job: str, **parameters: str) -> list[Call]:
    """A call of every operation of the simulator's document on one job: of every path of the document that is the
    template `job` or under it, with the path `parameters` filled in."""
    return [
        Call(operation.method, simulator.origin_path(operation.path_template.format(**parameters)))
        for operation in simulator.document.operations.values()
        if f"{operation.path_template}/".startswith(f"{job}/")
    ]


def slurper_job_calls(account: str, job_id: str) -> list[Call]:
    return job_calls(SLURPER, "/accounts/{account_id}/slurper/jobs/{job_id}", account_id=account, job_id=job_id)


OTHER_ACCOUNTS = [
    "intruder",
    "victim%2F..%2Fintruder",
    "..%2Fvictim",
    "VICTIM",
    "victim%20",
    "victim%00",
    "vic%C3%A9tim",
]


@pytest.mark.parametrize("other", OTHER_ACCOUNTS)
async def test_a_slurper_account_never_reaches_another_accounts_jobs(other: str) -> None:
    app = SLURPER.build(FaultSettings())
    async with in_process(app, headers=SLURPER.headers) as client:
        created = await client.post("/client/v4/accounts/victim/slurper/jobs", json=s3_job_request())
        job_id = created.json()["result"]["id"]
        for call in slurper_job_calls(other, job_id):
            response = await call.send(client)
            assert response.status_code == 404, f"{call.method} {call.path}: {response.text}"
            assert response.json()["errors"][0]["code"] == 10404
        for odd_job in (f"..%2F..%2Fvictim%2Fslurper%2Fjobs%2F{job_id}", f"{job_id}%2F..", job_id.upper()):
            for call in slurper_job_calls("victim", odd_job):
                assert (await call.send(client)).status_code == 404, call.path
        listed = await client.get(f"/client/v4/accounts/{other}/slurper/jobs")
        assert job_id not in listed.text
        assert (await client.put(f"/client/v4/accounts/{other}/slurper/jobs/abortAll")).status_code == 200
        job = (await client.get(f"/client/v4/accounts/victim/slurper/jobs/{job_id}")).json()["result"]
        assert job["status"] in ("running", "completed"), "another account's abortAll reached the job"


def connect_calls(guid: str, key: str) -> list[Call]:
    return job_calls(CONNECT, "/v1/content/{guid}/jobs/{key}", guid=guid, key=key)


async def test_a_connect_viewer_reaches_no_jobs_operation() -> None:
    app = CONNECT.build(FaultSettings())
    viewer = {"Authorization": f"Key {DEFAULT_KEYS[Role.VIEWER]}"}
    async with in_process(app, headers=viewer) as client:
        for guid, keys in app.state.demo_jobs.items():
            calls = [Call("GET", f"/__api__/v1/content/{guid}/jobs")]
            for key in keys:
                calls += connect_calls(guid, key)
            for call in calls:
                response = await call.send(client)
                assert response.status_code == 403, f"{call.method} {call.path}: {response.text}"
                assert response.json()["code"] == 22
    assert all(job["status"] != 1 or job["exit_code"] is not None for job in app.state.jobs.list_jobs(API))


@pytest.mark.parametrize("other", [REPORT, API, SHINY_APP.upper(), f"{REPORT}%2F..%2F{SHINY_APP}"])
async def test_a_connect_job_is_never_reached_under_another_content_item(other: str) -> None:
    app = CONNECT.build(FaultSettings())
    running = app.state.demo_jobs[SHINY_APP][-1]
    async with in_process(app, headers=CONNECT.headers) as client:
        for call in connect_calls(other, running):
            response = await call.send(client)
            assert response.status_code in (400, 404), f"{call.method} {call.path}: {response.text}"
            assert CONNECT.error_problems(response) == []
            assert running not in response.text
        for key in (f"..%2F{running}", f"{running}%2F..", running.lower(), f"{running}%00"):
            for call in connect_calls(SHINY_APP, key):
                assert (await call.send(client)).status_code == 404, call.path
        job = (await client.get(f"/__api__/v1/content/{SHINY_APP}/jobs/{running}")).json()
        assert job["status"] == 0, "a kill under another content item reached the job"


async def test_a_rekosearch_user_never_reaches_another_users_jobs() -> None:
    app = REKOSEARCH.build(FaultSettings())
    first, second = app.state.demo_users
    async with (
        in_process(app, headers=REKOSEARCH.headers) as client,
        in_process(app, headers={"Authorization": SECOND_USER_TOKEN}) as other,
    ):
        names = {job["job_id"]: job["job_name"] for job in (await other.get("/api/v1/jobs/list")).json()["jobs"]}
        for job_id in (6, 7):
            response = await client.get("/api/v1/jobs/get", params={"job-id": job_id})
            assert response.status_code == 404, response.text
            assert names[job_id] not in response.text
            assert (await client.delete("/api/v1/jobs/delete", params={"job-id": job_id})).status_code == 200
        assert (await client.delete("/api/v1/jobs/delete", params={"job-id": 1})).status_code == 200
        assert sorted(second.jobs) == [1, 2, 3, 4, 5, 6, 7], "one user's delete reached another's jobs"
        listed = (await client.get("/api/v1/jobs/list")).json()["jobs"]
        assert [job["job_id"] for job in listed] == [2, 3, 4, 5]
        for object_uuid in (f"../../{second.user_id}/6/x.jpg", f"..%2F{second.user_id}", "..", "/", "%2E%2E"):
            response = await client.get("/api/v1/jobs/get-object-url", params={"job-id": 6, "object-uuid": object_uuid})
            assert response.status_code == 200, response.text
            path = urlsplit(response.json()["url"]).path
            segments = [unquote(segment) for segment in path.split("/")[1:]]
            assert segments[0] == first.user_id
            assert len(segments) == 3, f"the object uuid {object_uuid!r} became more than one segment: {path}"
