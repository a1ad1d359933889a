"""Long-lived responses in the conformance suite: nothing may wait for a stream that does not end.

- `BoundedSession`: the `requests` session schemathesis sends every case with. It reads each body for at most
  `deadline` seconds in total (and waits at most that long for any single read), then closes the connection and
  keeps what arrived, cut after the last complete line, marked the way schemathesis marks an event stream it cut
  short (`Response.stream_cut_short`), so a check can ask whether the server ended the stream itself.
- `bounded_request`: the same for the extra requests the suite's own checks send (httpx).
- Sequential JSON (`application/x-ndjson`, `application/jsonl`) is deserialized for schemathesis as the list of its
  lines' values, which is how a document describes such a stream (contract_tests/documents.py, `decode_body`).
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx
import requests
import schemathesis
from schemathesis.core.transport import STREAM_CUT_SHORT_ATTRIBUTE
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from contract_tests.documents import SEQUENTIAL_JSON_TYPES, decode_body

READ_SIZE = 64 * 1024


def _complete_lines(content: bytes) -> bytes:
    end = content.rfind(b"\n")
    return content[: end + 1] if end >= 0 else b""


class BoundedSession(requests.Session):
    """A session whose responses are read to their end or for `deadline` seconds, whichever comes first."""

    def __init__(self, deadline: float) -> None:
        """Start a session with no default headers (schemathesis would send them as explicit ones).

        Args:
            deadline: The longest time, in seconds, to read one response body.
        """
        super().__init__()
        self.headers.clear()
        self.deadline = deadline

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send a request and read its body within the deadline (see the module docstring)."""
        timeout = kwargs.get("timeout")
        connect = timeout[0] if isinstance(timeout, tuple) else timeout
        kwargs["timeout"] = (connect, self.deadline)
        response = super().send(request, **kwargs)
        if not kwargs.get("stream"):
            return response
        started = time.monotonic()
        body = bytearray()
        cut_short = False
        try:
            while chunk := response.raw.read1(READ_SIZE, decode_content=True):
                body += chunk
                if time.monotonic() - started >= self.deadline:
                    cut_short = True
                    break
        except (ReadTimeoutError, ProtocolError) as error:
            if isinstance(error, ProtocolError) and not _timed_out(error):
                response.close()
                raise requests.exceptions.ChunkedEncodingError(error) from error
            cut_short = True
        if cut_short:
            body = bytearray(_complete_lines(bytes(body)))
            setattr(response, STREAM_CUT_SHORT_ATTRIBUTE, True)
            # The rest of the stream is still coming: the connection must not go back to the pool with it, or the
            # next request on it reads a chunk of this body as its status line (`BadStatusLine('5a\r\n')`).
            response.raw.close()
        response._content = bytes(body)
        response._content_consumed = True
        response.close()
        return response


def _timed_out(error: ProtocolError) -> bool:
    return any(isinstance(argument, ReadTimeoutError) for argument in error.args)


@dataclass(frozen=True)
class BoundedResponse:
    """What `bounded_request` read.

    Attributes:
        status_code: The HTTP status.
        headers: The response headers.
        content: The body, or its complete lines when it was cut short.
        cut_short: Whether the deadline passed before the server ended the body.
    """

    status_code: int
    headers: httpx.Headers
    content: bytes
    cut_short: bool

    def body(self) -> Any:
        """The body as the document's schema sees it (`documents.decode_body`)."""
        return decode_body(self.headers.get("content-type"), self.content)


def bounded_request(method: str, url: str | httpx.URL, headers: dict[str, str], deadline: float) -> BoundedResponse:
    """Send a request and read its body for at most `deadline` seconds.

    Args:
        method: The HTTP method.
        url: The full URL.
        headers: The request headers.
        deadline: The longest time to read the body, in seconds (also the longest wait for any single read).

    Returns:
        What arrived.
    """
    started = time.monotonic()
    body = bytearray()
    cut_short = False
    with (
        httpx.Client(timeout=httpx.Timeout(deadline)) as client,
        client.stream(method, url, headers=headers) as response,
    ):
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() - started >= deadline:
                    cut_short = True
                    break
        except httpx.ReadTimeout:
            cut_short = True
        content = _complete_lines(bytes(body)) if cut_short else bytes(body)
        return BoundedResponse(response.status_code, response.headers, content, cut_short)


@schemathesis.deserializer(*SEQUENTIAL_JSON_TYPES)
def sequential_json(ctx: Any, response: Any) -> Any:
    """A newline-delimited JSON body as the list of its lines' values (what the document's schema describes)."""
    return decode_body(response.headers.get("content-type", [""])[0], response.content)
