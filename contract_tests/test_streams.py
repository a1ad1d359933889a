"""The suite's bounded reading of long-lived responses (contract_tests/server/streams.py), against a server that
streams a chunked body and never ends it: the read stops at the deadline with the complete lines, and the connection
of a stream cut short never serves another request (its unread rest would be taken for the next status line)."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from schemathesis.core.transport import STREAM_CUT_SHORT_ATTRIBUTE

from contract_tests.server.streams import BoundedSession

DEADLINE = 1.0
# Each line comes within the per-read timeout (the deadline), and the second one after the deadline has passed: the
# read stops there without a timeout, with nothing unread on the socket and the body not finished.
LINE_GAP = 0.6
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
LINE = b'{"data":"one"}\n'


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


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
                    connection.sendall(_chunk(LINE))

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
