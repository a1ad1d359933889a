"""Newline-delimited JSON responses (the Connect tail): the lint rule that keeps them generatable, and what the
generated function makes of such a body."""

import httpx
import respx
import yaml
from generated_client.connect import AuthenticatedClient
from generated_client.connect.api.jobs import job_tail_log

from generator.lint import lint
from generator.registry import load_apis

CONNECT = load_apis()["connect"]
TAIL = "/v1/content/{guid}/jobs/{key}/tail"


def test_a_sequential_json_response_must_be_an_array_of_its_lines() -> None:
    document = yaml.safe_load(CONNECT.spec.read_text())
    assert lint(document) == []
    content = document["paths"][TAIL]["get"]["responses"]["200"]["content"]
    content["application/x-ndjson"]["schema"] = {"$ref": "#/components/schemas/LogEntry"}

    assert lint(document) == [
        f"GET {TAIL} 200 (application/x-ndjson): the schema must be an array, the stream read as the list of its lines"
    ]


def test_the_generated_function_parses_every_line_and_a_bad_line_gives_no_model() -> None:
    good = b'{"source":"stdout","timestamp":"2025-01-14T09:02:13Z","data":"a"}\n\n{"source":"stderr",'
    good += b'"timestamp":"2025-01-14T09:02:14.107442281Z","data":"b"}'
    with respx.mock(base_url="https://connect.test/__api__") as router:
        route = router.get("/v1/content/g/jobs/k/tail")
        client = AuthenticatedClient(base_url="https://connect.test/__api__", token="k", prefix="Key")
        route.mock(return_value=httpx.Response(200, content=good))
        entries = job_tail_log.sync("g", "k", client=client)
        route.mock(return_value=httpx.Response(200, content=good + b"\nnot json\n"))
        broken = job_tail_log.sync_detailed("g", "k", client=client)

    assert isinstance(entries, list)
    assert [entry.data for entry in entries] == ["a", "b"]
    assert broken.status_code == 200
    assert broken.parsed is None
