"""The servers the benchmarks measure, each in a process of its own on a loopback port: a simulator (started and
stopped with `mock_server.launcher`, described by its start-up line) or Prism serving the same document (`Server`).

Each can be pinned to one CPU (`taskset`: `pinning`), so that a server and the load tool do not take turns on the
same core, and its resident memory is read from /proc (`rss_bytes`). Every process is stopped by its own handle, never
by name.
"""

import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
PRISM = ROOT / "bench" / "prism" / "node_modules" / ".bin" / "prism"
START_UP_SECONDS = 60.0


def pinning(cpu: int | None) -> list[str]:
    """What to run a command under so that it runs on one CPU: `taskset` (util-linux), when asked and it is there.

    Args:
        cpu: The CPU, or None.

    Returns:
        The prefix of the command (empty when it is not pinned).
    """
    if cpu is None or shutil.which("taskset") is None or cpu >= (os.cpu_count() or 1):
        return []
    return ["taskset", "-c", str(cpu)]


def pinned(command: list[str], cpu: int | None) -> list[str]:
    """The command, run on one CPU when asked and `taskset` is there; as it is otherwise (`pinning`).

    Args:
        command: The command.
        cpu: The CPU to pin it to, or None.

    Returns:
        The command to run.
    """
    return [*pinning(cpu), *command]


def rss_bytes(pid: int) -> int:
    """A process's resident set size.

    Args:
        pid: The process.

    Returns:
        Its VmRSS, in bytes (0 when /proc does not say).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@dataclass
class Server:
    """A Prism process: what it serves, where it listens, and its output so far."""

    name: str
    process: "subprocess.Popen[str]"
    origin: str
    stderr_lines: list[str] = field(default_factory=list)
    drain: threading.Thread | None = None

    def stop(self) -> str:
        """Stop it (SIGTERM, then SIGKILL after 10 s) and give back what it wrote on stderr.

        Returns:
            Its standard error output.
        """
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.drain is not None:
            self.drain.join(10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return "".join(self.stderr_lines)


def _drain(stream: IO[str], lines: list[str]) -> threading.Thread:
    """Collect a stream's lines in a thread (so that a chatty server never blocks on a full pipe)."""

    def collect() -> None:
        for line in stream:
            lines.append(line)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    return thread


def start_prism(api: str, port: int, *, cpu: int | None = None) -> Server:
    """Start Prism serving `openapi/<api>.yaml` (validating requests, `--errors`, no request logging) and wait until
    it answers.

    Args:
        api: The document.
        port: The port to listen on.
        cpu: The CPU to pin it to, or None.

    Returns:
        The running server; paths are served without the document's base path.

    Raises:
        RuntimeError: Prism is not installed (`make bench-servers` installs it) or did not start.
    """
    if not PRISM.exists():
        raise RuntimeError(f"Prism is not installed at {PRISM}: run `npm ci --prefix bench/prism`")
    document = ROOT / "openapi" / f"{api}.yaml"
    command = pinned(
        [str(PRISM), "mock", str(document), "--host", "127.0.0.1", "--port", str(port), "--errors", "-v", "silent"], cpu
    )
    # The command is the project's own Prism with fixed arguments, not untrusted input.
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # noqa: S603
    assert process.stderr is not None
    stderr_lines: list[str] = []
    drain = _drain(process.stderr, stderr_lines)
    server = Server(f"prism {api}", process, f"http://127.0.0.1:{port}", stderr_lines=stderr_lines, drain=drain)
    deadline = time.monotonic() + START_UP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            httpx.get(server.origin, timeout=1.0)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"Prism did not start for {api}: {server.stop()}")
