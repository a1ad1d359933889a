"""Throughput of one request, a GET of one job, measured with wrk (C, epoll: far faster than any server here, so the
figures are the server's): the simulator, with request validation on, against Prism serving the same document.

Server and wrk are pinned to different CPUs (`bench.processes.pinning`) so that they do not take turns on one core;
each server gets a warm-up run, then the servers are measured in turn, several rounds, each keeping its best. Only
2xx answers count as served: wrk's "Non-2xx" count is reported, and a server that answers errors fast is not fast.
"""

import dataclasses
import re
import shutil
import subprocess

from bench.apis import benches
from bench.load import credentials
from bench.processes import Server, pinned, pinning, start_prism
from mock_server.launcher import RunningSimulator, launch

SERVER_CPU = 0
WRK_CPU = 1
CONNECTIONS = 16
WARM_UP_SECONDS = 2
ROUNDS = 3
_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


@dataclasses.dataclass(frozen=True)
class Throughput:
    """What one wrk run measured."""

    server: str
    requests: int
    requests_per_second: float
    p50: float
    p99: float
    non_2xx: int
    socket_errors: int

    @property
    def served_per_second(self) -> float:
        """2xx answers per second."""
        if not self.requests:
            return 0.0
        return self.requests_per_second * (self.requests - self.non_2xx) / self.requests


def wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int = CONNECTIONS) -> Throughput:
    """Run wrk against a URL.

    Args:
        url: The URL to GET.
        headers: Request headers (credentials).
        seconds: How long.
        connections: How many connections, kept open.

    Returns:
        The figures.

    Raises:
        RuntimeError: wrk is not installed, failed, or printed something it does not normally print.
    """
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: `apt-get install wrk` (make bench-servers does it)")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    # wrk with fixed arguments and a loopback URL, not untrusted input.
    finished = subprocess.run(pinned(command, WRK_CPU), capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed: {finished.stderr or finished.stdout}")
    return parse_wrk(url, finished.stdout)


def parse_wrk(server: str, output: str) -> Throughput:
    """Read wrk's report (`--latency`).

    Args:
        server: What was measured.
        output: wrk's standard output.

    Returns:
        The figures.

    Raises:
        RuntimeError: A figure is missing.
    """

    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output)
        if match is None:
            raise RuntimeError(f"wrk's report has no {pattern!r}:\n{output}")
        return match

    def seconds(match: re.Match[str]) -> float:
        return float(match.group(1)) * _UNITS[match.group(2)]

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Throughput(
        server=server,
        requests=int(find(r"(\d+) requests in")[1]),
        requests_per_second=float(find(r"Requests/sec:\s+([\d.]+)")[1]),
        p50=seconds(find(r"50%\s+([\d.]+)(us|ms|s|m)\b")),
        p99=seconds(find(r"99%\s+([\d.]+)(us|ms|s|m)\b")),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(count) for count in errors.groups()) if errors else 0,
    )


def compare_with_prism(api: str, *, seconds: int, prism_port: int, rounds: int = ROUNDS) -> list[Throughput]:
    """Measure the simulator (request validation on, then with --strict as well) and Prism on one API, each on a GET
    of the simulator's first demo job (`ApiBench.one_job`).

    All three servers run at once, pinned to the same CPU, and are measured in turn, `rounds` times; each keeps its
    best round. Whatever else runs on the machine then weighs on all of them alike, and the best round is the one
    least disturbed by it.

    Args:
        api: The API's name in the registry.
        seconds: How long each measured run lasts.
        prism_port: A free loopback port for Prism.
        rounds: How many measured runs each server gets.

    Returns:
        The simulator's figures, the simulator's with --strict, Prism's.
    """
    simulators: list[RunningSimulator] = []
    prism: Server | None = None
    try:
        simulators.append(launch(api, prefix=pinning(SERVER_CPU)))
        simulators.append(launch(api, strict=True, prefix=pinning(SERVER_CPU)))
        prism = start_prism(api, prism_port, cpu=SERVER_CPU)
        announcement = simulators[0].announcement
        one_job = benches()[api].one_job
        headers = credentials(announcement)
        urls = [
            announcement.base_url + one_job(announcement),
            simulators[1].announcement.base_url + one_job(simulators[1].announcement),
            prism.origin + one_job(announcement),
        ]
        labels = ["simulator", "simulator --strict", "Prism 5.14.2"]
        for url in urls:
            wrk(url, headers, seconds=WARM_UP_SECONDS)
        best: list[Throughput | None] = [None] * len(urls)
        for _ in range(rounds):
            for index, url in enumerate(urls):
                found = dataclasses.replace(wrk(url, headers, seconds=seconds), server=labels[index])
                current = best[index]
                if current is None or found.served_per_second > current.served_per_second:
                    best[index] = found
        return [found for found in best if found is not None]
    finally:
        for simulator in simulators:
            simulator.stop()
        if prism is not None:
            prism.stop()
