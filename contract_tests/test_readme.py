"""The README's usage examples run as shown, in order, against a simulator (on a free port instead of 8787)."""

import contextlib
import io
import re

import httpx

from contract_tests.documents import ROOT
from contract_tests.server.targets import EmbeddedMock
from generated_client.slurper import Client


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_examples_run_against_the_simulator() -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text())
    assert len(blocks) >= 5
    mock = EmbeddedMock("slurper", ROOT)
    try:
        address = httpx.URL(mock.description["base_url"]).netloc.decode()
        namespace: dict[str, object] = {"__name__": "readme"}
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            for block in blocks:
                exec(compile(block.replace("127.0.0.1:8787", address), "README.md", "exec"), namespace)  # noqa: S102
            # The examples leave their clients open, as a script would; close their connections before checking.
            for value in namespace.values():
                if isinstance(value, Client):
                    value.get_httpx_client().close()
    finally:
        mock.stop()

    printed = output.getvalue()
    assert "mock-global-api-key" not in printed
    assert "wJalrXUtnFEMI" not in printed
    assert "secret_access_key='<redacted>'" in printed
    assert re.search(r"^completed \d+ / \d+$", printed, flags=re.MULTILINE)  # the watched job ran to its end
    assert "running" in printed
    assert printed.count("Job not found") == 2  # raised with raise_on_error, returned without
    assert "5 0 True" in printed
