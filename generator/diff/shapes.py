"""A schema as the wire rules compare it: `$ref`s followed, `allOf` merged, `oneOf`/`anyOf` as named variants, and
null (a 3.1 type array such as `type: [string, 'null']`, a null variant, a null in an enum) as one `nullable` flag.

Every fact keeps the pointer of the keyword that states it, so a rule names the line to look at."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .documents import Document, escape

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


@dataclass
class Shape:
    """One schema, normalised.

    Attributes:
        pointer: Where the schema is (after its `$ref`s).
        via: The pointers of the references passed to reach it.
        name: The component's name or the schema's `title`: what the generated class is called after.
        types: Its JSON types but null; None when any type goes.
        type_at: The pointer of the keyword stating it (`.../type`).
        nullable: Whether null is a value.
        nullable_at: The pointer of what says so: a type array, an enum, a null variant.
        enum: Its closed set of values (`enum`, `const`) but null; None when open.
        enum_at: The pointer of the keyword stating it.
        bounds: Each bound keyword: its value and its pointer.
        pattern: `pattern` and its pointer.
        format: `format` and its pointer.
        properties: Each property: its schema and pointer.
        required: Each required property: the pointer of the schema whose `required` names it.
        items: The schema of an array's items, and its pointer.
        variants: The `oneOf`/`anyOf` variants but null, by name: schema and pointer.
        variants_at: The pointer of the `oneOf` or `anyOf` keyword.
    """

    pointer: str
    via: tuple[str, ...] = ()
    name: str | None = None
    types: frozenset[str] | None = None
    type_at: str = ""
    nullable: bool = False
    nullable_at: str = ""
    enum: tuple[Any, ...] | None = None
    enum_at: str = ""
    bounds: dict[str, tuple[float, str]] = field(default_factory=dict)
    pattern: tuple[str, str] | None = None
    format: tuple[str, str] | None = None
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)
    items: tuple[Any, str] | None = None
    variants: dict[str, tuple[Any, str]] = field(default_factory=dict)
    variants_at: str = ""

    @property
    def is_object(self) -> bool:
        return bool(self.properties) or (self.types is not None and "object" in self.types)


def _is_null_only(schema: Mapping[str, Any]) -> bool:
    declared = schema.get("type")
    return (
        declared == "null"
        or declared == ["null"]
        or ("const" in schema and schema["const"] is None)
        or schema.get("enum") == [None]
    )


def component_name(pointer: str) -> str | None:
    """The name of the schema component a pointer names (`/components/schemas/Job`), else None."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas":
        return parts[3].replace("~1", "/").replace("~0", "~")
    return None


def variant_name(document: Document, variant: Any, pointer: str, index: int) -> str:
    """A union variant's name: the component it names, its title, the property whose one value tags it, or its
    position."""
    if isinstance(variant, Mapping) and isinstance(variant.get("$ref"), str):
        return str(variant["$ref"]).rsplit("/", 1)[-1]
    resolved, _, _ = document.resolve(variant, pointer)
    if isinstance(resolved, Mapping):
        if isinstance(resolved.get("title"), str):
            return str(resolved["title"])
        for name, prop in (resolved.get("properties") or {}).items():
            prop, _, _ = document.resolve(prop, f"{pointer}/properties/{escape(name)}")
            if isinstance(prop, Mapping) and "const" in prop:
                return f"{name}={prop['const']}"
    return f"#{index}"


def _merge(into: Shape, part: Shape) -> None:
    """Merge an `allOf` part: a value satisfies every part, so the narrower fact wins."""
    if part.types is not None:
        if into.types is None:
            into.types, into.type_at = part.types, part.type_at
        else:
            into.types = into.types & part.types
    if part.nullable and not into.nullable:
        into.nullable, into.nullable_at = True, part.nullable_at
    if part.enum is not None:
        if into.enum is None:
            into.enum, into.enum_at = part.enum, part.enum_at
        else:
            into.enum = tuple(value for value in into.enum if value in part.enum)
    for keyword, (value, at) in part.bounds.items():
        if (
            keyword not in into.bounds
            or (keyword in LOWER_BOUNDS and value > into.bounds[keyword][0])
            or (keyword in UPPER_BOUNDS and value < into.bounds[keyword][0])
        ):
            into.bounds[keyword] = (value, at)
    into.pattern = into.pattern or part.pattern
    into.format = into.format or part.format
    for name, prop in part.properties.items():
        into.properties.setdefault(name, prop)
    for name, at in part.required.items():
        into.required.setdefault(name, at)
    into.items = into.items or part.items
    for name, variant in part.variants.items():
        into.variants.setdefault(name, variant)
    into.variants_at = into.variants_at or part.variants_at
    into.name = into.name or part.name


def shape(document: Document, schema: Any, pointer: str, seen: frozenset[str] = frozenset()) -> Shape:
    """Normalise the schema at `pointer`.

    Args:
        document: The document.
        schema: The schema, or a `$ref` to it.
        pointer: Its pointer.
        seen: Pointers being normalised on the way here (a schema that contains itself through `allOf`).

    Returns:
        Its shape.
    """
    siblings: dict[str, Any] = {}
    if isinstance(schema, Mapping) and "$ref" in schema:
        # 3.1 applies the keywords beside a `$ref` as well as the schema it names.
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
    resolved, at, via = document.resolve(schema, pointer)
    result = Shape(pointer=at, via=via, name=component_name(at))
    if not isinstance(resolved, Mapping) or at in seen:
        return result
    seen = seen | {at}
    if isinstance(resolved.get("title"), str) and result.name is None:
        result.name = resolved["title"]
    _own(document, resolved, at, result, seen)
    if siblings:
        _merge(result, _own_shape(document, siblings, pointer, seen))
    return result


def _own_shape(document: Document, schema: Mapping[str, Any], pointer: str, seen: frozenset[str]) -> Shape:
    result = Shape(pointer=pointer)
    _own(document, schema, pointer, result, seen)
    return result


def _own(document: Document, schema: Mapping[str, Any], at: str, result: Shape, seen: frozenset[str]) -> None:
    declared = schema.get("type")
    if declared is not None:
        types = set(declared) if isinstance(declared, list) else {declared}
        if "null" in types:
            result.nullable, result.nullable_at = True, f"{at}/type"
        result.types, result.type_at = frozenset(types - {"null"}), f"{at}/type"
    elif "properties" in schema:
        result.types, result.type_at = frozenset({"object"}), f"{at}/type"
    elif "items" in schema:
        result.types, result.type_at = frozenset({"array"}), f"{at}/type"
    values, keyword_at = (schema.get("enum"), f"{at}/enum") if isinstance(schema.get("enum"), list) else (None, "")
    if "const" in schema:
        values, keyword_at = [schema["const"]], f"{at}/const"
    if values is not None:
        if None in values:
            result.nullable, result.nullable_at = True, keyword_at
        result.enum, result.enum_at = tuple(value for value in values if value is not None), keyword_at
    for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
        value = schema.get(keyword)
        if isinstance(value, int | float) and not isinstance(value, bool):
            result.bounds[keyword] = (value, f"{at}/{keyword}")
    if isinstance(schema.get("pattern"), str):
        result.pattern = (schema["pattern"], f"{at}/pattern")
    if isinstance(schema.get("format"), str):
        result.format = (schema["format"], f"{at}/format")
    for name, prop in (schema.get("properties") or {}).items():
        result.properties[name] = (prop, f"{at}/properties/{escape(name)}")
    for name in schema.get("required") or []:
        result.required[name] = at
    if isinstance(schema.get("items"), Mapping):
        result.items = (schema["items"], f"{at}/items")
    for index, part in enumerate(schema.get("allOf") or []):
        _merge(result, shape(document, part, f"{at}/allOf/{index}", seen))
    for keyword in ("oneOf", "anyOf"):
        variants = schema.get(keyword)
        if not isinstance(variants, list):
            continue
        real: dict[str, tuple[Any, str]] = {}
        for index, variant in enumerate(variants):
            variant_pointer = f"{at}/{keyword}/{index}"
            resolved, _, _ = document.resolve(variant, variant_pointer)
            if isinstance(resolved, Mapping) and _is_null_only(resolved):
                result.nullable, result.nullable_at = True, variant_pointer
                continue
            real[variant_name(document, variant, variant_pointer, index)] = (variant, variant_pointer)
        if len(real) == 1 and len(variants) > 1 and result.types is None and not result.properties:
            # `anyOf: [X, {type: 'null'}]` is X, nullable: the generated code types it `X | None`.
            (variant, variant_pointer), *_ = real.values()
            _merge(result, shape(document, variant, variant_pointer, seen))
        else:
            result.variants.update(real)
            result.variants_at = f"{at}/{keyword}"
