"""The OpenAPI documents under openapi/, read once, with the helpers the tests share: operations, examples, a JSON
Schema validator for any schema inside a document (its $refs resolved against that document), and how a body is read
as its schema sees it.

A body whose media type object says `x-json-sequence: true` (Connect's tail) is a sequence of JSON values in a framing
no source documents; it is read with the generated clients' own reader, generator/runtime/_json_sequence.py, which
imports nothing from its package: newline-delimited JSON, concatenated JSON, RFC 7464 and server-sent events alike.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator import provenance
from generator.runtime._json_sequence import MEDIA_TYPES as JSON_SEQUENCE_MEDIA_TYPES
from generator.runtime._json_sequence import read_json_sequence

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def document_paths() -> list[Path]:
    """Every OpenAPI document in openapi/."""
    return sorted(OPENAPI.glob("*.yaml"))


@cache
def load(api: str) -> dict[str, Any]:
    """The document of `api` (openapi/<api>.yaml)."""
    return yaml.safe_load((OPENAPI / f"{api}.yaml").read_text())


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    pointer: str
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", f"{self.method.upper()} {self.path}"))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield Operation(method, path, f"/paths/{_escape(path)}/{method}", item[method])


def resolve(document: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Follow a local $ref; returns the target and its JSON pointer (None when `node` is not a reference)."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    target: Any = document
    for token in ref.removeprefix("#/").split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target, ref.removeprefix("#")


@dataclass(frozen=True)
class Example:
    """One example value and the schema it must satisfy, both located by JSON pointer for readable failures."""

    where: str
    value: Any
    schema_pointer: str


def _media_examples(content: dict[str, Any], pointer: str) -> Iterator[Example]:
    for media_type, media in content.items():
        media_pointer = f"{pointer}/content/{_escape(media_type)}"
        schema_pointer = f"{media_pointer}/schema"
        if "example" in media:
            yield Example(f"{media_pointer}/example", media["example"], schema_pointer)
        for name, example in media.get("examples", {}).items():
            yield Example(f"{media_pointer}/examples/{name}", example["value"], schema_pointer)


def examples(document: dict[str, Any]) -> Iterator[Example]:
    """Every example in the document: schemas', parameters', request bodies' and responses'."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        for index, value in enumerate(schema.get("examples", [])):
            yield Example(f"/components/schemas/{name}/examples/{index}", value, f"/components/schemas/{name}")
    for name, parameter in document.get("components", {}).get("parameters", {}).items():
        if "example" in parameter:
            yield Example(
                f"/components/parameters/{name}/example", parameter["example"], f"/components/parameters/{name}/schema"
            )
    for name, response in document.get("components", {}).get("responses", {}).items():
        yield from _media_examples(response.get("content", {}), f"/components/responses/{name}")
    for operation in operations(document):
        body = operation.spec.get("requestBody")
        if body is not None:
            yield from _media_examples(body.get("content", {}), f"{operation.pointer}/requestBody")
        for status, response in operation.spec.get("responses", {}).items():
            if "$ref" not in response:
                yield from _media_examples(response.get("content", {}), f"{operation.pointer}/responses/{status}")


def _uri(api: str, sourced_only: bool) -> str:
    return f"urn:openapi:{api}{':sourced' if sourced_only else ''}"


@cache
def _registry(api: str, sourced_only: bool) -> Registry:
    # The whole document is the resource, its objects as `load` gives them: a schema error names the very object
    # (`error.schema`) that holds the failing keyword.
    contents = provenance.sourced_only(load(api)) if sourced_only else load(api)
    return Registry().with_resource(
        _uri(api, sourced_only), Resource.from_contents(contents, default_specification=DRAFT202012)
    )


def validator(api: str, pointer: str, *, sourced_only: bool = False) -> Draft202012Validator:
    """A validator for the schema at `pointer` in `api`'s document, with format checks on.

    Args:
        api: The API.
        pointer: The schema's JSON pointer.
        sourced_only: Validate against the document with every assumed constraint taken out
            (`generator.provenance.sourced_only`): what the vendor's contract, as far as the sources state it, demands.
    """
    return Draft202012Validator(
        {"$ref": f"{_uri(api, sourced_only)}#{pointer}"},
        registry=_registry(api, sourced_only),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def response_example(
    api: str, operation_id: str, status: str, name: str | None = None, media_type: str = "application/json"
) -> Any:
    """The value of a named (or the first) example of `operation_id`'s `status` response in `media_type`."""
    document = load(api)
    for operation in operations(document):
        if operation.operation_id != operation_id:
            continue
        response, _ = resolve(document, operation.spec["responses"][status])
        media = response["content"][media_type]
        named = media["examples"]
        return named[name]["value"] if name else next(iter(named.values()))["value"]
    raise KeyError(operation_id)


def request_example(api: str, operation_id: str, name: str | None = None) -> Any:
    """The value of a named (or the first) example of `operation_id`'s request body."""
    for operation in operations(load(api)):
        if operation.operation_id == operation_id:
            named = operation.spec["requestBody"]["content"]["application/json"]["examples"]
            return named[name]["value"] if name else next(iter(named.values()))["value"]
    raise KeyError(operation_id)


def find_operation(api: str, operation_id: str) -> Operation:
    """The operation called `operation_id` in `api`'s document."""
    for operation in operations(load(api)):
        if operation.operation_id == operation_id:
            return operation
    raise KeyError(f"{api} has no operation {operation_id}")


def documented_status(operation: Operation, status: int) -> str | None:
    """The `responses` key that covers `status` (exact code first, then its `NXX` range, then `default`)."""
    responses = operation.spec["responses"]
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return key
    return None


def _response(api: str, operation_id: str, status: int) -> tuple[dict[str, Any], str] | None:
    """The documented response that covers `status`, and its JSON pointer; None when none does."""
    operation = find_operation(api, operation_id)
    key = documented_status(operation, status)
    if key is None:
        return None
    response, ref = resolve(load(api), operation.spec["responses"][key])
    return response, ref or f"{operation.pointer}/responses/{key}"


def json_sequence_media_type(api: str, operation_id: str, status: int) -> str | None:
    """The media type in which the document gives `status` of `operation_id` as a sequence of JSON values (its media
    type object says `x-json-sequence: true`); None when that response is no such sequence."""
    found = _response(api, operation_id, status)
    content = found[0].get("content", {}) if found else {}
    return next((name for name, media in content.items() if media.get("x-json-sequence") is True), None)


def accepted_media_types(api: str, operation_id: str, status: int) -> list[str]:
    """The media types `status` of `operation_id` may come in: the documented ones, and for a sequence of JSON values
    the media type of every framing (`JSON_SEQUENCE_MEDIA_TYPES`), as the framing is not documented."""
    found = _response(api, operation_id, status)
    documented = list(found[0].get("content", {})) if found else []
    if json_sequence_media_type(api, operation_id, status) is None:
        return documented
    return [*documented, *(name for name in JSON_SEQUENCE_MEDIA_TYPES if name not in documented)]


def response_problems(api: str, operation_id: str, status: int, content_type: str, body: Any) -> list[str]:
    """How a response differs from what the document promises for it; empty when it conforms.

    A sequence of JSON values may come labelled with the media type of any framing (`JSON_SEQUENCE_MEDIA_TYPES`): the
    framing is not documented, so the document's media type for the sequence stands for all of them.
    """
    found = _response(api, operation_id, status)
    if found is None:
        return [f"{operation_id}: status {status} is not documented"]
    response, pointer = found
    content = response.get("content", {})
    if not content:
        return [] if body in (None, b"", "") else [f"{operation_id} {status}: the document declares no body"]
    media_type = media_type_of(content_type)
    accepted = accepted_media_types(api, operation_id, status)
    if media_type not in accepted:
        return [f"{operation_id} {status}: content type {media_type!r} is not one of {sorted(accepted)}"]
    if media_type not in content:
        media_type = str(json_sequence_media_type(api, operation_id, status))
    schema_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
    return [
        f"{operation_id} {status}: {'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator(api, schema_pointer).iter_errors(body)
    ]


# Media types that are sequences of JSON values by themselves; `application/json` is one only where the document says
# `x-json-sequence: true`.
SEQUENTIAL_JSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-seq")


def media_type_of(content_type: str | None) -> str:
    """The media type of a Content-Type header, without parameters, lower case ("" when there is none)."""
    return (content_type or "").split(";")[0].strip().lower()


def encode_body(media_type: str, value: Any, *, sequence: bool = False) -> bytes:
    """A body as a server sends it in `media_type`: JSON; text as UTF-8; a sequence of JSON values (`sequence`, or a
    sequential media type; `value` is then the list of values, as the document's schema reads a sequence) framed as
    the simulator does, one value per line, or for `application/json-seq` and `text/event-stream` as they say."""
    if sequence or media_type in SEQUENTIAL_JSON_TYPES:
        prefix, suffix = {
            "application/json-seq": (b"\x1e", b"\n"),
            "text/event-stream": (b"data: ", b"\n\n"),
        }.get(media_type, (b"", b"\n"))
        return b"".join(prefix + json.dumps(item).encode() + suffix for item in value)
    if media_type.startswith("text/"):
        return str(value).encode()
    return json.dumps(value).encode()


def decode_body(content_type: str | None, content: bytes, *, sequence: bool = False) -> Any:
    """A response body as the document's schema sees it: None when empty; JSON parsed; a sequence of JSON values
    (`sequence`: the document says `x-json-sequence: true`; or a sequential media type) as the list of its values, in
    any framing and under any label; text as a string.

    Raises:
        ValueError: JSON (or a value of a sequence) does not parse.
    """
    media_type = media_type_of(content_type)
    if not content:
        return None
    if sequence or media_type in SEQUENTIAL_JSON_TYPES:
        values, _ = read_json_sequence(content, content_type)
        return values
    if media_type == "application/json" or media_type.endswith("+json"):
        return json.loads(content)
    return content.decode("utf-8", "replace")


def match_operation(api: str, method: str, path: str) -> Operation | None:
    """The operation whose path template matches the concrete `path` (relative to the server URL), if any."""
    for operation in operations(load(api)):
        if operation.method != method.lower():
            continue
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(operation.path)) + "$"
        if re.match(pattern, path):
            return operation
    return None


def sensitive_properties(api: str) -> set[str]:
    """Names of the properties the document marks writeOnly or x-sensitive: sent by clients, never returned."""
    found = set()
    for schema in load(api).get("components", {}).get("schemas", {}).values():
        for name, prop in schema.get("properties", {}).items():
            if prop.get("writeOnly") or prop.get("x-sensitive"):
                found.add(name)
    return found
