"""Start a simulator as a process of its own and read its start-up line: what the conformance suite, the bench and
the tests all do the same way.

`launch("connect", "--line-interval", "0.05", strict=True)` runs `python -m mock_server connect --port 0 --strict
--line-interval 0.05` from `root` (the repository by default; a copy of it for the planted-defect tests, which run
the copy's simulators: `root` is also the process's PYTHONPATH), waits up to `timeout` seconds for the start-up line
and gives back a `RunningSimulator` with the `Announcement` it read. Both of the process's outputs are read in the
background from the start, so a simulator that writes much never blocks on a full pipe; what it writes is kept
(`stderr`, and `stdout` after the start-up line) for whoever checks it for tracebacks or leaked credentials. `stop`
ends the process by its own handle (a signal, then SIGKILL after a grace period), never by name.
"""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from mock_server.announcement import Announcement

REPOSITORY = Path(__file__).resolve().parents[1]
START_UP_SECONDS = 30.0
STOP_SECONDS = 10.0


class LaunchError(RuntimeError):
    """A simulator did not start: it exited, said nothing in time, or said something else than its start-up line.

    Attributes:
        api: The API.
        returncode: The process's exit code (negative when it had to be killed).
        stdout: What it wrote on stdout.
        stderr: What it wrote on stderr.
    """

    def __init__(self, api: str, reason: str, *, returncode: int, stdout: str, stderr: str) -> None:
        """Describe the failure.

        Args:
            api: The API.
            reason: What went wrong.
            returncode: The process's exit code.
            stdout: What it wrote on stdout.
            stderr: What it wrote on stderr.
        """
        super().__init__(f"the {api} simulator did not start: {reason} (exit code {returncode}): {stderr[-3000:]}")
        self.api = api
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


class _Output(threading.Thread):
    """Reads one of a process's outputs to its end, keeping every line."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(daemon=True)
        self._stream = stream
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self.start()

    def run(self) -> None:
        for line in self._stream:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def first_line(self, timeout: float) -> str | None:
        """The first line once there is one: "" when the output ended without one, None after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._lines or self._ended, timeout)
            if self._lines:
                return self._lines[0]
            return "" if self._ended else None

    def text(self, start: int = 0) -> str:
        """Everything read so far, from line `start` on."""
        with self._changed:
            return "".join(self._lines[start:])

    def close(self, timeout: float) -> None:
        """Wait for the end of the output (the process has exited), then close the stream."""
        self.join(timeout)
        # A stream closed under a reader still reading would make it fail; a reader that did not finish is a daemon
        # and ends with this process.
        if not self.is_alive():
            self._stream.close()


class RunningSimulator:
    """A simulator process and what it announced.

    Attributes:
        api: The API.
        process: The process.
        announcement: Its start-up line.
    """

    def __init__(
        self, api: str, process: "subprocess.Popen[str]", announcement: Announcement, stdout: _Output, stderr: _Output
    ) -> None:
        """Keep a started simulator (use `launch`).

        Args:
            api: The API.
            process: The process.
            announcement: Its start-up line.
            stdout: Its standard output, being read.
            stderr: Its standard error, being read.
        """
        self.api = api
        self.process = process
        self.announcement = announcement
        self._stdout = stdout
        self._stderr = stderr

    @property
    def pid(self) -> int:
        """The process id (to read its memory, say)."""
        return self.process.pid

    @property
    def stdout(self) -> str:
        """What it has written on stdout after its start-up line (nothing, if it keeps its word)."""
        return self._stdout.text(start=1)

    @property
    def stderr(self) -> str:
        """What it has written on stderr so far."""
        return self._stderr.text()

    def stop(self, stop_signal: signal.Signals = signal.SIGTERM, *, grace: float = STOP_SECONDS) -> int:
        """Stop it, if it still runs, and wait for it (stopping twice is stopping once).

        Args:
            stop_signal: What to send first: SIGTERM and SIGINT stop it gracefully, SIGKILL at once (a stalled request
                would hold a graceful stop for the whole stall).
            grace: How long to wait before SIGKILL.

        Returns:
            Its exit code (0 after a graceful stop).
        """
        if self.process.poll() is None:
            self.process.send_signal(stop_signal)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stdout.close(grace)
        self._stderr.close(grace)
        return self.process.returncode

    def __enter__(self) -> "RunningSimulator":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def launch(
    api: str,
    *options: str,
    root: Path = REPOSITORY,
    strict: bool = False,
    port: int = 0,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = START_UP_SECONDS,
) -> RunningSimulator:
    """Start `python -m mock_server <api>` on a loopback port and wait for its start-up line.

    Args:
        api: The API.
        *options: More options of its command line (e.g. "--line-interval", "0.05").
        root: The repository whose simulator runs: the process's working directory and PYTHONPATH.
        strict: Start it with --strict.
        port: The port; 0 (the default) picks a free one.
        env: Environment variables to set on top of this process's.
        prefix: A command to run it under (e.g. `taskset -c 0`).
        timeout: How long to wait for the start-up line, in seconds.

    Returns:
        The running simulator.

    Raises:
        LaunchError: It did not start.
    """
    command = [*prefix, sys.executable, "-m", "mock_server", api, "--port", str(port)]
    command += ["--strict"] if strict else []
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(root)}
    # This interpreter with the project's own module and the caller's options, not untrusted input.
    process = subprocess.Popen(  # noqa: S603
        [*command, *options],
        cwd=root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdout is not None
    assert process.stderr is not None
    stdout, stderr = _Output(process.stdout), _Output(process.stderr)
    line = stdout.first_line(timeout)
    try:
        if line is None:
            raise ValueError(f"no start-up line within {timeout:g} s")
        if not line:
            raise ValueError("it exited")
        announcement = Announcement.from_json(line)
    except ValueError as error:
        try:
            # A process whose output ended is exiting: its own exit code tells why. Any other is stopped here.
            process.wait(timeout=STOP_SECONDS if line == "" else 0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stdout.close(STOP_SECONDS)
        stderr.close(STOP_SECONDS)
        raise LaunchError(
            api, str(error), returncode=process.returncode, stdout=stdout.text(), stderr=stderr.text()
        ) from None
    return RunningSimulator(api, process, announcement, stdout, stderr)
