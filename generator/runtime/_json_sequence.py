"""Read a body that is a sequence of JSON values, whatever its framing, chunk by chunk or whole.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/). It imports
nothing from the package, so contract_tests/ reads response bodies with this same code.

A response whose media type object says `x-json-sequence: true` (Connect's tail) is a sequence of JSON values whose
framing no source documents (reference §6.1). The framing is told from the bytes, and reported:

- `NDJSON`: one value per line (`application/x-ndjson`, `application/jsonl`); blank lines and CRLF are fine.
- `CONCATENATED`: values one after another, with or without whitespace between them (pretty-printed ones too).
- `JSON_SEQ`: RFC 7464 JSON text sequences (`application/json-seq`), each value after an RS byte (0x1E).
- `SSE`: server-sent events (`text/event-stream`); an event's `data` lines, joined with a newline, are one value.
  Comments (`:` lines, keep-alives), the `event`, `id` and `retry` fields and events without data are ignored.

The first three are read alike, as JSON values with whitespace and RS bytes between them, so a server may mix them;
the framing reported is what the first values looked like. Events are told from their first line (a comment or a
`data:`, `event:`, `id:` or `retry:` field, none of which JSON can start with), or from a `text/event-stream`
Content-Type when the body does not start like JSON.
"""

import json
import re
from typing import Any

NDJSON = "newline-delimited JSON"
CONCATENATED = "concatenated JSON"
JSON_SEQ = "JSON text sequence (RFC 7464)"
SSE = "server-sent events"

# Every media type a server could label a JSON sequence with: Posit's `application/json`, and the ones of each framing.
MEDIA_TYPES = (
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
    "text/event-stream",
)

_VALUE_START = re.compile(rb"[^ \t\r\n\x1e]")
_STRUCTURE = re.compile(rb'[{}\[\]"]')
_STRING_END = re.compile(rb'["\\]')
# A top-level number or literal ends where whitespace, an RS or another value begins (or with the body).
_SCALAR_END = re.compile(rb'[ \t\r\n\x1e{\["]')
_LINE_END = re.compile(rb"\r\n|\r|\n")
_SSE_FIELDS = (b"data:", b"event:", b"id:", b"retry:")
_OPENERS = b"{["
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


class JSONSequenceError(ValueError):
    """A value of the sequence is not JSON, or is longer than the reader allows.

    Attributes:
        number: The value's number in the sequence, counting from 1.
        offset: Where the value (or its event) starts in the body, in bytes.
        reason: What is wrong with it.
    """

    def __init__(self, number: int, offset: int, reason: str) -> None:
        """Describe the value.

        Args:
            number: The value's number in the sequence, counting from 1.
            offset: Where it starts in the body, in bytes.
            reason: What is wrong with it.
        """
        super().__init__(f"value {number} of the JSON sequence (at byte {offset}): {reason}")
        self.number = number
        self.offset = offset
        self.reason = reason


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, without parameters, lower case ("" when there is none)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


class JSONSequenceReader:
    """Reads a JSON sequence from its chunks, holding at most one unfinished value (or event) in memory.

    Attributes:
        framing: `NDJSON`, `CONCATENATED`, `JSON_SEQ` or `SSE` once the bytes tell; None before.
        count: How many values have been read.
    """

    def __init__(self, content_type: str | None = None, max_value_bytes: int | None = None) -> None:
        """Start reading a body.

        Args:
            content_type: The response's Content-Type, if any; only `text/event-stream` changes anything.
            max_value_bytes: The longest value (or event) allowed; a longer one raises `JSONSequenceError` as soon as
                it is held, so an endless one is not buffered without end. None allows any length.
        """
        self.framing: str | None = None
        self.count = 0
        self._event_stream = media_type(content_type) == "text/event-stream"
        self._max = max_value_bytes
        self._buffer = bytearray()
        self._offset = 0  # where `_buffer` starts in the body
        self._start = 0  # where the unfinished value (or SSE line) starts in `_buffer`
        self._scan = 0  # how far the unfinished value has been scanned
        self._in_value = False
        self._scalar = False
        self._depth = 0
        self._in_string = False
        self._data: list[bytes] = []  # SSE: the data lines of the unfinished event
        self._data_bytes = 0
        self._complete = 0  # SSE: where the unfinished event starts in the body

    @property
    def complete(self) -> int:
        """How many bytes from the start of the body hold complete values (or events); what follows is unfinished."""
        return self._complete if self.framing == SSE else self._offset + self._start

    def feed(self, chunk: bytes) -> list[Any]:
        """Read the next chunk.

        Returns:
            The values it completed, in order.

        Raises:
            JSONSequenceError: A value is not JSON, or is longer than allowed.
        """
        self._buffer += chunk
        values = self._events(final=False) if self.framing == SSE else self._values(final=False)
        # Dropping what was read once per chunk, not once per value, keeps a big chunk of small values linear.
        del self._buffer[: self._start]
        self._offset += self._start
        self._scan -= self._start
        self._start = 0
        return values

    def finish(self) -> list[Any]:
        """Read the end of the body: a last value without anything after it still counts.

        Returns:
            The values still held.

        Raises:
            JSONSequenceError: The last value is unfinished or not JSON.
        """
        values = self._events(final=True) if self.framing == SSE else self._values(final=True)
        if self.framing is None and self.count:
            self.framing = CONCATENATED
        return values

    def _values(self, final: bool) -> list[Any]:
        buffer, values = self._buffer, []
        while True:
            if not self._in_value:
                match = _VALUE_START.search(buffer, self._scan)
                end = len(buffer) if match is None else match.start()
                if self.framing is None:
                    self._note_separator(buffer[self._scan : end])
                self._start = self._scan = end
                if end == len(buffer):
                    break
                if self.count == 0:
                    sse = self._starts_events(final)
                    if sse is None:
                        break
                    if sse:
                        self.framing, self._complete = SSE, self._offset + self._start
                        return self._events(final)
                elif self.framing is None:
                    self.framing = CONCATENATED
                self._begin(buffer[end])
            value_end = self._end_of_value(final)
            if value_end is None:
                break
            encoded = bytes(buffer[self._start : value_end])
            if self.count == 0 and self.framing is None and b"\n" in encoded:
                self.framing = CONCATENATED  # a pretty-printed value: its newlines do not delimit values
            values.append(self._parse(encoded, self._offset + self._start))
            self._start = self._scan = value_end
            self._in_value = False
        self._check_held(len(buffer) - self._start)
        return values

    def _note_separator(self, gap: bytes | bytearray) -> None:
        if b"\x1e" in gap:
            self.framing = JSON_SEQ
        elif self.count and b"\n" in gap:
            self.framing = NDJSON

    def _starts_events(self, final: bool) -> bool | None:
        """Whether the body is server-sent events; None when too few bytes have come to tell."""
        head = bytes(self._buffer[self._start : self._start + 6])
        if head.startswith((b":", *_SSE_FIELDS)):
            return True
        if not final and any(field.startswith(head) for field in _SSE_FIELDS):
            return None
        # Labelled as events: anything that does not start like a JSON object, array or string is read as events.
        return self._event_stream and head[0] not in b'{["'

    def _begin(self, byte: int) -> None:
        self._in_value = True
        self._scalar = byte not in _OPENERS and byte != _QUOTE
        self._depth = 1 if byte in _OPENERS else 0
        self._in_string = byte == _QUOTE
        self._scan = self._start if self._scalar else self._start + 1

    def _end_of_value(self, final: bool) -> int | None:
        """Where the unfinished value ends in `_buffer`, scanning only bytes not scanned before; None if it goes on.

        At the end of the body the rest is the value, finished or not: parsing it then says what is wrong.
        """
        buffer, position = self._buffer, self._scan
        if self._scalar:
            match = _SCALAR_END.search(buffer, position)
            if match is not None:
                return match.start()
            position = len(buffer)
        else:
            while True:
                match = (_STRING_END if self._in_string else _STRUCTURE).search(buffer, position)
                if match is None:
                    position = len(buffer)
                    break
                byte = buffer[match.start()]
                if byte == _BACKSLASH:
                    if match.end() == len(buffer):
                        # The escaped character has not come yet: scan from the backslash again next time.
                        position = match.start()
                        break
                    position = match.end() + 1
                    continue
                position = match.end()
                if byte == _QUOTE:
                    self._in_string = not self._in_string
                    if self._depth == 0:
                        return position  # a string on its own
                elif byte in _OPENERS:
                    self._depth += 1
                else:
                    self._depth -= 1
                    if self._depth == 0:
                        return position
        self._scan = position
        return len(buffer) if final else None

    def _events(self, final: bool) -> list[Any]:
        buffer, values = self._buffer, []
        while True:
            match = _LINE_END.search(buffer, self._start)
            # A CR at the end of a chunk may be the first half of a CRLF.
            if match is None or (not final and match.end() == len(buffer) and buffer[match.start()] == ord("\r")):
                break
            line = bytes(buffer[self._start : match.start()])
            self._start = match.end()
            values += self._line(line)
        if final:
            if self._start < len(buffer):
                values += self._line(bytes(buffer[self._start :]))
                self._start = len(buffer)
            values += self._line(b"")  # an event the body ended in counts, though it lacks its blank line
        self._check_held(self._data_bytes + len(buffer) - self._start)
        return values

    def _line(self, line: bytes) -> list[Any]:
        if not line:
            data, offset = b"\n".join(self._data), self._complete
            self._data, self._data_bytes = [], 0
            self._complete = self._offset + self._start
            # An event without data, or with empty data, is a keep-alive: it carries no value.
            return [self._parse(data, offset)] if data.strip() else []
        name, _, value = line.partition(b":")
        if name == b"data":
            self._data.append(value.removeprefix(b" "))
            self._data_bytes += len(line) + 1
        return []

    def _parse(self, encoded: bytes, offset: int) -> Any:
        self.count += 1
        if self._max is not None and len(encoded) > self._max:
            raise JSONSequenceError(self.count, offset, f"longer than {self._max} bytes")
        try:
            return json.loads(encoded)
        except (ValueError, RecursionError) as error:
            raise JSONSequenceError(self.count, offset, f"not JSON ({error})") from None

    def _check_held(self, held: int) -> None:
        if self._max is not None and held > self._max:
            offset = self._complete if self.framing == SSE else self._offset + self._start
            raise JSONSequenceError(self.count + 1, offset, f"longer than {self._max} bytes and not finished")


def read_json_sequence(content: bytes, content_type: str | None = None) -> tuple[list[Any], str | None]:
    """Read a whole body as a JSON sequence.

    Args:
        content: The body.
        content_type: Its Content-Type, if any.

    Returns:
        The values, and the framing (None for a body without any value).

    Raises:
        JSONSequenceError: A value is not JSON.
    """
    reader = JSONSequenceReader(content_type)
    values = [*reader.feed(content), *reader.finish()]
    return values, reader.framing


__all__ = [
    "CONCATENATED",
    "JSON_SEQ",
    "MEDIA_TYPES",
    "NDJSON",
    "SSE",
    "JSONSequenceError",
    "JSONSequenceReader",
    "media_type",
    "read_json_sequence",
]
