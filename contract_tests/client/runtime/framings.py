"""The framings a JSON sequence may come in (Connect's tail: reference §6.1 leaves it open), one body per case, for
every reader's tests: the generated client's (contract_tests/client/runtime/, contract_tests/client/connect/) and the
conformance suite's (contract_tests/test_streams.py). Each case frames the same three log entries.
"""

import json
from dataclasses import dataclass
from typing import Any

from generated_client.connect._json_sequence import CONCATENATED, JSON_SEQ, NDJSON, SSE


def entry(number: int, source: str = "stdout") -> dict[str, str]:
    """A `LogEntry` whose data holds what a framing could trip on: quotes, a backslash, braces, brackets, a newline
    escape, a colon and non-ASCII text."""
    data = f'line {number}: "quoted" \\ {{braces}} [brackets] data: x\n Zürich €'
    return {"source": source, "timestamp": f"2025-01-14T09:02:{number:02d}.519873004Z", "data": data}


ENTRIES = [entry(1, "stderr"), entry(2), entry(3)]


def _json(value: Any, **options: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, **options).encode()


@dataclass(frozen=True)
class Framed:
    """One body of `ENTRIES`.

    Attributes:
        name: The case's test id.
        content_type: The Content-Type it comes with (None: none).
        body: The bytes.
        framing: The framing every reader must report.
    """

    name: str
    content_type: str | None
    body: bytes
    framing: str


_LINES = [_json(value) for value in ENTRIES]
_SSE_EVENTS = [
    b": keep-alive\n\n",
    b"event: log\nid: 1\nretry: 3000\ndata: " + _LINES[0] + b"\n\n",
    b":\n\n",
    # One entry over three data lines: joined with newlines, they are the entry's JSON again.
    b"data: " + _json(ENTRIES[1], separators=(",\n", ": ")).replace(b"\n", b"\ndata: ") + b"\n\n",
    b"id: 3\n\n: still here\ndata:" + _LINES[2] + b"\n\n",
]

CASES = [
    Framed("ndjson", "application/x-ndjson", b"".join(line + b"\n" for line in _LINES), NDJSON),
    # The simulator's framing and label.
    Framed("ndjson-as-json", "application/json", b"".join(line + b"\n" for line in _LINES), NDJSON),
    Framed(
        "jsonl-crlf-blank-lines-no-final-newline",
        "application/jsonl",
        b"\r\n" + _LINES[0] + b"\r\n\r\n   \r\n" + _LINES[1] + b"\r\n" + _LINES[2],
        NDJSON,
    ),
    Framed("ndjson-without-content-type", None, b"".join(line + b"\n" for line in _LINES), NDJSON),
    Framed("concatenated", "application/json", b"".join(_LINES), CONCATENATED),
    Framed("concatenated-with-whitespace", "application/json", b" \t".join(_LINES) + b"  ", CONCATENATED),
    Framed(
        "concatenated-pretty-printed",
        "application/json",
        b"\n".join(_json(value, indent=2) for value in ENTRIES) + b"\n",
        CONCATENATED,
    ),
    Framed("json-seq", "application/json-seq", b"".join(b"\x1e" + line + b"\n" for line in _LINES), JSON_SEQ),
    Framed("sse", "text/event-stream", b"".join(_SSE_EVENTS), SSE),
    Framed("sse-crlf", "text/event-stream; charset=utf-8", b"".join(_SSE_EVENTS).replace(b"\n", b"\r\n"), SSE),
    Framed("sse-labelled-json", "application/json", b"".join(_SSE_EVENTS[1:]), SSE),
]
