"""The constraints a document states, walked operation by operation: every keyword that narrows what a server may
send or must accept, where it is in the operation, and where it sits in the document (its JSON pointer), `$ref`s
followed; and whether the sources state the same or a stricter one (`covered`)."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MARKS = "x-provenance"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords that narrow what a value may be; `required` is marked per property, the rest per keyword.
SCHEMA_KEYWORDS = (
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "required",
)
# Pseudo-keywords: marks of a parameter's or body's `required`, of a media type, of a status code.
MEDIA_TYPE = "mediaType"
STATUS = "status"
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


class ProvenanceError(Exception):
    """A document's marks are malformed, or its sources cannot be read."""


def escape(token: str | int) -> str:
    """One JSON pointer token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def lookup(document: Any, pointer: str) -> Any:
    """The node a local JSON pointer names (`/components/schemas/Job`, or `#/components/...`)."""
    node = document
    for token in pointer.removeprefix("#").split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[_unescape(token)]
    return node


def resolve(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local `$ref`s from `node` (at `pointer`) to what they name.

    Returns:
        The node and its pointer.
    """
    seen = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        pointer = node["$ref"].removeprefix("#")
        if pointer in seen:
            raise ProvenanceError(f"$ref cycle at {pointer}")
        seen.add(pointer)
        node = lookup(document, pointer)
    return node, pointer


@dataclass(frozen=True)
class Constraint:
    """One narrowing fact of a document, as one operation meets it.

    Attributes:
        operation: The operationId.
        location: Where in the operation: ("query", "limit"), ("response", "200", "application/json", ".result",
            "[]", ".status"), ...
        keyword: The keyword (`minimum`, `required`, ...), or `mediaType` / `status`.
        argument: For `required` in a schema, the property; for `mediaType` the media type; for `status` the status.
        value: The keyword's value, normalised for comparison (a type or enum as a frozenset).
        pointer: The JSON pointer of the object that holds the keyword: where its mark goes.
    """

    operation: str
    location: tuple[str, ...]
    keyword: str
    argument: str | None
    value: Any
    pointer: str

    @property
    def where(self) -> str:
        """The location, readable: `slurper-list-jobs query limit`."""
        return f"{self.operation} {' '.join(self.location)}".replace(" .", ".").replace(" [", "[").replace(" <", "<")

    @property
    def fact(self) -> tuple[str, str, str | None]:
        """The fact in the document, whatever operation meets it: (pointer, keyword, argument)."""
        return (self.pointer, self.keyword, self.argument)

    def describe(self) -> str:
        """The fact as the document states it, e.g. "`minimum: 1`" or "`required: bucket`"."""
        if self.keyword == "required" and self.argument is not None:
            return f"`required: {self.argument}`"
        if self.keyword == "required":
            return "`required: true`"
        if self.keyword in (MEDIA_TYPE, STATUS):
            return f"{'media type' if self.keyword == MEDIA_TYPE else 'status'} `{self.argument}`"
        return f"`{self.keyword}: {_show(self.raw)}`"

    @property
    def raw(self) -> Any:
        if isinstance(self.value, frozenset):
            return sorted(json.loads(item) if self.keyword in ("enum", "const") else item for item in self.value)
        return self.value


def _show(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    types = set(declared) if isinstance(declared, list) else {declared}
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def _variant_tag(document: Any, variant: Any, pointer: str, index: int) -> str:
    """A union variant's name: the property whose single value tells it apart (`vendor=s3`), else its index."""
    resolved, _ = resolve(document, variant, pointer)
    for name, prop in (resolved.get("properties") or {}).items():
        prop, _ = resolve(document, prop, "")
        if "const" in prop:
            return f"<{name}={prop['const']}>"
        if isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            return f"<{name}={prop['enum'][0]}>"
    return f"<#{index}>"


def schema_constraints(
    document: Any,
    schema: Any,
    pointer: str,
    operation: str,
    location: tuple[str, ...],
    seen: frozenset[str] = frozenset(),
    own: bool = False,
) -> Iterator[Constraint]:
    """Every narrowing keyword of a schema and the schemas inside it, `$ref`s followed.

    Args:
        document: The whole document.
        schema: The schema (or a `$ref` to it).
        pointer: Its JSON pointer.
        operation: The operationId it belongs to.
        location: Where it is in the operation.
        seen: Pointers already on the way here (a recursive schema is walked once).
        own: Walk only the keywords of `schema` itself (those beside a `$ref`), not the schema it names.

    Yields:
        The constraints.
    """
    if isinstance(schema, Mapping) and "$ref" in schema and set(schema) - {"$ref", "description", "summary", MARKS}:
        # OpenAPI 3.1 applies keywords beside a `$ref` as well as the schema it names: both narrow the value.
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        yield from schema_constraints(document, siblings, pointer, operation, location, seen, own=True)
    if not own:
        schema, pointer = resolve(document, schema, pointer)
    if not isinstance(schema, Mapping) or pointer in seen:
        return
    seen = seen | {pointer}
    types = _types(schema)
    if types is not None:
        yield Constraint(operation, location, "type", None, types, pointer)
    for keyword in ("enum", "const"):
        if keyword in schema:
            values = schema[keyword] if keyword == "enum" else [schema[keyword]]
            yield Constraint(operation, location, keyword, None, frozenset(json.dumps(v) for v in values), pointer)
    for keyword in SCHEMA_KEYWORDS:
        if keyword in ("type", "enum", "const", "required", "additionalProperties") or keyword not in schema:
            continue
        if keyword == "uniqueItems" and schema[keyword] is not True:
            continue
        yield Constraint(operation, location, keyword, None, schema[keyword], pointer)
    if schema.get("additionalProperties") is False:
        yield Constraint(operation, location, "additionalProperties", None, False, pointer)
    for name in schema.get("required") or []:
        yield Constraint(operation, location, "required", name, True, pointer)
    for name, prop in (schema.get("properties") or {}).items():
        yield from schema_constraints(
            document, prop, f"{pointer}/properties/{escape(name)}", operation, (*location, f".{name}"), seen
        )
    if isinstance(schema.get("items"), Mapping):
        yield from schema_constraints(document, schema["items"], f"{pointer}/items", operation, (*location, "[]"), seen)
    if isinstance(schema.get("additionalProperties"), Mapping):
        yield from schema_constraints(
            document,
            schema["additionalProperties"],
            f"{pointer}/additionalProperties",
            operation,
            (*location, "{}"),
            seen,
        )
    for index, part in enumerate(schema.get("allOf") or []):
        yield from schema_constraints(document, part, f"{pointer}/allOf/{index}", operation, location, seen)
    for keyword in ("oneOf", "anyOf"):
        for index, variant in enumerate(schema.get(keyword) or []):
            variant_pointer = f"{pointer}/{keyword}/{index}"
            tag = _variant_tag(document, variant, variant_pointer, index)
            yield from schema_constraints(document, variant, variant_pointer, operation, (*location, tag), seen)


@dataclass(frozen=True)
class OperationRef:
    """An operation of a document and where it is."""

    operation_id: str
    method: str
    path: str
    pointer: str
    spec: Mapping[str, Any]
    path_item: Mapping[str, Any]


def operations(document: Any) -> Iterator[OperationRef]:
    """Every operation of a document, in document order."""
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method in item:
                spec = item[method]
                yield OperationRef(
                    str(spec.get("operationId", f"{method.upper()} {path}")),
                    method,
                    path,
                    f"/paths/{escape(path)}/{method}",
                    spec,
                    item,
                )


def parameters(document: Any, operation: OperationRef) -> Iterator[tuple[Mapping[str, Any], str]]:
    chosen: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    for owner, owner_pointer in (
        (operation.path_item, operation.pointer.rsplit("/", 1)[0]),
        (operation.spec, operation.pointer),
    ):
        for index, reference in enumerate(owner.get("parameters") or []):
            parameter, pointer = resolve(document, reference, f"{owner_pointer}/parameters/{index}")
            chosen[(parameter["in"], parameter["name"])] = (parameter, pointer)
    yield from chosen.values()


def operation_constraints(document: Any, operation: OperationRef) -> Iterator[Constraint]:
    """Every constraint an operation meets: its parameters, its request body, its responses."""
    name = operation.operation_id
    for parameter, pointer in parameters(document, operation):
        location = (parameter["in"], parameter["name"])
        if parameter.get("required") is True and parameter["in"] != "path":
            yield Constraint(name, location, "required", None, True, pointer)
        if "schema" in parameter:
            yield from schema_constraints(document, parameter["schema"], f"{pointer}/schema", name, location)
    if "requestBody" in operation.spec:
        body, pointer = resolve(document, operation.spec["requestBody"], f"{operation.pointer}/requestBody")
        if body.get("required") is True:
            yield Constraint(name, ("body",), "required", None, True, pointer)
        for media_type, media in (body.get("content") or {}).items():
            media_pointer = f"{pointer}/content/{escape(media_type)}"
            if "schema" in media:
                yield from schema_constraints(
                    document, media["schema"], f"{media_pointer}/schema", name, ("body", media_type)
                )
    for status, reference in (operation.spec.get("responses") or {}).items():
        if str(status).startswith("x-"):
            continue
        response, pointer = resolve(document, reference, f"{operation.pointer}/responses/{escape(status)}")
        status = str(status).upper()
        yield Constraint(name, ("response", status), STATUS, status, True, pointer)
        for media_type, media in (response.get("content") or {}).items():
            media_pointer = f"{pointer}/content/{escape(media_type)}"
            yield Constraint(name, ("response", status), MEDIA_TYPE, media_type, True, media_pointer)
            if "schema" in media:
                yield from schema_constraints(
                    document, media["schema"], f"{media_pointer}/schema", name, ("response", status, media_type)
                )


def constraints(document: Any) -> Iterator[Constraint]:
    """Every constraint of every operation of a document."""
    for operation in operations(document):
        yield from operation_constraints(document, operation)


def _family(keyword: str) -> str:
    return "enum" if keyword in ("enum", "const") else keyword


def covered(constraint: Constraint, baseline: Mapping[tuple[Any, ...], list[Constraint]]) -> bool:
    """Whether the sources state the constraint (or a stricter one) at the same place of the same operation."""
    key = (constraint.operation, constraint.location, _family(constraint.keyword), constraint.argument)
    for stated in baseline.get(key, []):
        ours, theirs = constraint.value, stated.value
        keyword = constraint.keyword
        if keyword == "type":
            widened = set(ours) | ({"number"} if "number" in ours else set())
            if set(theirs) <= widened | ({"integer"} if "number" in ours else set()):
                return True
        elif keyword in ("enum", "const"):
            if set(theirs) <= set(ours):
                return True
        elif keyword in _LOWER_BOUNDS:
            if ours <= theirs:
                return True
        elif keyword in _UPPER_BOUNDS:
            if ours >= theirs:
                return True
        elif ours == theirs:
            return True
    return False


def index(found: Iterator[Constraint]) -> dict[tuple[Any, ...], list[Constraint]]:
    """Constraints by (operation, location, keyword family, argument), for `covered`."""
    indexed: dict[tuple[Any, ...], list[Constraint]] = {}
    for constraint in found:
        key = (constraint.operation, constraint.location, _family(constraint.keyword), constraint.argument)
        indexed.setdefault(key, []).append(constraint)
    return indexed
