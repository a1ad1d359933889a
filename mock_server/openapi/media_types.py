"""The kinds of body the simulators can serve, told by media type, and how each kind is written and read.

- JSON (`application/json`, `*+json`): one JSON value.
- Text (`text/*`): a string; its schema is `type: string`.
- Sequential JSON (`application/x-ndjson`, `application/jsonl`, or any JSON media type whose media type object says
  `x-json-sequence: true`, such as Connect's tail in `application/json`): a sequence of JSON values, sent as they are
  produced (a long-lived response). Its schema describes the whole sequence read as an array, as OpenAPI 3.2 has it
  for sequential media types; a stream is checked value by value, each as an array of one item. The simulators write
  it as newline-delimited JSON (`json_line`), whatever the media type says.
"""

import enum
import json
from typing import Any

SEQUENTIAL_JSON_TYPES = frozenset({"application/x-ndjson", "application/jsonl"})


class BodyKind(enum.Enum):
    """How a body of a media type is written and read."""

    JSON = "json"
    TEXT = "text"
    SEQUENTIAL_JSON = "sequential JSON"


def essence(content_type: str | None) -> str:
    """The media type of a Content-Type header, without parameters, lower case.

    Args:
        content_type: The header's value, or None.

    Returns:
        E.g. "text/plain" for "text/plain; charset=utf-8"; "" for None.
    """
    if content_type is None:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def body_kind(content_type: str | None, *, json_sequence: bool = False) -> BodyKind | None:
    """Tell how a body of a media type is written and read.

    Args:
        content_type: A media type or Content-Type header value.
        json_sequence: Whether its media type object says `x-json-sequence: true`.

    Returns:
        Its kind, or None for a media type the simulators do not serve.
    """
    media_type = essence(content_type)
    if media_type in SEQUENTIAL_JSON_TYPES:
        return BodyKind.SEQUENTIAL_JSON
    if media_type == "application/json" or media_type.endswith("+json"):
        return BodyKind.SEQUENTIAL_JSON if json_sequence else BodyKind.JSON
    if json_sequence:
        return None
    if media_type.startswith("text/"):
        return BodyKind.TEXT
    return None


def json_bytes(value: Any) -> bytes:
    """Write a JSON body the way every simulator sends it: compact, every non-ASCII character escaped.

    The slurper needs the escaping: a string in a JSON request body can hold a lone surrogate (JSON allows
    "\\ud800", in a bucket name say), which has no UTF-8 encoding, so escaping is the only way to send it back exactly
    as it was received. Connect and RekoSearch take no bodies, so no lone surrogate reaches them, but their problem
    messages quote what a client sent (a query value, percent-decoded to any character); with one renderer for all
    three, their bodies stay ASCII too, byte for byte what they have always been.

    Args:
        value: The value (no NaN or infinity: JSON has none).

    Returns:
        The body, ASCII only.
    """
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def json_line(value: Any) -> bytes:
    """Write one value of a sequential JSON body, newline-delimited: `json_bytes`, then a newline.

    Args:
        value: The value.

    Returns:
        The line.
    """
    return json_bytes(value) + b"\n"
