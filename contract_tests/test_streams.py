"""The suite's reading of long-lived responses (contract_tests/server/streams.py) and of JSON sequences in every
framing (contract_tests/client/runtime/framings.py, the cases the client's reader is tested on too).

Against a server that streams a chunked body and never ends it, the read stops at the deadline with the complete
values (or events, or lines), and the connection of a stream cut short never serves another request (its unread rest
would be taken for the next status line). The tail's body is read in every framing by `decode_body` and by the
deserializer schemathesis uses, and `tail_media_type` accepts the media type of every framing, fails any other, and
puts the framing it saw into the summary."""

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.core.deserialization import DeserializationContext
from schemathesis.core.transport import STREAM_CUT_SHORT_ATTRIBUTE, Response

from contract_tests.client.runtime.framings import CASES, ENTRIES, Framed
from contract_tests.documents import OPENAPI, decode_body
from contract_tests.server.connect import checks
from contract_tests.server.report import Recorder
from contract_tests.server.streams import BoundedSession, complete_part, json_or_json_sequence
from contract_tests.server.targets import Credentials
from contract_tests.stalling import StallingServer, chunk, chunked
from generator.runtime._json_sequence import JSONSequenceReader

DEADLINE = 1.0
# Each line comes within the per-read timeout (the deadline), and the second one after the deadline has passed: the
# read stops there without a timeout, with nothing unread on the socket and the body not finished.
LINE_GAP = 0.6
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
LINE = b'{"data":"one"}\n'
TAIL = "/v1/content/{guid}/jobs/{key}/tail"


class EndlessStreams:
    """Answers every request with two lines, `LINE_GAP` apart, then sends nothing more and keeps the connection open;
    counts the requests that come on each connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.requests_by_connection: list[int] = []
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/tail"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self._open.append(connection)
            self.requests_by_connection.append(0)
            threading.Thread(target=self._serve, args=(connection, len(self._open) - 1), daemon=True).start()

    def _serve(self, connection: socket.socket, number: int) -> None:
        received = b""
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            received += data
            while b"\r\n\r\n" in received:
                _, received = received.split(b"\r\n\r\n", 1)
                self.requests_by_connection[number] += 1
                connection.sendall(HEAD)
                for _ in range(2):
                    time.sleep(LINE_GAP)
                    connection.sendall(chunk(LINE))

    def close(self) -> None:
        self.listener.close()
        for connection in self._open:
            connection.close()


@pytest.fixture
def server() -> Iterator[EndlessStreams]:
    streams = EndlessStreams()
    yield streams
    streams.close()


def test_a_stream_cut_short_keeps_its_complete_lines_and_its_connection_is_not_reused(server: EndlessStreams) -> None:
    with BoundedSession(DEADLINE) as session:
        first = session.get(server.url, stream=True)
        second = session.get(server.url, stream=True)

    for response in (first, second):
        assert response.status_code == 200
        assert response.content == LINE * 2
        assert getattr(response, STREAM_CUT_SHORT_ATTRIBUTE, False) is True
    assert server.requests_by_connection == [1, 1]


def test_a_body_that_ends_is_read_whole_and_not_marked() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:

        def answer_once() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: close\r\n\r\n" + LINE)

        threading.Thread(target=answer_once, daemon=True).start()
        with BoundedSession(DEADLINE) as session:
            response = session.get(f"http://127.0.0.1:{listener.getsockname()[1]}/", stream=True)

    assert response.content == LINE
    assert not getattr(response, STREAM_CUT_SHORT_ATTRIBUTE, False)
    assert isinstance(response, requests.Response)


def _last_entry_cut(case: Framed) -> int:
    """A position in the middle of the last entry's JSON."""
    return case.body.rindex(b"Z\xc3\xbcrich")


@pytest.mark.parametrize(
    "case", [case for case in CASES if case.name in ("concatenated", "json-seq", "sse")], ids=lambda case: case.name
)
def test_a_stream_cut_short_keeps_its_complete_values_in_any_framing(case: Framed) -> None:
    server = StallingServer(chunked(case.content_type, case.body[: _last_entry_cut(case)]), wait=5.0)
    try:
        with BoundedSession(0.3) as session:
            response = session.get(f"{server.origin}/tail", stream=True)
    finally:
        server.close()

    assert getattr(response, STREAM_CUT_SHORT_ATTRIBUTE, False) is True
    assert decode_body(case.content_type, response.content, sequence=True) == ENTRIES[:2]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_complete_part_of_a_stream_is_what_a_reader_has_read(case: Framed) -> None:
    for split in range(len(case.body) + 1):
        reader = JSONSequenceReader(case.content_type)
        read = reader.feed(case.body[:split])
        kept = complete_part(case.body[:split], case.content_type)
        assert (decode_body(case.content_type, kept, sequence=True) or []) == read, f"split at byte {split}"


def test_the_complete_part_of_text_is_its_complete_lines() -> None:
    assert complete_part(b"first\nsecond\nthi", "text/plain; charset=utf-8") == b"first\nsecond\n"
    assert complete_part(b"<html>\n<body", "application/json") == b"<html>\n"


@pytest.fixture(scope="module")
def connect_schema() -> Any:
    return schemathesis.openapi.from_path(OPENAPI / "connect.yaml")


def _schemathesis_response(status: int, content_type: str | None, content: bytes) -> Response:
    headers = {} if content_type is None else {"content-type": [content_type]}
    request = requests.Request("GET", "http://connect.test/tail").prepare()
    return Response(status, headers, content, request, elapsed=0.0, verify=True)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_suite_reads_the_tail_in_every_framing(connect_schema: Any, case: Framed) -> None:
    tail = connect_schema["/v1/content/{guid}/jobs/{key}/tail"]["GET"]
    context = DeserializationContext(operation=tail, case=None)

    assert decode_body(case.content_type, case.body, sequence=True) == ENTRIES
    assert json_or_json_sequence(context, _schemathesis_response(200, case.content_type, case.body)) == ENTRIES


def test_other_json_is_one_value_and_sequential_media_types_are_sequences(connect_schema: Any) -> None:
    job = connect_schema["/v1/content/{guid}/jobs/{key}"]["GET"]
    context = DeserializationContext(operation=job, case=None)

    assert json_or_json_sequence(context, _schemathesis_response(200, "application/json", b'[{"a": 1}]')) == [{"a": 1}]
    assert json_or_json_sequence(context, _schemathesis_response(200, "application/x-ndjson", b"1\n2\n")) == [1, 2]
    with pytest.raises(ValueError, match="Extra data"):
        json_or_json_sequence(context, _schemathesis_response(200, "application/json", b"{} {}"))


@dataclass
class _Case:
    path: str = "/v1/content/{guid}/jobs/{key}/tail"
    method: str = "GET"
    operation: Any = None

    def __post_init__(self) -> None:
        # What the checks read of a schemathesis case: its operation's label and its document (the API's name).
        schema = type("Schema", (), {"location": "openapi/connect.yaml"})()
        self.operation = type("Operation", (), {"label": f"{self.method} {self.path}", "schema": schema})()


@pytest.fixture
def recorder() -> Recorder:
    # A recorder of its own, so that these made-up answers never reach a real run's summary.
    return Recorder()


def _tail_media_type(recorder: Recorder, status: int, content_type: str | None, content: bytes) -> None:
    connect_checks = checks.ConnectChecks(recorder, Credentials({}, {}), None, grace=1.0)
    connect_checks.tail_media_type(None, _schemathesis_response(status, content_type, content), _Case())


@pytest.mark.parametrize("case", [case for case in CASES if case.content_type is not None], ids=lambda case: case.name)
def test_the_tail_may_come_in_the_media_type_of_any_framing(recorder: Recorder, case: Framed) -> None:
    _tail_media_type(recorder, 200, case.content_type, case.body)
    _tail_media_type(recorder, 200, case.content_type, case.body)

    media_type = str(case.content_type).split(";")[0]
    assert recorder.observations[f"connect GET {TAIL}"] == [f"framing: {case.framing}; Content-Type: {media_type}"]


@pytest.mark.parametrize(
    ("status", "content_type", "content", "message"),
    [
        (200, "text/html", b"<html>login</html>", "not one of application/json, application/x-ndjson"),
        (200, None, CASES[0].body, "came as None"),
        (200, "application/json", b'{"a": 1}\n{"a": ', "no sequence of JSON values"),
        (200, "application/x-ndjson", b'{"source": "stdin"}\n', "breaks the document"),
        (404, "application/x-ndjson", b'{"code": 4}', "not one of application/json, text/plain"),
    ],
)
def test_any_other_tail_fails(
    recorder: Recorder, status: int, content_type: str | None, content: bytes, message: str
) -> None:
    with pytest.raises(AssertionError, match=message):
        _tail_media_type(recorder, status, content_type, content)


def test_only_the_tail_is_judged_by_its_own_media_type_check() -> None:
    assert [check.__name__ for check in checks.replaced_checks(_Case())] == ["content_type_conformance"]
    assert checks.replaced_checks(_Case(path="/v1/content/{guid}/jobs/{key}")) == []
