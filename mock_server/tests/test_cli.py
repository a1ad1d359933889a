"""`python -m mock_server slurper` as a real process (`mock_server.launcher`): one JSON line once listening, the
same keys as every simulator's (`mock_server.announcement`), exit 0 on SIGTERM and SIGINT."""

import signal
import socket

import httpx
import pytest

from mock_server.__main__ import main
from mock_server.announcement import Announcement, Identity, Tenant
from mock_server.launcher import LaunchError, launch
from mock_server.slurper.seed import DEMO_ACCOUNT_ID
from mock_server.tests.conftest import s3_job_request


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_announces_itself_once_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    with launch("slurper", strict=True, env={"MOCK_SLURPER_TOKEN": "token-from-env"}) as simulator:
        info = simulator.announcement
        assert info.api == "slurper"
        assert info.base_url.startswith("http://127.0.0.1:")
        assert info.base_url.endswith("/client/v4")
        assert not info.base_url.startswith("http://127.0.0.1:0/")
        assert info.credentials == (
            Identity("token", {"Authorization": "Bearer token-from-env"}),
            Identity("email+key", {"X-Auth-Email": "mock@example.com", "X-Auth-Key": "mock-global-api-key"}),
        )
        assert [tenant.id for tenant in info.tenants] == [DEMO_ACCOUNT_ID]
        assert len(info.tenants[0].jobs) == 2
        assert info.details == {"max_concurrent_jobs": 3}
        assert info.strict is True

        with httpx.Client(base_url=info.base_url) as client:
            listed = client.get(f"/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs", headers=info.credentials[0].headers)
            assert listed.status_code == 200
            assert tuple(job["id"] for job in listed.json()["result"]) == info.tenants[0].jobs
            refused = client.get(f"/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs", headers={"Authorization": "Bearer nope"})
            assert refused.status_code == 403

        assert simulator.stop(stop_signal) == 0, simulator.stderr
        assert simulator.stdout == "", "more than one line on stdout"
        assert "token-from-env" not in simulator.stderr


def test_options_win_over_the_environment() -> None:
    options = ("--email", "ops@example.com", "--key", "key-from-option", "--max-concurrent-jobs", "1")
    environment = {"MOCK_SLURPER_EMAIL": "env@example.com", "MOCK_SLURPER_KEY": "key-from-env"}
    with launch("slurper", *options, env=environment) as simulator:
        info = simulator.announcement
        headers = {"X-Auth-Email": "ops@example.com", "X-Auth-Key": "key-from-option"}
        assert info.identity().name == "token"
        assert info.credentials[1].headers == headers
        assert (info.details["max_concurrent_jobs"], info.strict) == (1, False)
        with httpx.Client(base_url=info.base_url, headers=headers) as client:
            assert client.post("/accounts/cli/slurper/jobs", json=s3_job_request()).status_code == 201
            assert client.post("/accounts/cli/slurper/jobs", json=s3_job_request()).status_code == 409
        assert simulator.stop() == 0


def test_the_start_up_line_reads_back_as_it_was_written() -> None:
    announcement = Announcement(
        api="rekosearch",
        base_url="http://127.0.0.1:8789",
        credentials=(Identity("ana@example.com", {"Authorization": "token-of-ana"}, tenant="u1"),),
        tenants=(Tenant("u1", (1, 2)),),
        strict=True,
        faults={"rate": 0.5},
        details={"new_user": "POST http://127.0.0.1:8789/_simulator/users"},
    )

    line = announcement.to_json()

    assert "\n" not in line
    assert Announcement.from_json(line) == announcement
    assert announcement.origin == "http://127.0.0.1:8789"
    assert "token-of-ana" not in repr(announcement)
    assert announcement.secrets == ("token-of-ana",)
    with pytest.raises(ValueError, match="not a simulator's start-up line"):
        Announcement.from_json('{"api": "slurper"}')


def test_a_busy_port_is_reported() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(LaunchError) as raised:
            launch("slurper", port=busy.getsockname()[1])
    assert raised.value.returncode == 1
    assert raised.value.stdout == ""
    assert "cannot listen on 127.0.0.1:" in raised.value.stderr


@pytest.mark.parametrize("argv", [[], ["nothing"], ["slurper", "--max-concurrent-jobs", "0"]])
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
