"""`python -m mock_server rekosearch` as a real process: one JSON line once listening (base URL, tokens, job ids),
the API at the server root, exit 0 on SIGTERM and SIGINT."""

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import mock_server
from mock_server.__main__ import main

REPOSITORY = Path(mock_server.__file__).resolve().parents[1]
START_UP_SECONDS = 20
OPTION_TOKEN = "token-from-option"  # noqa: S105


def start(*args: str, env: dict[str, str] | None = None) -> "subprocess.Popen[str]":
    # The command is this interpreter and fixed arguments, not untrusted input.
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "mock_server", "rekosearch", "--port", "0", *args],
        cwd=REPOSITORY,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def announce(process: "subprocess.Popen[str]") -> dict[str, Any]:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_UP_SECONDS)
    assert ready, f"no start-up line within {START_UP_SECONDS} s"
    info: dict[str, Any] = json.loads(process.stdout.readline())
    return info


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
    process = start("--strict", "--new-user-endpoint", env={"MOCK_REKOSEARCH_TOKEN": "token-from-env"})
    stopper.append(process)
    info = announce(process)

    assert info["api"] == "rekosearch"
    assert info["base_url"].startswith("http://127.0.0.1:")
    assert httpx.URL(info["base_url"]).path in {"", "/"}
    assert [user["token"] for user in info["users"]] == ["token-from-env", "mock-rekosearch-token-2"]
    assert [user["jobs"] for user in info["users"]] == [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7]]
    assert info["new_user"] == f"POST {info['base_url']}/_simulator/users"
    assert info["strict"] is True
    with httpx.Client(base_url=info["base_url"]) as client:
        listed = client.get("/api/v1/jobs/list", headers={"Authorization": "token-from-env"})
        assert [job["job_id"] for job in listed.json()["jobs"]] == info["users"][0]["jobs"]
        job = client.get("/api/v1/jobs/get?job-id=1", headers={"Authorization": "token-from-env"})
        assert job.json()["job_info"]["user_id"] == info["users"][0]["user_id"]
        assert client.get("/api/v1/jobs/list", headers={"Authorization": "nope"}).status_code == 401
        method, url = info["new_user"].split(" ")
        new_token = client.request(method, url).json()["token"]
        assert client.get("/api/v1/jobs/list", headers={"Authorization": new_token}).status_code == 200

    process.send_signal(stop_signal)
    stdout, stderr = process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0, stderr
    assert stdout == "", "more than one line on stdout"
    assert "token-from-env" not in stderr


def test_the_option_wins_over_the_environment(stopper: list["subprocess.Popen[str]"]) -> None:
    process = start("--token", OPTION_TOKEN, env={"MOCK_REKOSEARCH_TOKEN": "token-from-env"})
    stopper.append(process)
    info = announce(process)

    assert info["users"][0]["token"] == OPTION_TOKEN
    assert info["strict"] is False
    assert "new_user" not in info
    with httpx.Client(base_url=info["base_url"], headers={"Authorization": OPTION_TOKEN}) as client:
        assert client.get("/api/v1/jobs/list").status_code == 200
        assert client.post("/_simulator/users").json() == {"message": "Not Found"}
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=START_UP_SECONDS)
    assert process.returncode == 0


def test_a_token_another_user_has_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rekosearch", "--port", "0", "--token", "mock-rekosearch-token-2"]) == 2
    assert "a token of their own" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["rekosearch", "--port", "eighty"], ["rekosearch", "--no-such-option"]])
def test_bad_command_lines_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: python -m mock_server" in capsys.readouterr().err
