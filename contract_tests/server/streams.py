"""Long-lived responses in the conformance suite: nothing may wait for a stream that does not end.

- `BoundedSession`: the `requests` session schemathesis sends every case with. It reads each body for at most
  `deadline` seconds in total (and waits at most that long for any single read), then closes the connection and
  keeps what arrived, cut after the last complete JSON value or event (`complete_part`; after the last complete line
  for text), marked the way schemathesis marks an event stream it cut short (`Response.stream_cut_short`), so a
  check can ask whether the server ended the stream itself.
- `bounded_request`: the same for the extra requests the suite's own checks send (httpx).
- `json_or_json_sequence`: schemathesis' deserializer for JSON. A body whose media type object says
  `x-json-sequence: true` (Connect's tail), or that comes in a sequential media type, is read as the list of its
  values in any framing, which is how the document's schema describes it (contract_tests/documents.py,
  `decode_body`); any other JSON is parsed as schemathesis would.
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx
import requests
import schemathesis
from schemathesis.core.transport import STREAM_CUT_SHORT_ATTRIBUTE
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from contract_tests.documents import SEQUENTIAL_JSON_TYPES, decode_body, media_type_of
from generator.runtime._json_sequence import JSONSequenceError, JSONSequenceReader

READ_SIZE = 64 * 1024


def _complete_lines(content: bytes) -> bytes:
    end = content.rfind(b"\n")
    return content[: end + 1] if end >= 0 else b""


def complete_part(content: bytes, content_type: str | None) -> bytes:
    """The part of a stream cut short that holds only complete values (or events), in whatever framing it has; the
    complete lines of text, or of a body that is not JSON.

    Args:
        content: What arrived.
        content_type: The response's Content-Type, if any.

    Returns:
        `content` up to the end of its last complete value, event or line.
    """
    media_type = media_type_of(content_type)
    if media_type.startswith("text/") and media_type != "text/event-stream":
        return _complete_lines(content)
    reader = JSONSequenceReader(content_type)
    try:
        reader.feed(content)
    except JSONSequenceError:
        return _complete_lines(content)
    return content[: reader.complete]


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
            body = bytearray(complete_part(bytes(body), response.headers.get("content-type")))
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
        content: The body, or its complete part when it was cut short (`complete_part`).
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
        content = complete_part(bytes(body), response.headers.get("content-type")) if cut_short else bytes(body)
        return BoundedResponse(response.status_code, response.headers, content, cut_short)


def is_json_sequence(operation: Any, status_code: int) -> bool:
    """Whether the response `operation` documents for `status_code` is a sequence of JSON values: one of its media
    type objects says `x-json-sequence: true`.

    Args:
        operation: A schemathesis API operation.
        status_code: The response's status.

    Returns:
        True for a sequence of JSON values.
    """
    response = operation.responses.find_by_status_code(status_code)
    content = response.definition.get("content") if response is not None else None
    return isinstance(content, dict) and any(
        isinstance(media, dict) and media.get("x-json-sequence") is True for media in content.values()
    )


# Registered for `application/json` it stands in for schemathesis' own JSON deserializer, for every operation: the
# tail is declared `application/json`, and a stream of several entries is not one JSON value.
@schemathesis.deserializer("application/json", *SEQUENTIAL_JSON_TYPES)
def json_or_json_sequence(ctx: Any, response: Any) -> Any:
    """A JSON sequence as the list of its values, in any framing; any other JSON as one value."""
    content_type = response.headers.get("content-type", [""])[0]
    if is_json_sequence(ctx.operation, response.status_code) or media_type_of(content_type) in SEQUENTIAL_JSON_TYPES:
        return decode_body(content_type, response.content, sequence=True)
    return response.json()
