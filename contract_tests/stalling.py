"""A server of one HTTP connection that stops in the middle of its answer: what the stream tests of the suite
(contract_tests/test_streams.py) and of a client (contract_tests/client/<api>/test_streams.py) read from when only a
real connection shows what they test (a read timeout, a stream cut short, a client that goes away)."""

import socket
import threading


def chunked(content_type: str | None, sent: bytes) -> bytes:
    """A 200 whose chunked body is `sent` in one chunk, and then nothing: no last chunk, so it never ends."""
    label = b"" if content_type is None else f"Content-Type: {content_type}\r\n".encode()
    return b"HTTP/1.1 200 OK\r\n" + label + b"Transfer-Encoding: chunked\r\n\r\n" + chunk(sent)


def chunk(data: bytes) -> bytes:
    """`data` as one chunk of a chunked body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


class StallingServer:
    """Accepts one connection on a free loopback port, reads its request, sends `answer` and then nothing, keeping the
    connection open until the client goes away (`client_went_away` is then set) or `wait` seconds pass."""

    def __init__(self, answer: bytes, *, wait: float) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.answer = answer
        self.wait = wait
        self.client_went_away = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        """Where it listens, e.g. "http://127.0.0.1:41234"."""
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(self.answer)
            connection.settimeout(self.wait)
            try:
                if connection.recv(1) == b"":
                    self.client_went_away.set()
            except OSError:
                pass

    def close(self) -> None:
        """Stop listening, and wait (up to `wait` seconds) for the connection to end."""
        self.listener.close()
        self.thread.join(self.wait)
