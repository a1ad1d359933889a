"""`python -m mock_server slurper` as a real process: one JSON line once listening, exit 0 on SIGTERM and SIGINT."""

import json
import os
import select
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

import mock_server
from mock_server.__main__ import main
from mock_server.slurper.seed import DEMO_ACCOUNT_ID
from mock_server.tests.conftest import s3_job_request

REPOSITORY = Path(mock_server.__file__).resolve().parents[1]
START_UP_SECONDS = 20


def read_line(stream: IO[str]) -> str:
    ready, _, _ = select.select([stream], [], [], START_UP_SECONDS)
    assert ready, f"no start-up line within {START_UP_SECONDS} s"
    return stream.readline()


def start(*args: str, env: dict[str, str] | None = None) -> "subprocess.Popen[str]":
    # The command is this interpreter and fixed arguments, not untrusted input.
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "mock_server", "slurper", "--port", "0", *args],
        cwd=REPOSITORY,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def announce(process: "subprocess.Popen[str]") -> dict[str, Any]:
    assert process.stdout is not None
    line = read_line(process.stdout)
    info: dict[str, Any] = json.loads(line)
    return info


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_announces_itself_once_and_stops_cleanly(
    stopper: list["subprocess.Popen[str]"], stop_signal: signal.Signals
) -> None:
    process = start("--strict", env={"MOCK_SLURPER_TOKEN": "token-from-env"})
    stopper.append(process)
    info = announce(process)
    assert info["api"] == "slurper"
    assert info["base_url"].startswith("http://127.0.0.1:")
    assert info["base_url"].endswith("/client/v4")
    assert not info["base_url"].startswith("http://127.0.0.1:0/")
    assert info["credentials"] == {"token": "token-from-env", "email": "mock@example.com", "key": "mock-global-api-key"}
    assert info["accounts"] == [DEMO_ACCOUNT_ID]
    assert len(info["jobs"][DEMO_ACCOUNT_ID]) == 2
    assert info["max_concurrent_jobs"] == 3
    assert info["strict"] is True

    with httpx.Client(base_url=info["base_url"]) as client:
        listed = client.get(
            f"/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs", headers={"Authorization": "Bearer token-from-env"}
        )
        assert listed.status_code == 200
        assert [job["id"] for job in listed.json()["result"]] == info["jobs"][DEMO_ACCOUNT_ID]
        refused = client.get(f"/accounts/{DEMO_ACCOUNT_ID}/slurper/jobs", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 403

    process.send_signal(stop_signal)
    stdout, stderr = process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0, stderr
    assert stdout == "", "more than one line on stdout"
    assert "token-from-env" not in stderr


def test_options_win_over_the_environment(stopper: list["subprocess.Popen[str]"]) -> None:
    process = start(
        "--email",
        "ops@example.com",
        "--key",
        "key-from-option",
        "--max-concurrent-jobs",
        "1",
        env={"MOCK_SLURPER_EMAIL": "env@example.com", "MOCK_SLURPER_KEY": "key-from-env"},
    )
    stopper.append(process)
    info = announce(process)
    assert info["credentials"]["email"] == "ops@example.com"
    assert info["credentials"]["key"] == "key-from-option"
    assert (info["max_concurrent_jobs"], info["strict"]) == (1, False)
    headers = {"X-Auth-Email": "ops@example.com", "X-Auth-Key": "key-from-option"}
    with httpx.Client(base_url=info["base_url"], headers=headers) as client:
        assert client.post("/accounts/cli/slurper/jobs", json=s3_job_request()).status_code == 201
        assert client.post("/accounts/cli/slurper/jobs", json=s3_job_request()).status_code == 409
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0


def test_a_busy_port_is_reported(stopper: list["subprocess.Popen[str]"]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "mock_server", "slurper", "--port", str(busy.getsockname()[1])],
            cwd=REPOSITORY,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stopper.append(process)
        stdout, stderr = process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 1
    assert stdout == ""
    assert "cannot listen on 127.0.0.1:" in stderr


@pytest.mark.parametrize("argv", [[], ["nothing"], ["slurper", "--max-concurrent-jobs", "0"]])
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
