"""`python -m mock_server connect` as a real process: one JSON line once listening (base URL, keys and their roles,
seeded content GUIDs and job keys), exit 0 on SIGTERM and SIGINT."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from mock_server.__main__ import main
from mock_server.connect.seed import API, REPORT, SHINY_APP
from mock_server.tests.test_cli import REPOSITORY, START_UP_SECONDS, announce


def start(*args: str, env: dict[str, str] | None = None) -> "subprocess.Popen[str]":
    # The command is this interpreter and fixed arguments, not untrusted input.
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "mock_server", "connect", "--port", "0", *args],
        cwd=REPOSITORY,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def stopper() -> Iterator[list["subprocess.Popen[str]"]]:
    """Kills (by its own handle) any simulator a failed test leaves running."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_announces_itself_once_and_stops_cleanly(
    stopper: list["subprocess.Popen[str]"], stop_signal: signal.Signals
) -> None:
    process = start("--strict", "--line-interval", "0.5", env={"MOCK_CONNECT_VIEWER_KEY": "viewer-from-env"})
    stopper.append(process)
    info = announce(process)
    assert info["api"] == "connect"
    assert info["base_url"].startswith("http://127.0.0.1:")
    assert info["base_url"].endswith("/__api__")
    assert info["keys"] == {
        "owner": "mock-connect-owner-key",
        "collaborator": "mock-connect-collaborator-key",
        "viewer": "viewer-from-env",
        "administrator": "mock-connect-administrator-key",
    }
    assert info["content"] == [SHINY_APP, REPORT, API]
    assert "IuzpAzG329zvnt9s" in info["jobs"][SHINY_APP]
    assert info["timing"] == {"line_interval": 0.5, "job_lines": 20, "finalize_delay": 5.0}
    assert info["strict"] is True

    with httpx.Client(base_url=info["base_url"]) as client:
        listed = client.get(f"/v1/content/{SHINY_APP}/jobs", headers={"Authorization": "Key mock-connect-owner-key"})
        assert listed.status_code == 200
        assert {job["key"] for job in listed.json()} >= set(info["jobs"][SHINY_APP])
        refused = client.get(f"/v1/content/{SHINY_APP}/jobs", headers={"Authorization": "Key viewer-from-env"})
        assert refused.status_code == 403

    process.send_signal(stop_signal)
    stdout, stderr = process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0, stderr
    assert stdout == "", "more than one line on stdout"
    assert "viewer-from-env" not in stderr


def test_options_win_over_the_environment(stopper: list["subprocess.Popen[str]"]) -> None:
    process = start(
        "--owner-key", "owner-from-option", "--job-lines", "3", env={"MOCK_CONNECT_OWNER_KEY": "owner-from-env"}
    )
    stopper.append(process)
    info = announce(process)
    assert info["keys"]["owner"] == "owner-from-option"
    assert (info["timing"]["job_lines"], info["strict"]) == (3, False)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0


def test_two_roles_with_one_key_are_refused(stopper: list["subprocess.Popen[str]"]) -> None:
    process = start("--owner-key", "same", "--viewer-key", "same")
    stopper.append(process)
    stdout, stderr = process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 2
    assert stdout == ""
    assert "a key of its own" in stderr


@pytest.mark.parametrize(
    "argv",
    [["connect", "--line-interval", "0"], ["connect", "--job-lines", "0"], ["connect", "--finalize-delay", "-1"]],
)
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
