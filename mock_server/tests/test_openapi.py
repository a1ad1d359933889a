"""The shared OpenAPI layer, on a small document of its own: routing, parameters, bodies, responses, formats."""

import copy
from pathlib import Path
from typing import Any

import pytest

from mock_server.openapi import (
    DocumentError,
    MethodNotAllowed,
    OpenAPIDocument,
    Operation,
    RequestProblem,
    RequestProblemKind,
    RouteMatch,
)
from mock_server.openapi.formats import is_uri

THING = {"$ref": "#/components/schemas/Thing"}
JSON_THING = {"application/json": {"schema": THING}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Things", "version": "1"},
    "servers": [{"url": "https://things.example.com/api/v2/"}],
    "paths": {
        "/things/{thing_id}": {
            "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "get-thing",
                "parameters": [
                    {"$ref": "#/components/parameters/RequestId"},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "ratio", "in": "query", "schema": {"type": ["number", "null"], "maximum": 1}},
                ],
                "responses": {
                    "200": {"description": "ok", "content": JSON_THING},
                    "4XX": {"description": "no", "content": {"application/json": {"schema": {"type": "object"}}}},
                },
            },
            "delete": {"operationId": "delete-thing", "responses": {"204": {"description": "gone"}}},
        },
        "/things/special": {
            "get": {"operationId": "get-special-thing", "responses": {"default": {"description": "x"}}}
        },
        "/things": {
            "post": {
                "operationId": "create-thing",
                "requestBody": {"required": True, "content": JSON_THING},
                "responses": {"201": {"description": "made", "content": JSON_THING}},
            },
            "put": {
                "operationId": "replace-things",
                "requestBody": {"content": JSON_THING},
                "responses": {"200": {"description": "ok"}},
            },
        },
    },
    "components": {
        "parameters": {
            "RequestId": {"name": "X-Request-Id", "in": "header", "required": True, "schema": {"type": "integer"}}
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "home": {"type": "string", "format": "uri"},
                    "password": {"type": "string", "writeOnly": True},
                },
            }
        },
    },
}


@pytest.fixture(scope="module")
def document() -> OpenAPIDocument:
    return OpenAPIDocument(DOCUMENT, uri="urn:test:things")


def route(document: OpenAPIDocument, method: str, path: str) -> RouteMatch:
    match = document.route(method, path)
    assert isinstance(match, RouteMatch)
    return match


def parse(operation: Operation, **request: Any) -> Any:
    defaults: dict[str, Any] = {"path_params": {}, "query": [], "headers": {}, "content_type": None, "body": b""}
    return operation.parse_request(**{**defaults, **request})


def problem(operation: Operation, **request: Any) -> RequestProblem:
    with pytest.raises(RequestProblem) as raised:
        parse(operation, **request)
    return raised.value


def test_the_base_path_comes_from_the_first_server(document: OpenAPIDocument) -> None:
    assert document.base_path == "/api/v2"
    assert document.route("GET", "/things/1") is None
    assert document.route("GET", "/api/v2/nothing") is None


def test_concrete_paths_win_over_templated_ones(document: OpenAPIDocument) -> None:
    assert route(document, "GET", "/api/v2/things/special").operation.operation_id == "get-special-thing"
    assert document.route("DELETE", "/api/v2/things/special") == MethodNotAllowed(("GET",))
    match = route(document, "get", "/api/v2/things/a%2Fb%20c")
    assert (match.operation.operation_id, match.path_params) == ("get-thing", {"thing_id": "a/b c"})
    assert document.route("PATCH", "/api/v2/things/1") == MethodNotAllowed(("GET", "DELETE"))


def test_parameters_are_typed_and_validated(document: OpenAPIDocument) -> None:
    match = route(document, "GET", "/api/v2/things/7")
    parsed = parse(
        match.operation,
        path_params=match.path_params,
        query=[("verbose", "true"), ("ratio", "0.5"), ("unknown", "x")],
        headers={"x-request-id": "42"},
    )
    assert parsed.path_params == {"thing_id": "7"}
    assert parsed.query == {"verbose": True, "ratio": 0.5}
    assert parsed.headers == {"X-Request-Id": 42}
    assert parsed.body is None


@pytest.mark.parametrize(
    ("query", "headers", "message"),
    [
        ([], {}, "Missing required header parameter 'X-Request-Id'"),
        ([], {"x-request-id": "abc"}, "Invalid header parameter 'X-Request-Id': 'abc' is not of type 'integer'"),
        (
            [("verbose", "yes")],
            {"x-request-id": "1"},
            "Invalid query parameter 'verbose': 'yes' is not of type 'boolean'",
        ),
        (
            [("ratio", "2")],
            {"x-request-id": "1"},
            "Invalid query parameter 'ratio': 2 is greater than the maximum of 1",
        ),
    ],
)
def test_bad_parameters_are_named(
    document: OpenAPIDocument, query: list[tuple[str, str]], headers: dict[str, str], message: str
) -> None:
    match = route(document, "GET", "/api/v2/things/7")
    raised = problem(match.operation, path_params=match.path_params, query=query, headers=headers)
    assert (raised.kind, raised.message, raised.pointer) == (RequestProblemKind.INVALID_PARAMETER, message, None)


def test_a_parameter_problem_names_the_parameter_and_whether_it_was_missing(document: OpenAPIDocument) -> None:
    match = route(document, "GET", "/api/v2/things/7")
    missing = problem(match.operation, path_params=match.path_params)
    malformed = problem(match.operation, path_params=match.path_params, headers={"x-request-id": "abc"})
    twice = problem(
        match.operation,
        path_params=match.path_params,
        query=[("ratio", "1"), ("ratio", "0")],
        headers={"x-request-id": "1"},
    )
    assert missing.parameter is not None
    assert (missing.parameter.name, missing.parameter.location, missing.missing) == ("X-Request-Id", "header", True)
    assert malformed.parameter is not None
    assert (malformed.parameter.name, malformed.parameter.types, malformed.missing) == (
        "X-Request-Id",
        ("integer",),
        False,
    )
    assert twice.parameter is not None
    assert (twice.parameter.name, twice.missing) == ("ratio", False)
    body = problem(document.operations["create-thing"], content_type="application/json", body=b"{}")
    assert (body.parameter, body.missing) == (None, False)


def test_a_server_at_the_root_has_no_base_path() -> None:
    at_root = copy.deepcopy(DOCUMENT)
    at_root["servers"] = [{"url": "https://things.example.com"}]
    root_document = OpenAPIDocument(at_root, uri="urn:test:things-at-root")
    assert root_document.base_path == ""
    assert route(root_document, "GET", "/things/7").operation.operation_id == "get-thing"
    assert root_document.route("GET", "/api/v2/things/7") is None


def test_bodies_are_parsed_and_validated(document: OpenAPIDocument) -> None:
    create = document.operations["create-thing"]
    body = b'{"name": "x", "home": "https://example.com/a?b#c"}'
    assert parse(create, content_type="application/json", body=body).body == {
        "name": "x",
        "home": "https://example.com/a?b#c",
    }
    raised = problem(create, content_type="application/json", body=b'{"name": "x", "home": "not a uri"}')
    assert raised.message == "Invalid request body: 'not a uri' is not a 'uri' (at home)"
    assert raised.pointer == "/home"
    assert problem(create).kind is RequestProblemKind.MISSING_BODY
    assert parse(document.operations["replace-things"], content_type=None, body=b"").body is None


def test_write_only_values_and_long_values_are_never_quoted(document: OpenAPIDocument) -> None:
    create = document.operations["create-thing"]
    raised = problem(create, content_type="application/json", body=b'{"name": "x", "password": 123456789}')
    assert raised.message == "Invalid request body: the value of 'password' is not of type 'string' (at password)"
    raised = problem(create, content_type="application/json", body=b'{"name": 1, "home": "' + b"h" * 100 + b'"}')
    assert "h" * 41 not in raised.message


def test_response_violations(document: OpenAPIDocument) -> None:
    get = document.operations["get-thing"]
    assert get.response_violations(200, "application/json", {"name": "x"}) == []
    assert get.response_violations(404, "application/json", {}) == []
    assert get.response_violations(200, "application/json", {"name": ""}) == [
        "200 response body: '' should be non-empty (at name)"
    ]
    assert get.response_violations(500, "application/json", {}) == ["status 500 is not documented for get-thing"]
    assert get.response_violations(200, "text/html", {"name": "x"}) == [
        "200 response has Content-Type 'text/html', not one of ['application/json']"
    ]
    delete = document.operations["delete-thing"]
    assert delete.response_violations(204, None, None) == []
    assert delete.response_violations(204, "application/json", {}) == [
        "204 response has a body but the document declares none"
    ]
    assert document.operations["get-special-thing"].response_violations(418, None, None) == []
    assert document.schema_problems("/components/schemas/Thing", {"name": "x"}) == []


def unsupported(change: str) -> dict[str, Any]:
    broken = copy.deepcopy(DOCUMENT)
    thing = broken["paths"]["/things/{thing_id}"]
    if change == "array parameter":
        thing["get"]["parameters"].append({"name": "ids", "in": "query", "schema": {"type": "array"}})
    elif change == "cookie parameter":
        thing["get"]["parameters"].append({"name": "session", "in": "cookie", "schema": {"type": "string"}})
    elif change == "xml body":
        broken["paths"]["/things"]["post"]["requestBody"]["content"] = {"application/xml": {"schema": THING}}
    elif change == "media type without schema":
        broken["paths"]["/things"]["post"]["requestBody"]["content"] = {"application/json": {}}
    elif change == "external reference":
        thing["get"]["parameters"].append({"$ref": "other.yaml#/components/parameters/P"})
    elif change == "no operationId":
        del thing["delete"]["operationId"]
    elif change == "duplicate operationId":
        thing["delete"]["operationId"] = "get-thing"
    elif change == "undeclared path parameter":
        del thing["parameters"]
    return broken


@pytest.mark.parametrize(
    "change",
    [
        "array parameter",
        "cookie parameter",
        "xml body",
        "media type without schema",
        "external reference",
        "no operationId",
        "duplicate operationId",
        "undeclared path parameter",
    ],
)
def test_unsupported_documents_fail_loudly(change: str) -> None:
    with pytest.raises(DocumentError):
        OpenAPIDocument(unsupported(change), uri="urn:test:broken")


def test_documents_are_found_from_the_package_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert "slurper-list-jobs" in OpenAPIDocument.load("slurper").operations


@pytest.mark.parametrize(
    "value",
    [
        "https://s3.eu-central-1.wasabisys.com",
        "https://user:pw@example.com:8443/a/b;c?d=e&f#g",
        "https://[2001:db8::1]/",
        "https://[v1.fe]/",
        "https://192.0.2.1",
        "https://example.com/%41",
        "urn:isbn:0451450523",
        "mailto:someone@example.com",
        "https:",
    ],
)
def test_uris(value: str) -> None:
    assert is_uri(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "example.com",
        "/relative/path",
        "https://exa mple.com",
        "https://example.com/%4",
        "https://[not-an-address]/",
        "https://[fe80::1%25eth0]/",
        "1https://example.com",
        "https://example.com/<>",
    ],
)
def test_not_uris(value: str) -> None:
    assert not is_uri(value)


def test_only_strings_are_checked_as_uris() -> None:
    assert is_uri(42)
