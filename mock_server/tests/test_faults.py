"""Fault injection (`mock_server.faults`) in every simulator: the configured fraction and kinds of faults really
happen, each looks the way it should, a fault never changes state, a stall stalls and a drop drops."""

import asyncio
import contextlib
import logging
import socket
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx
import pytest

from mock_server.__main__ import main
from mock_server.connect.jobs import ConnectJobs, JobStatus
from mock_server.connect.seed import API
from mock_server.faults import FAULT_HEADER, FaultKind, FaultSettings, parse_kinds
from mock_server.launcher import launch
from mock_server.rekosearch import RekoSearchSettings
from mock_server.rekosearch import create_app as create_rekosearch_app
from mock_server.rekosearch.jobs import RekoSearchJobs
from mock_server.slurper import SlurperSettings, create_app
from mock_server.slurper.jobs import SuperSlurper
from mock_server.tests.apis import SIMULATOR_IDS, SIMULATORS, Simulator, in_process, served
from mock_server.tests.conftest import s3_job_request
from mock_server.tests.connect.simulator import SIMULATOR as CONNECT
from mock_server.tests.rekosearch.simulator import SIMULATOR as REKOSEARCH
from mock_server.tests.slurper.simulator import SIMULATOR as SLURPER

pytestmark = pytest.mark.anyio
REQUESTS = 400
RATE = 0.25
# Not a timing assertion: the seeded generator gives the same count on every run; the band only says "about RATE".
LOW, HIGH = RATE - 0.07, RATE + 0.07
ANSWERED_KINDS = (FaultKind.TOO_MANY_REQUESTS, FaultKind.SERVICE_UNAVAILABLE, FaultKind.ORIGIN_ERROR)


@pytest.mark.parametrize("simulator", SIMULATORS, ids=SIMULATOR_IDS)
async def test_the_configured_fraction_and_kinds_of_faults_happen(simulator: Simulator) -> None:
    settings = FaultSettings(rate=RATE, seed=7, stall_seconds=0.0, retry_after=3)
    app = simulator.build(settings)
    seen: Counter[str] = Counter()
    async with in_process(app, headers=simulator.headers) as client:
        for _ in range(REQUESTS):
            try:
                response = await client.get(simulator.probe(app))
            except httpx.RemoteProtocolError:
                seen[FaultKind.DROP] += 1
                continue
            kind = response.headers.get(FAULT_HEADER)
            if kind is None:
                assert response.status_code == 200, response.text
                continue
            seen[kind] += 1
            check_fault_response(simulator, FaultKind(kind), response, retry_after=3)
    injected = app.state.faults.injected
    assert dict(seen) == {kind.value: count for kind, count in injected.items()}
    assert set(injected) == set(FaultKind), f"every kind happens: {injected}"
    assert LOW * REQUESTS <= sum(injected.values()) <= HIGH * REQUESTS
    print(f"{simulator.api}: {sum(injected.values())} of {REQUESTS} requests faulted: {dict(injected)}")


def check_fault_response(simulator: Simulator, kind: FaultKind, response: httpx.Response, *, retry_after: int) -> None:
    if kind is FaultKind.TOO_MANY_REQUESTS:
        assert response.status_code == 429
        assert response.headers["Retry-After"] == str(retry_after)
        assert simulator.error_problems(response) == []
    elif kind is FaultKind.ORIGIN_ERROR:
        assert response.status_code == 520
        assert response.headers["content-type"].startswith("text/html")
    else:
        assert response.status_code == 503
        assert simulator.error_problems(response) == []


@pytest.mark.parametrize("kinds", ["429", "503,520", "drop,stall"])
async def test_only_the_configured_kinds_happen(kinds: str) -> None:
    app = SLURPER.build(FaultSettings(rate=1.0, kinds=parse_kinds(kinds), stall_seconds=0.0))
    async with in_process(app, headers=SLURPER.headers) as client:
        for _ in range(60):
            with contextlib.suppress(httpx.RemoteProtocolError):
                await client.get(SLURPER.probe(app))
    assert set(app.state.faults.injected) == set(parse_kinds(kinds))
    assert sum(app.state.faults.injected.values()) == 60


async def test_the_same_seed_faults_the_same_requests() -> None:
    async def statuses(seed: int) -> list[int]:
        app = SLURPER.build(FaultSettings(rate=0.5, kinds=ANSWERED_KINDS, seed=seed))
        async with in_process(app, headers=SLURPER.headers) as client:
            return [(await client.get(SLURPER.probe(app))).status_code for _ in range(50)]

    assert await statuses(1) == await statuses(1)
    assert await statuses(1) != await statuses(2)


async def test_no_faults_by_default() -> None:
    app = SLURPER.build(FaultSettings())
    async with in_process(app, headers=SLURPER.headers) as client:
        for _ in range(50):
            assert (await client.get(SLURPER.probe(app))).status_code == 200
    assert app.state.faults.injected == Counter()


def test_fault_settings_are_checked() -> None:
    for bad in ({"rate": 1.5}, {"rate": -0.1}, {"kinds": ()}, {"stall_seconds": -1.0}, {"retry_after": -1}):
        with pytest.raises(ValueError, match=r"."):
            FaultSettings(**bad)
    with pytest.raises(ValueError, match="unknown fault kinds"):
        parse_kinds("429,teapot")


# A fault is decided before the request reaches the simulator: whatever the kind, nothing changes.

FAULTY = FaultSettings(rate=0.5, kinds=tuple(FaultKind), seed=11, stall_seconds=0.0)


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: object) -> httpx.Response | None:
    """The response, or None when the request was faulted (dropped, or answered by the fault layer)."""
    try:
        response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.RemoteProtocolError:
        return None
    return None if FAULT_HEADER in response.headers else response


async def test_a_faulted_slurper_request_changes_nothing() -> None:
    app = create_app(SlurperSettings(strict=True, faults=FAULTY, max_concurrent_jobs=1000, demo_jobs=False))
    slurper: SuperSlurper = app.state.slurper
    account = "fault-account"
    jobs = f"/client/v4/accounts/{account}/slurper/jobs"
    created: list[str] = []
    transitions: Counter[str] = Counter()
    async with in_process(app, headers=SLURPER.headers) as client:
        for _ in range(40):
            response = await call(client, "POST", jobs, json=s3_job_request())
            if response is not None:
                assert response.status_code == 201, response.text
                created.append(response.json()["result"]["id"])
        job_id = created[0]
        for action in ["pause", "resume"] * 30 + ["abort"] * 5:
            response = await call(client, "PUT", f"{jobs}/{job_id}/{action}")
            if response is not None and response.status_code == 200:
                transitions[action] += 1
    listed = slurper.list_jobs(account, limit=50)
    assert sorted(job["id"] for job in listed) == sorted(created)
    logs = [entry["logType"] for entry in slurper.list_job_logs(account, job_id, limit=50)]
    assert logs.count("migrationPause") == transitions["pause"]
    assert logs.count("migrationResume") == transitions["resume"]
    assert logs.count("migrationAbort") == transitions["abort"] == 1
    assert 0 < len(created) < 40


async def test_a_faulted_connect_kill_kills_nothing() -> None:
    app = CONNECT.build(FAULTY)
    jobs: ConnectJobs = app.state.jobs
    running = app.state.demo_jobs[API][-1]
    path = f"/__api__/v1/content/{API}/jobs/{running}"
    async with in_process(app, headers=CONNECT.headers) as client:
        while True:
            response = await call(client, "DELETE", path)
            if response is not None:
                break
            assert jobs.get_job(API, running)["status"] == JobStatus.ACTIVE, "a faulted kill killed the job"
    assert response.status_code == 200, response.text
    assert jobs.get_job(API, running)["status"] != JobStatus.ACTIVE


async def test_a_faulted_rekosearch_delete_deletes_nothing() -> None:
    app = REKOSEARCH.build(FAULTY)
    jobs: RekoSearchJobs = app.state.jobs
    user = app.state.demo_users[0]
    async with in_process(app, headers=REKOSEARCH.headers) as client:
        for job_id in (1, 2, 3, 4, 5):
            while True:
                response = await call(client, "DELETE", f"/api/v1/jobs/delete?job-id={job_id}")
                if response is not None:
                    break
                assert job_id in user.jobs, "a faulted delete deleted the job"
            assert response.status_code == 200, response.text
            assert job_id not in user.jobs
    assert jobs.list_jobs(user) == []


async def test_the_simulators_own_set_up_endpoint_never_fails() -> None:
    app = create_rekosearch_app(RekoSearchSettings(new_user_endpoint=True, faults=FaultSettings(rate=1.0)))
    async with in_process(app) as client:
        for _ in range(20):
            assert (await client.post("/_simulator/users")).status_code == 201


# Stalls and drops over a real socket: in-process transport has neither timeouts nor connections.


@pytest.mark.parametrize("simulator", SIMULATORS, ids=SIMULATOR_IDS)
def test_a_stalled_response_sends_nothing_until_its_time(simulator: Simulator) -> None:
    app = simulator.build(FaultSettings(rate=1.0, kinds=(FaultKind.STALL,), stall_seconds=2.0))
    with served(app) as origin, httpx.Client(base_url=origin, headers=simulator.headers) as client:
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            client.get(simulator.probe(app), timeout=httpx.Timeout(5.0, read=0.5))
        print(f"{simulator.api}: no byte within the 0.5 s read timeout (waited {time.monotonic() - started:.2f} s)")


@pytest.mark.parametrize("simulator", SIMULATORS, ids=SIMULATOR_IDS)
def test_a_stall_ends_in_a_503_after_the_configured_time(simulator: Simulator) -> None:
    stall = 0.4
    app = simulator.build(FaultSettings(rate=1.0, kinds=(FaultKind.STALL,), stall_seconds=stall))
    with served(app) as origin, httpx.Client(base_url=origin, headers=simulator.headers, timeout=30) as client:
        started = time.monotonic()
        response = client.get(simulator.probe(app))
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers[FAULT_HEADER] == "stall"
    assert simulator.error_problems(response) == []
    # A lower bound only: the response cannot come before the stall is over.
    assert waited >= stall
    print(f"{simulator.api}: the stalled response came after {waited:.2f} s (stall {stall} s)")


@pytest.mark.parametrize("simulator", SIMULATORS, ids=SIMULATOR_IDS)
def test_a_dropped_connection_really_drops(simulator: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    app = simulator.build(FaultSettings(rate=1.0, kinds=(FaultKind.DROP,)))
    with served(app) as origin, caplog.at_level(logging.WARNING):
        with (
            httpx.Client(base_url=origin, headers=simulator.headers) as client,
            pytest.raises(httpx.RemoteProtocolError, match="without sending a response"),
        ):
            client.get(simulator.probe(app))
        host, port = urlsplit(origin).hostname, urlsplit(origin).port
        assert host is not None
        assert port is not None
        with socket.create_connection((host, port), timeout=10) as raw:
            headers = "".join(f"{name}: {value}\r\n" for name, value in simulator.headers.items())
            raw.sendall(f"GET {simulator.probe(app)} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n".encode())
            try:
                received = raw.recv(65536)
            except ConnectionResetError:
                received = b""
        assert received == b"", "not one byte of a response"
        time.sleep(0.05)
    # uvicorn saw a closed connection, not an app that forgot to answer.
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert app.state.faults.injected[FaultKind.DROP] == 2


async def test_stalled_requests_do_not_hold_up_the_others() -> None:
    app = SLURPER.build(FaultSettings(rate=0.5, kinds=(FaultKind.STALL,), stall_seconds=0.3, seed=3))
    async with in_process(app, headers=SLURPER.headers) as client:
        responses = await asyncio.gather(*(client.get(SLURPER.probe(app)) for _ in range(40)))
    statuses = Counter(response.status_code for response in responses)
    assert statuses[200] + statuses[503] == 40
    assert statuses[503] == app.state.faults.injected[FaultKind.STALL] > 0


# The command line: every simulator takes the same options, and says what it injects in its start-up line.


@pytest.mark.parametrize("api", SIMULATOR_IDS)
def test_the_start_up_line_reports_the_fault_settings(api: str) -> None:
    options = ("--fault-rate", "1", "--fault-kinds", "429", "--fault-seed", "5", "--stall-seconds", "0.5",
               "--retry-after", "2")  # fmt: skip
    with launch(api, *options) as simulator:
        info = simulator.announcement
        assert info.faults == {"rate": 1.0, "kinds": ["429"], "seed": 5, "stall_seconds": 0.5, "retry_after": 2}
        response = httpx.get(info.base_url + "/anything")
        assert (response.status_code, response.headers["Retry-After"], response.headers[FAULT_HEADER]) == (
            429,
            "2",
            "429",
        )
        assert simulator.stop() == 0


@pytest.mark.parametrize(
    "options",
    [["--fault-rate", "1.5"], ["--fault-rate", "x"], ["--fault-kinds", "404"], ["--fault-kinds", ","],
     ["--stall-seconds", "-1"]],
)  # fmt: skip
@pytest.mark.parametrize("api", SIMULATOR_IDS)
def test_bad_fault_options_are_usage_errors(api: str, options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([api, *options])
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
