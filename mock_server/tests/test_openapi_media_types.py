"""The shared OpenAPI layer's non-JSON responses: text and sequential JSON (newline-delimited JSON, or JSON whose media
type object says `x-json-sequence: true`; the schema reads the sequence as an array); request bodies stay JSON only."""

import copy
from typing import Any

import pytest

from mock_server.openapi import DocumentError, OpenAPIDocument
from mock_server.openapi.media_types import BodyKind, body_kind, essence, json_line

ENTRY = {"type": "object", "required": ["data"], "properties": {"data": {"type": "string"}}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Logs", "version": "1"},
    "paths": {
        "/log": {
            "get": {
                "operationId": "download-log",
                "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }
        },
        "/tail": {
            "get": {
                "operationId": "tail-log",
                "responses": {
                    "200": {
                        "description": "a stream",
                        "content": {"application/x-ndjson": {"schema": {"type": "array", "items": ENTRY}}},
                    },
                    "206": {
                        "description": "the same stream in the media type Posit's spec gives Connect's tail",
                        "content": {
                            "application/json": {
                                "x-json-sequence": True,
                                "schema": {"type": "array", "items": ENTRY},
                            }
                        },
                    },
                    "404": {
                        "description": "no",
                        "content": {
                            "application/json": {"schema": ENTRY},
                            "text/plain": {"schema": {"type": "string"}},
                        },
                    },
                },
            }
        },
    },
}


@pytest.fixture(scope="module")
def document() -> OpenAPIDocument:
    return OpenAPIDocument(DOCUMENT, uri="urn:test:logs")


def test_text_responses_are_checked_as_strings(document: OpenAPIDocument) -> None:
    download = document.operations["download-log"]
    assert download.response_violations(200, "text/plain; charset=utf-8", "line\n") == []
    assert download.response_violations(200, "text/html", "x") == [
        "200 response has Content-Type 'text/html', not one of ['text/plain']"
    ]


def test_a_sequential_json_stream_is_checked_as_the_array_of_its_lines(document: OpenAPIDocument) -> None:
    tail = document.operations["tail-log"]
    assert tail.response_violations(200, "application/x-ndjson", [{"data": "a"}, {"data": "b"}]) == []
    assert tail.response_violations(200, "application/x-ndjson", [{"data": 1}]) == [
        "200 response body: 1 is not of type 'string' (at 0/data)"
    ]


def test_json_marked_as_a_sequence_is_checked_value_by_value_like_sequential_json(document: OpenAPIDocument) -> None:
    tail = document.operations["tail-log"]
    assert tail.responses["206"].json_sequences == ("application/json",)
    assert tail.responses["200"].json_sequences == ("application/x-ndjson",)
    assert tail.responses["404"].json_sequences == ()
    assert tail.response_violations(206, "application/json", [{"data": "a"}]) == []
    assert tail.response_violations(206, "application/json", [{"data": 1}]) == [
        "206 response body: 1 is not of type 'string' (at 0/data)"
    ]


def with_content(where: str, content: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document whose /log operation has `content`: as its 200 response's (`where` "response") or as its
    request body's."""
    broken = copy.deepcopy(DOCUMENT)
    operation = broken["paths"]["/log"]["get"]
    if where == "response":
        operation["responses"]["200"]["content"] = content
    else:
        operation["requestBody"] = {"content": content}
    return broken


@pytest.mark.parametrize(
    ("where", "content"),
    [
        ("response", {"application/json": {"x-json-sequence": True, "schema": ENTRY}}),
        ("response", {"text/plain": {"x-json-sequence": True, "schema": {"type": "array"}}}),
        ("request", {"application/json": {"x-json-sequence": True, "schema": {"type": "array"}}}),
    ],
)
def test_a_json_sequence_needs_a_json_media_type_an_array_schema_and_a_response(
    where: str, content: dict[str, Any]
) -> None:
    with pytest.raises(DocumentError, match=r"array schema|media types are supported"):
        OpenAPIDocument(with_content(where, content), uri="urn:test:broken")


def test_a_response_may_come_in_json_or_text(document: OpenAPIDocument) -> None:
    tail = document.operations["tail-log"]
    assert tail.response_violations(404, "application/json", {"data": "x"}) == []
    assert tail.response_violations(404, "text/plain", "404 page not found\n") == []


@pytest.mark.parametrize(
    ("where", "content"),
    [
        ("response", {"application/xml": {"schema": {"type": "string"}}}),
        ("response", {"application/octet-stream": {"schema": {"type": "string"}}}),
        ("request", {"text/plain": {"schema": {"type": "string"}}}),
        ("request", {"application/x-ndjson": {"schema": {"type": "array"}}}),
    ],
)
def test_other_media_types_fail_loudly(where: str, content: dict[str, Any]) -> None:
    with pytest.raises(DocumentError, match="media types are supported"):
        OpenAPIDocument(with_content(where, content), uri="urn:test:broken")


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", BodyKind.JSON),
        ("Application/Problem+JSON; charset=utf-8", BodyKind.JSON),
        ("text/plain; charset=utf-8", BodyKind.TEXT),
        ("text/csv", BodyKind.TEXT),
        ("application/x-ndjson", BodyKind.SEQUENTIAL_JSON),
        ("application/jsonl", BodyKind.SEQUENTIAL_JSON),
        ("application/xml", None),
        (None, None),
    ],
)
def test_body_kinds(content_type: str | None, kind: BodyKind | None) -> None:
    assert body_kind(content_type) is kind


def test_a_json_media_type_marked_as_a_sequence_is_sequential_json() -> None:
    assert body_kind("application/json", json_sequence=True) is BodyKind.SEQUENTIAL_JSON
    assert body_kind("application/x-ndjson", json_sequence=True) is BodyKind.SEQUENTIAL_JSON
    assert body_kind("text/plain", json_sequence=True) is None


def test_essence_and_json_lines() -> None:
    assert essence(" Text/Plain ; charset=utf-8") == "text/plain"
    assert json_line({"data": "Zürich\ud800"}) == b'{"data":"Z\\u00fcrich\\ud800"}\n'
