"""The README's usage examples run as shown, in order, against the simulators (each on a free port instead of the
one the README names: 8787 for the slurper, 3939 for Connect, 8789 for RekoSearch)."""

import contextlib
import io
import re

import httpx

from contract_tests.documents import ROOT
from generated_client.connect import Client as ConnectClient
from generated_client.rekosearch import Client as RekoSearchClient
from generated_client.slurper import Client as SlurperClient
from mock_server.launcher import RunningSimulator, launch

# The README's address of each simulator, and how the test starts it. Connect's clock runs fast so that the killed
# job of its example is finalized (and its tail ends) within a moment instead of five seconds.
SIMULATORS = {
    "slurper": ("127.0.0.1:8787", ()),
    "connect": ("127.0.0.1:3939", ("--line-interval", "0.1", "--finalize-delay", "0.5")),
    "rekosearch": ("127.0.0.1:8789", ()),
}
CLIENTS = (SlurperClient, ConnectClient, RekoSearchClient)


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_examples_run_against_the_simulators() -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text())
    assert len(blocks) >= 10
    mocks: dict[str, RunningSimulator] = {}
    namespace: dict[str, object] = {"__name__": "readme"}
    output = io.StringIO()
    try:
        for api, (_, arguments) in SIMULATORS.items():
            mocks[api] = launch(api, *arguments, strict=True)
        with contextlib.redirect_stdout(output):
            for block in blocks:
                for api, (address, _) in SIMULATORS.items():
                    block = block.replace(address, httpx.URL(mocks[api].announcement.base_url).netloc.decode())
                exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    finally:
        # The examples leave their clients open, as a script would; close their connections before checking.
        for value in namespace.values():
            if isinstance(value, CLIENTS):
                value.get_httpx_client().close()
        for mock in mocks.values():
            mock.stop()

    printed = output.getvalue()
    # slurper
    assert "mock-global-api-key" not in printed
    assert "wJalrXUtnFEMI" not in printed
    assert "secret_access_key='<redacted>'" in printed
    assert re.search(r"^completed \d+ / \d+$", printed, flags=re.MULTILINE)  # the watched job ran to its end
    assert "running" in printed
    assert printed.count("Job not found") == 2  # raised with raise_on_error, returned without
    assert "5 0 True" in printed
    # Connect: a job followed, killed (once), its tail ended, its file saved, an old server recognised
    assert "Order to kill job registered 40793914" in printed
    assert "163 The specified job cannot be terminated because it is not active" in printed
    assert re.search(r"\n[1-9][0-9]* log entries in all\n", printed)
    assert "rstudio-connect.52389.0.127015.run_app.IuzpAzG329zvnt9s.log" in printed
    assert "dashboard.log" in printed
    assert "endpoint not available on this server" in printed
    assert "waited: FINALIZED" in printed
    assert "mock-connect-owner-key" not in printed
    # RekoSearch: dates read as UTC, links, another user's job not found
    assert re.search(r"\n1 failed_credits_restored [0-9-]{10}T[0-9:.]+\+00:00\n", printed)
    assert "The job does not exist - job-id: number" in printed
    assert "mock-rekosearch-token" not in printed
