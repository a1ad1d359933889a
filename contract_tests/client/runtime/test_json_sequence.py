"""Responses that are sequences of JSON values (the Connect tail, `x-json-sequence: true`): the reader the generated
code and `log_tail` share (generator/runtime/_json_sequence.py), and what the generated function makes of such a body
(generator/runtime/_responses.py), in every framing (framings.py). The lint rule that keeps such a response
generatable is tested with the generator (generator/tests/test_pipeline.py)."""

import httpx
import pytest
import respx

from contract_tests.client.runtime.framings import CASES, ENTRIES, Framed
from generated_client.connect import AuthenticatedClient
from generated_client.connect._json_sequence import (
    CONCATENATED,
    NDJSON,
    SSE,
    JSONSequenceError,
    JSONSequenceReader,
    read_json_sequence,
)
from generated_client.connect.api.jobs import job_tail_log


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_framing_is_read_whole_and_split_at_every_byte(case: Framed) -> None:
    assert read_json_sequence(case.body, case.content_type) == (ENTRIES, case.framing)
    for split in range(len(case.body) + 1):
        reader = JSONSequenceReader(case.content_type, max_value_bytes=1024)
        values = [*reader.feed(case.body[:split]), *reader.feed(case.body[split:]), *reader.finish()]
        assert (values, reader.framing) == (ENTRIES, case.framing), f"split at byte {split}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_only_complete_values_are_counted_as_read(case: Framed) -> None:
    # `complete` is where the suite cuts a stream it stops reading: the values before it, and nothing of the next.
    for split in range(len(case.body) + 1):
        reader = JSONSequenceReader(case.content_type)
        read = reader.feed(case.body[:split])
        kept, _ = read_json_sequence(case.body[: reader.complete], case.content_type)
        assert kept == read, f"split at byte {split}"


@pytest.mark.parametrize(
    ("body", "content_type", "number", "reason"),
    [
        (b'{"a": 1}\nnot json\n', None, 2, "not JSON"),
        (b'{"a": 1}\n{"a": ', None, 2, "not JSON"),
        (b'{"a": 1}]', None, 2, "not JSON"),
        (b'data: {"a": 1}\n\ndata: {"a"\n\n', "text/event-stream", 2, "not JSON"),
        (b"\x1e{}\n\x1e{,}\n", "application/json-seq", 2, "not JSON"),
    ],
)
def test_a_value_that_is_not_json_is_named(body: bytes, content_type: str | None, number: int, reason: str) -> None:
    with pytest.raises(JSONSequenceError, match=reason) as raised:
        read_json_sequence(body, content_type)
    assert raised.value.number == number


def test_server_sent_events_are_told_from_their_first_line_or_their_label() -> None:
    assert read_json_sequence(b"\n\nevent: log\ndata: 1\n\n") == ([1], SSE)
    assert read_json_sequence(b"retry: 10\n\n") == ([], SSE)
    assert read_json_sequence(b"data:", "text/event-stream") == ([], SSE)
    assert read_json_sequence(b"custom: x\ndata: 2\n\n", "text/event-stream") == ([2], SSE)
    assert read_json_sequence(b'{"a": 1}\n', "text/event-stream") == ([{"a": 1}], NDJSON)
    assert read_json_sequence(b"true false null 1") == ([True, False, None, 1], CONCATENATED)
    assert read_json_sequence(b"") == ([], None)
    with pytest.raises(JSONSequenceError):
        read_json_sequence(b"custom: x\n")


def test_the_generated_function_reads_the_sequence_and_a_bad_value_gives_no_model() -> None:
    good = b'{"source":"stdout","timestamp":"2025-01-14T09:02:13Z","data":"a"}\n\n{"source":"stderr",'
    good += b'"timestamp":"2025-01-14T09:02:14.107442281Z","data":"b"}'
    with respx.mock(base_url="https://connect.test/__api__") as router:
        route = router.get("/v1/content/g/jobs/k/tail")
        client = AuthenticatedClient(base_url="https://connect.test/__api__", token="k", prefix="Key")
        route.mock(return_value=httpx.Response(200, content=good, headers={"Content-Type": "application/json"}))
        entries = job_tail_log.sync("g", "k", client=client)
        route.mock(return_value=httpx.Response(200, content=good + b"\nnot json\n"))
        broken = job_tail_log.sync_detailed("g", "k", client=client)

    assert isinstance(entries, list)
    assert [entry.data for entry in entries] == ["a", "b"]
    assert broken.status_code == 200
    assert broken.parsed is None
