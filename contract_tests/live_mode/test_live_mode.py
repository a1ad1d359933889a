"""The suite's live mode keeps its promise, for every API (`contract_tests/live_mode/<api>.py` says how each is
held to it): pointed at a server with --base-url and without --allow-writes, it sends only GET requests, only with
the credential it was given, only to the resource it was given, changes nothing, and writes the credential into no
report; with --allow-writes it runs everything, the writes too, and probes the credential, yet writes only where it
may. The "live" server is the API's simulator in this process, recording every request it receives."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette

from contract_tests.live_mode.live import REPORTS, LiveApi, RequestLog, live_apis
from mock_server.tests.apis import served


@dataclass(frozen=True)
class LiveServer:
    """An API's simulator on a real socket, recording what it receives."""

    api: LiveApi
    origin: str
    log: RequestLog
    app: Starlette


@pytest.fixture(params=live_apis(), ids=lambda api: api.name)
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    api: LiveApi = request.param
    app = api.app()
    log = RequestLog(app)
    with served(log) as origin:  # type: ignore[arg-type]
        yield LiveServer(api, origin, log, app)


def test_a_live_run_without_allow_writes_only_reads(live_server: LiveServer, tmp_path: Path) -> None:
    api, log = live_server.api, live_server.log

    result = api.run_suite(live_server.origin, tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert log.requests, "the suite sent nothing"
    assert {request.method for request in log.requests} == {"GET"}
    assert {request.authorization for request in log.requests} <= api.authorizations
    assert all(api.scope.search(request.path) for request in log.requests)
    if api.written is not None:
        assert not api.written(live_server.app), "a read-only run wrote"
    for report in REPORTS:
        assert api.secret not in (tmp_path / report).read_text(), f"the credential is in {report}"
    summary = (tmp_path / "conformance-summary.md").read_text()
    for test in api.reported:
        assert test in summary


def test_a_live_run_with_allow_writes_runs_everything(live_server: LiveServer, tmp_path: Path) -> None:
    api, log = live_server.api, live_server.log

    result = api.run_suite(live_server.origin, tmp_path, "--allow-writes")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert {request.method for request in log.requests} >= api.write_methods
    assert None in {request.authorization for request in log.requests}, "the credential was never probed"
    if api.written is not None:
        assert api.written(live_server.app), "nothing was written"
    if api.delete is not None:
        path, query = api.delete
        deleted = {request.query for request in log.requests if (request.method, request.path) == ("DELETE", path)}
        assert deleted == {query}
    if api.unreached is not None:
        assert not any(request.path.startswith(api.unreached) for request in log.requests)
