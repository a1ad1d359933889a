"""Rules a document must follow so that openapi-python-client turns it into a client that reads like the API.

openapi-spec-validator says whether a document is valid OpenAPI; these rules catch what is valid but generates badly
(toolchain-notes §1.2, §1.4): union variants the generated `from_dict` cannot tell apart, inline bodies that get
names like `Response200`, a JSON sequence (`x-json-sequence: true`) whose schema is not an array, and marks of where a
fact comes from that are malformed or mark nothing.
"""

from collections.abc import Iterator
from typing import Any

from .diff.documents import HTTP_METHODS, nodes
from .provenance import check_marks


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _tag_values(document: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    """The required properties of a union variant that carry a single value (`const` or a one-value `enum`)."""
    resolved = _resolve(document, variant)
    tags = {}
    for name in resolved.get("required", []):
        prop = _resolve(document, resolved.get("properties", {}).get(name, {}))
        if "const" in prop:
            tags[name] = prop["const"]
        elif len(prop.get("enum", [])) == 1:
            tags[name] = prop["enum"][0]
    return tags


def _check_unions(document: dict[str, Any]) -> Iterator[str]:
    for where, node in nodes(document.get("components", {}).get("schemas", {}), "#/components/schemas"):
        if not isinstance(node, dict):
            continue
        for keyword in ("oneOf", "anyOf"):
            variants = node.get(keyword)
            if not isinstance(variants, list) or all(v.get("type") == "null" for v in variants):
                continue
            real = [v for v in variants if v.get("type") != "null"]
            if any("$ref" not in v for v in real):
                yield f"{where}: every {keyword} variant must be a $ref to a named schema (class names)"
                continue
            tags = [_tag_values(document, v) for v in real]
            shared = set.intersection(*(set(t) for t in tags)) if tags else set()
            if not any(len({t[name] for t in tags}) == len(tags) for name in shared):
                yield (
                    f"{where}: the {keyword} variants need a required property with a different const in each "
                    "(the generated from_dict ignores `discriminator` and takes the first variant that parses)"
                )


def _check_operations(document: dict[str, Any]) -> Iterator[str]:
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = f"{method.upper()} {path}"
            if not operation.get("operationId"):
                yield f"{name}: no operationId (it names the generated module)"
            if len(operation.get("tags", [])) != 1:
                yield f"{name}: needs exactly one tag (it names the generated api/ folder)"
            bodies = [operation.get("requestBody", {})]
            bodies += [_resolve(document, r) for r in operation.get("responses", {}).values()]
            for body in bodies:
                for media_type, content in body.get("content", {}).items():
                    schema = content.get("schema", {})
                    composite = schema.get("type") in ("object", "array") or "allOf" in schema or "oneOf" in schema
                    if composite and "$ref" not in schema and "title" not in schema:
                        yield f"{name} ({media_type}): inline body schema needs a $ref or a title"


def _check_json_sequences(document: dict[str, Any]) -> Iterator[str]:
    # The endpoint template reads a body whose media type says `x-json-sequence: true` into a list of its values.
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            for status, response in item.get(method, {}).get("responses", {}).items():
                for media_type, content in _resolve(document, response).get("content", {}).items():
                    if (
                        content.get("x-json-sequence") is True
                        and _resolve(document, content.get("schema", {})).get("type") != "array"
                    ):
                        yield (
                            f"{method.upper()} {path} {status} ({media_type}): x-json-sequence needs an array schema, "
                            "the sequence read as the list of its values"
                        )


def lint(document: dict[str, Any]) -> list[str]:
    """Every rule violation in `document`, as readable lines; empty when it is fine. The marks of where facts come
    from (`generator.provenance`) are checked too: well formed, and on keywords that exist."""
    return [
        *_check_operations(document),
        *_check_unions(document),
        *_check_json_sequences(document),
        *check_marks(document),
    ]
