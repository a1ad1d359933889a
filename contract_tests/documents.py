"""The OpenAPI documents under openapi/, read once, with the helpers the tests share: operations, examples, and a
JSON Schema validator for any schema inside a document (its $refs resolved against that document)."""

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


@cache
def _registry(api: str) -> Registry:
    return Registry().with_resource(
        f"urn:openapi:{api}", Resource.from_contents(load(api), default_specification=DRAFT202012)
    )


def validator(api: str, pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in `api`'s document, with format checks on."""
    return Draft202012Validator(
        {"$ref": f"urn:openapi:{api}#{pointer}"},
        registry=_registry(api),
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


def response_problems(api: str, operation_id: str, status: int, content_type: str, body: Any) -> list[str]:
    """How a response differs from what the document promises for it; empty when it conforms."""
    document = load(api)
    operation = find_operation(api, operation_id)
    key = documented_status(operation, status)
    if key is None:
        return [f"{operation_id}: status {status} is not documented"]
    response, ref = resolve(document, operation.spec["responses"][key])
    pointer = ref or f"{operation.pointer}/responses/{key}"
    content = response.get("content", {})
    if not content:
        return [] if body in (None, b"", "") else [f"{operation_id} {status}: the document declares no body"]
    media_type = content_type.split(";")[0].strip()
    if media_type not in content:
        return [f"{operation_id} {status}: content type {media_type!r} is not one of {sorted(content)}"]
    schema_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
    return [
        f"{operation_id} {status}: {'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator(api, schema_pointer).iter_errors(body)
    ]


SEQUENTIAL_JSON_TYPES = ("application/x-ndjson", "application/jsonl")


def media_type_of(content_type: str | None) -> str:
    """The media type of a Content-Type header, without parameters, lower case ("" when there is none)."""
    return (content_type or "").split(";")[0].strip().lower()


def encode_body(media_type: str, value: Any) -> bytes:
    """A body as a server sends it in `media_type`: JSON; text as UTF-8; sequential JSON as one value per line
    (`value` is then the list of lines' values, as the document's schema reads such a stream)."""
    if media_type in SEQUENTIAL_JSON_TYPES:
        return b"".join(json.dumps(item).encode() + b"\n" for item in value)
    if media_type.startswith("text/"):
        return str(value).encode()
    return json.dumps(value).encode()


def decode_body(content_type: str | None, content: bytes) -> Any:
    """A response body as the document's schema sees it: None when empty; JSON parsed; sequential JSON as the list
    of its lines' values; text as a string. Raises ValueError when JSON does not parse."""
    media_type = media_type_of(content_type)
    if not content:
        return None
    if media_type in SEQUENTIAL_JSON_TYPES:
        return [json.loads(line) for line in content.split(b"\n") if line.strip()]
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
