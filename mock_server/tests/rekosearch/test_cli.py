"""`python -m mock_server rekosearch` as a real process: one JSON line once listening (base URL, a token per demo
user, their job ids), the API at the server root, exit 0 on SIGTERM and SIGINT."""

import signal

import httpx
import pytest

from mock_server.__main__ import main
from mock_server.launcher import launch

OPTION_TOKEN = "token-from-option"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_announces_itself_once_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    environment = {"MOCK_REKOSEARCH_TOKEN": "token-from-env"}
    with launch("rekosearch", "--new-user-endpoint", strict=True, env=environment) as simulator:
        info = simulator.announcement
        assert info.api == "rekosearch"
        assert info.base_url.startswith("http://127.0.0.1:")
        assert httpx.URL(info.base_url).path in {"", "/"}
        assert [identity.headers for identity in info.credentials] == [
            {"Authorization": "token-from-env"},
            {"Authorization": "mock-rekosearch-token-2"},
        ]
        assert [identity.tenant for identity in info.credentials] == [tenant.id for tenant in info.tenants]
        assert [tenant.jobs for tenant in info.tenants] == [(1, 2, 3, 4, 5), (1, 2, 3, 4, 5, 6, 7)]
        assert info.details == {"new_user": f"POST {info.base_url}/_simulator/users"}
        assert info.strict is True
        first = info.credentials[0].headers
        with httpx.Client(base_url=info.base_url) as client:
            listed = client.get("/api/v1/jobs/list", headers=first)
            assert tuple(job["job_id"] for job in listed.json()["jobs"]) == info.tenants[0].jobs
            job = client.get("/api/v1/jobs/get?job-id=1", headers=first)
            assert job.json()["job_info"]["user_id"] == info.tenants[0].id
            assert client.get("/api/v1/jobs/list", headers={"Authorization": "nope"}).status_code == 401
            method, url = info.details["new_user"].split(" ")
            new_token = client.request(method, url).json()["token"]
            assert client.get("/api/v1/jobs/list", headers={"Authorization": new_token}).status_code == 200

        assert simulator.stop(stop_signal) == 0, simulator.stderr
        assert simulator.stdout == "", "more than one line on stdout"
        assert "token-from-env" not in simulator.stderr


def test_the_option_wins_over_the_environment() -> None:
    environment = {"MOCK_REKOSEARCH_TOKEN": "token-from-env"}
    with launch("rekosearch", "--token", OPTION_TOKEN, env=environment) as simulator:
        info = simulator.announcement
        assert info.credentials[0].headers == {"Authorization": OPTION_TOKEN}
        assert info.strict is False
        assert info.details == {}
        with httpx.Client(base_url=info.base_url, headers={"Authorization": OPTION_TOKEN}) as client:
            assert client.get("/api/v1/jobs/list").status_code == 200
            assert client.post("/_simulator/users").json() == {"message": "Not Found"}
        assert simulator.stop() == 0


def test_a_token_another_user_has_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rekosearch", "--port", "0", "--token", "mock-rekosearch-token-2"]) == 2
    assert "a token of their own" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["rekosearch", "--port", "eighty"], ["rekosearch", "--no-such-option"]])
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
