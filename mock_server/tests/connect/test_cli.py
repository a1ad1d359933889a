"""`python -m mock_server connect` as a real process: one JSON line once listening (base URL, a key per role, the
seeded content GUIDs and job keys, the timing), exit 0 on SIGTERM and SIGINT."""

import signal

import httpx
import pytest

from mock_server.__main__ import main
from mock_server.connect.seed import API, REPORT, SHINY_APP
from mock_server.launcher import LaunchError, launch


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_announces_itself_once_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    environment = {"MOCK_CONNECT_VIEWER_KEY": "viewer-from-env"}
    with launch("connect", "--line-interval", "0.5", strict=True, env=environment) as simulator:
        info = simulator.announcement
        assert info.api == "connect"
        assert info.base_url.startswith("http://127.0.0.1:")
        assert info.base_url.endswith("/__api__")
        assert [(identity.name, identity.role, dict(identity.headers)) for identity in info.credentials] == [
            ("owner", "owner", {"Authorization": "Key mock-connect-owner-key"}),
            ("collaborator", "collaborator", {"Authorization": "Key mock-connect-collaborator-key"}),
            ("viewer", "viewer", {"Authorization": "Key viewer-from-env"}),
            ("administrator", "administrator", {"Authorization": "Key mock-connect-administrator-key"}),
        ]
        assert [tenant.id for tenant in info.tenants] == [SHINY_APP, REPORT, API]
        assert "IuzpAzG329zvnt9s" in info.tenants[0].jobs
        assert info.details == {"timing": {"line_interval": 0.5, "job_lines": 20, "finalize_delay": 5.0}}
        assert info.strict is True

        with httpx.Client(base_url=info.base_url) as client:
            listed = client.get(f"/v1/content/{SHINY_APP}/jobs", headers=info.identity().headers)
            assert listed.status_code == 200
            assert {job["key"] for job in listed.json()} >= set(info.tenants[0].jobs)
            refused = client.get(f"/v1/content/{SHINY_APP}/jobs", headers=info.identity(role="viewer").headers)
            assert refused.status_code == 403

        assert simulator.stop(stop_signal) == 0, simulator.stderr
        assert simulator.stdout == "", "more than one line on stdout"
        assert "viewer-from-env" not in simulator.stderr


def test_options_win_over_the_environment() -> None:
    environment = {"MOCK_CONNECT_OWNER_KEY": "owner-from-env"}
    with launch("connect", "--owner-key", "owner-from-option", "--job-lines", "3", env=environment) as simulator:
        info = simulator.announcement
        assert info.identity(role="owner").headers == {"Authorization": "Key owner-from-option"}
        assert (info.details["timing"]["job_lines"], info.strict) == (3, False)
        assert simulator.stop() == 0


def test_two_roles_with_one_key_are_refused() -> None:
    with pytest.raises(LaunchError) as raised:
        launch("connect", "--owner-key", "same", "--viewer-key", "same")
    assert raised.value.returncode == 2
    assert raised.value.stdout == ""
    assert "a key of its own" in raised.value.stderr


@pytest.mark.parametrize(
    "argv",
    [["connect", "--line-interval", "0"], ["connect", "--job-lines", "0"], ["connect", "--finalize-delay", "-1"]],
)
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
