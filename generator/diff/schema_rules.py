"""The schema rules: two schemas compared as one side of the wire meets them. In a request, what the old client sends
must still be accepted (a narrower type, bound or enum, a new required property breaks); in a response, what the new
server sends must still be read by the old client (a wider type, a new enum value or union variant, a property that
may be missing or null breaks). Properties, items and variants are compared in turn, each with its own pointer."""

import json
from dataclasses import dataclass, replace
from typing import Any

from .changes import Level, OperationLabel, Side, Touch
from .documents import Document, escape
from .rules import Rules
from .shapes import LOWER_BOUNDS, UPPER_BOUNDS, Shape, component_name, shape


def _show(value: Any) -> str:
    return f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value)}`"


def _types(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " | ".join(sorted(types)) or "nothing"


def _accepts(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Whether every value of the types `narrow` is of the types `wide` (an integer is a number)."""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(kind in wide or (kind == "integer" and "number" in wide) for kind in narrow)


@dataclass(frozen=True)
class Context:
    """Where a schema comparison is, for the rule names and messages.

    Attributes:
        side: request or response.
        operation: The operation.
        prefix: The rule names' prefix: request-parameter, request-body, request-property, response-body,
            response-property.
        where: The thing, readable: "query parameter `limit`", "`Job.status`", "the 200 response body".
        touches: What a change of the schema itself touches in the generated code.
    """

    side: Side
    operation: OperationLabel
    prefix: str
    where: str
    touches: tuple[Touch, ...] = ()

    def inside(self, where: str, touches: tuple[Touch, ...] | None = None) -> "Context":
        """The context of a schema inside this one (a property, the items, a variant): a body's rules become its
        properties' rules."""
        prefix = {"request-body": "request-property", "response-body": "response-property"}.get(
            self.prefix, self.prefix
        )
        return replace(self, prefix=prefix, where=where, touches=self.touches if touches is None else touches)


class SchemaRules(Rules):
    """The rules about what a schema allows, met in a request or a response."""

    def _schema(
        self,
        old_schema: Any,
        old_pointer: str,
        new_schema: Any,
        new_pointer: str,
        context: Context,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        old = shape(self.old, old_schema, old_pointer)
        new = shape(self.new, new_schema, new_pointer)
        if (old.pointer, new.pointer) in seen:
            return
        seen = seen | {(old.pointer, new.pointer)}
        for at in (old.pointer, new.pointer, *old.via, *new.via):
            self.judged.update(f"{at}/{keyword}" for keyword in _NORMALISED)
        # A named schema is a generated class: what changes in it is about that class, wherever it is met.
        if new.name:
            context = replace(context, touches=(Touch("schema", (new.name,)),))
        self._renamed(old, new, context)
        self._types(old, new, context)
        self._nullable(old, new, context)
        self._enum(old, new, context)
        self._bounds(old, new, context)
        self._text_constraints(old, new, context)
        if old.is_object or new.is_object:
            self._properties(old, new, context, seen)
        if old.items and new.items:
            self._schema(*old.items, *new.items, context.inside(f"{context.where}[]"), seen)
        self._variants(old, new, context, seen)

    def _subject(self, at: str, shape_: Shape, context: Context) -> str:
        """The thing a keyword at `at` belongs to: a named schema, or where the comparison is."""
        holder = at.rsplit("/", 1)[0]
        if shape_.name and holder in (shape_.pointer, *shape_.via) and holder.startswith("/components/schemas/"):
            return f"`{shape_.name}`"
        return context.where

    def _found(
        self,
        context: Context,
        rule: str,
        level: Level,
        pointer: str,
        title: str,
        message: str,
        *,
        addition: bool = False,
        explains: tuple[str, ...] = (),
        touches: tuple[Touch, ...] | None = None,
    ) -> None:
        """Record a finding of the comparison `context` describes: its operation and side, and what it touches unless
        `touches` names something else."""
        self._add(
            rule,
            level,
            pointer,
            title,
            message,
            operation=context.operation,
            side=context.side,
            addition=addition,
            explains=explains,
            touches=context.touches if touches is None else touches,
        )

    def _renamed(self, old: Shape, new: Shape, context: Context) -> None:
        old_name, new_name = component_name(old.pointer), component_name(new.pointer)
        if old_name is None or new_name is None or old_name == new_name:
            return
        renamed = old.pointer not in _component_pointers(self.new) and new.pointer not in _component_pointers(self.old)
        self._found(
            context,
            "schema-renamed" if renamed else "schema-reference-changed",
            "info",
            new.pointer,
            f"`{old.name}` {'renamed to' if renamed else 'replaced by'} `{new.name}`",
            "the same on the wire, where the schemas agree (judged below)",
            explains=(*old.via, *new.via, old.pointer, new.pointer) if renamed else (*old.via, *new.via),
            touches=(Touch("schema", (str(old.name),)), Touch("schema", (str(new.name),))),
        )

    def _types(self, old: Shape, new: Shape, context: Context) -> None:
        if old.types == new.types:
            return
        request = context.side == "request"
        wide, narrow = (new.types, old.types) if request else (old.types, new.types)
        breaking = not _accepts(wide, narrow)
        if breaking:
            rule = f"{context.prefix}-type-changed"
            message = (
                "a value old clients send may be refused"
                if request
                else "old clients may fail to read what the new server sends"
            )
        else:
            rule = f"{context.prefix}-type-{'generalized' if request else 'specialized'}"
            message = "what old clients send is still accepted" if request else "old clients still read it"
        at = new.type_at or old.type_at
        title = f"{self._subject(at, new, context)}: type {_types(old.types)} → {_types(new.types)}"
        self._found(context, rule, "breaking" if breaking else "info", at, title, message, explains=(at, old.type_at))

    def _nullable(self, old: Shape, new: Shape, context: Context) -> None:
        if old.nullable == new.nullable:
            return
        request = context.side == "request"
        breaking = old.nullable if request else new.nullable
        at = new.nullable_at or old.nullable_at
        subject = self._subject(at, new, context)
        if new.nullable:
            rule, title = f"{context.prefix}-became-nullable", f"{subject} became nullable"
            message = "old clients cannot read a null" if not request else "the new server accepts null too"
        else:
            rule, title = f"{context.prefix}-became-not-nullable", f"{subject} is no longer nullable"
            message = "old clients may send null, which is refused" if request else "old clients still read it"
        level: Level = "breaking" if breaking else "info"
        self._found(context, rule, level, at, title, message, explains=(at, old.nullable_at))

    def _enum(self, old: Shape, new: Shape, context: Context) -> None:
        if old.enum == new.enum:
            return
        request = context.side == "request"
        at = new.enum_at or old.enum_at
        subject = self._subject(at, new, context)
        explains = (at, old.enum_at)

        def add(
            rule: str, breaking: bool, title: str, message: str, touches: tuple[Touch, ...], addition: bool
        ) -> None:
            self._found(
                context,
                f"{context.prefix}-{rule}",
                "breaking" if breaking else "info",
                at,
                f"{subject}: {title}",
                message,
                addition=addition,
                explains=explains,
                touches=context.touches + touches,
            )

        if new.enum is None:
            add(
                "enum-removed",
                not request,
                "no longer a closed set of values",
                "what old clients send is still accepted"
                if request
                else "old clients cannot read a value beyond the old set",
                (),
                False,
            )
            return
        if old.enum is None:
            add(
                "enum-added",
                request,
                f"now limited to {', '.join(_show(value) for value in new.enum)}",
                "old clients may send a value now refused" if request else "old clients still read it",
                (),
                False,
            )
            return
        name = new.name or old.name
        for value in [value for value in new.enum if value not in old.enum]:
            add(
                "enum-value-added",
                not request,
                f"value {_show(value)} added",
                "the new server accepts it; old clients never send it"
                if request
                else "a client generated from the old document cannot read it: its enum has no member for it, so the "
                "whole answer reads as undocumented",
                (Touch("member", (name, str(value))),) if name else (),
                True,
            )
        for value in [value for value in old.enum if value not in new.enum]:
            add(
                "enum-value-removed",
                request,
                f"value {_show(value)} removed",
                "old clients may send it, and the new server refuses it"
                if request
                else "the new server no longer sends it; old clients read what it does send",
                (Touch("member", (name, str(value))),) if name else (),
                False,
            )

    def _bounds(self, old: Shape, new: Shape, context: Context) -> None:
        request = context.side == "request"
        for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.bounds.get(keyword), new.bounds.get(keyword)
            if (before and before[0]) == (after and after[0]) and (before is None) == (after is None):
                continue
            lower = keyword in LOWER_BOUNDS
            if before is None:
                narrowed = True
            elif after is None:
                narrowed = False
            else:
                narrowed = after[0] > before[0] if lower else after[0] < before[0]
            at = (after or before or (0, new.pointer))[1]
            shown = f"`{keyword}` {before[0] if before else 'none'} → {after[0] if after else 'none'}"
            if request:
                rule = f"{context.prefix}-bounds-{'narrowed' if narrowed else 'widened'}"
                level: Level = "breaking" if narrowed else "info"
                message = (
                    "a value old clients send may now be refused"
                    if narrowed
                    else "what old clients send is still accepted"
                )
            else:
                rule, level = f"{context.prefix}-bounds-changed", "info"
                message = "generated clients do not check bounds: old clients still read it"
            self._found(
                context,
                rule,
                level,
                at,
                f"{self._subject(at, new, context)}: {shown}",
                message,
                explains=(at, (before or after or (0, at))[1]),
            )

    def _text_constraints(self, old: Shape, new: Shape, context: Context) -> None:
        for keyword, before, after in (("pattern", old.pattern, new.pattern), ("format", old.format, new.format)):
            if (before and before[0]) == (after and after[0]):
                continue
            at = (after or before or ("", new.pointer))[1]
            removed = after is None
            request = context.side == "request"
            self._found(
                context,
                f"{context.prefix}-{keyword}-{'removed' if removed else 'changed'}",
                "info" if removed and request else "warning",
                at,
                f"{self._subject(at, new, context)}: `{keyword}` {_show(before[0]) if before else 'none'} → "
                f"{_show(after[0]) if after else 'none'}",
                "what it accepts or sends may differ: review the values by hand",
                explains=(at, (before or ("", at))[1]),
            )

    def _properties(self, old: Shape, new: Shape, context: Context, seen: frozenset[tuple[str, str]]) -> None:
        request = context.side == "request"
        owner = new.name or old.name

        def where(name: str) -> str:
            return f"`{owner}.{name}`" if owner else f"{context.where}.`{name}`"

        def touch(name: str) -> tuple[Touch, ...]:
            return (Touch("property", (owner, name)),) if owner else context.touches

        for name in [name for name in new.properties if name not in old.properties]:
            _, pointer = new.properties[name]
            required = name in new.required
            explains = (pointer, *((f"{new.required[name]}/required",) if required else ()))
            if request:
                self._found(
                    context,
                    "new-required-request-property" if required else "new-optional-request-property",
                    "breaking" if required else "info",
                    pointer,
                    f"{where(name)} added{', required' if required else ''}",
                    "old clients do not send it, so the new server refuses their request"
                    if required
                    else "old clients do not send it; the new server does without",
                    addition=not required,
                    explains=explains,
                    touches=touch(name),
                )
            else:
                self._found(
                    context,
                    "response-property-added",
                    "info",
                    pointer,
                    f"{where(name)} added{', required' if required else ''}",
                    "old clients keep it among the model's additional properties",
                    addition=True,
                    explains=explains,
                    touches=touch(name),
                )
        for name in [name for name in old.properties if name not in new.properties]:
            _, pointer = old.properties[name]
            required = name in old.required and self.client_requires(old.required[name], name)
            explains = (pointer, *((f"{old.required[name]}/required",) if name in old.required else ()))
            if request:
                rule, level, message = (
                    "request-property-removed",
                    "warning",
                    "old clients still send it: the new server ignores it, or refuses it",
                )
            elif required:
                rule, level, message = (
                    "response-required-property-removed",
                    "breaking",
                    "a client generated from the old document requires it: it cannot read the answer",
                )
            else:
                rule, level, message = (
                    "response-optional-property-removed",
                    "warning",
                    "old clients read it as absent; code that relied on it gets nothing",
                )
            self._found(
                context,
                rule,
                level,  # type: ignore[arg-type]
                pointer,
                f"{where(name)} removed",
                message,
                explains=explains,
                touches=touch(name),
            )
        for name in [name for name in new.properties if name in old.properties]:
            old_required, new_required = name in old.required, name in new.required
            pointer = new.properties[name][1]
            if old_required != new_required:
                required_at = new.required.get(name) or old.required[name]
                explains = (f"{required_at}/required", f"{old.required.get(name, required_at)}/required")
                if request:
                    self._found(
                        context,
                        "request-property-became-required" if new_required else "request-property-became-optional",
                        "breaking" if new_required else "info",
                        pointer,
                        f"{where(name)} became {'required' if new_required else 'optional'}",
                        "old clients may leave it out, and the new server refuses their request"
                        if new_required
                        else "what old clients send is still accepted",
                        explains=explains,
                        touches=touch(name),
                    )
                elif new_required:
                    self._found(
                        context,
                        "response-property-became-required",
                        "info",
                        pointer,
                        f"{where(name)} became required",
                        "old clients read it as before",
                        explains=explains,
                        touches=touch(name),
                    )
                else:
                    client_required = self.client_requires(old.required[name], name)
                    self._found(
                        context,
                        "response-property-became-optional",
                        "breaking" if client_required else "info",
                        pointer,
                        f"{where(name)} became optional",
                        "a client generated from the old document requires it: an answer without it cannot be read"
                        if client_required
                        else "the generated client already reads it as optional (its requiredness was assumed)",
                        explains=explains,
                        touches=touch(name),
                    )
            old_schema, old_pointer = old.properties[name]
            new_schema, new_pointer = new.properties[name]
            inner = context.inside(where(name), touch(name))
            self._schema(old_schema, old_pointer, new_schema, new_pointer, inner, seen)

    def _variants(self, old: Shape, new: Shape, context: Context, seen: frozenset[tuple[str, str]]) -> None:
        if not old.variants or not new.variants:
            return
        request = context.side == "request"
        for change, shape_, other in (("added", new, old), ("removed", old, new)):
            # A variant more breaks what the old client reads, a variant less what it sends.
            breaking = request == (change == "removed")
            for name in [name for name in shape_.variants if name not in other.variants]:
                self._found(
                    context,
                    f"{context.prefix}-union-variant-{change}",
                    "breaking" if breaking else "info",
                    shape_.variants[name][1],
                    f"{self._subject(shape_.variants_at, shape_, context)}: variant `{name}` {change}",
                    _VARIANT_MESSAGES[context.side, change],
                    addition=change == "added" and not breaking,
                    touches=(*context.touches, Touch("schema", (name,))),
                )
        for name in [name for name in new.variants if name in old.variants]:
            inner = context.inside(f"{context.where} (`{name}`)")
            self._schema(*old.variants[name], *new.variants[name], inner, seen)


# What a union's variant added or removed means, by side.
_VARIANT_MESSAGES = {
    ("request", "added"): "the new server accepts it too",
    ("request", "removed"): "old clients may send it, and the new server refuses it",
    ("response", "added"): "old clients cannot read a value of the new variant",
    ("response", "removed"): "the new server no longer sends it",
}
# What `shapes` reads a schema's meaning from, however it is spelled; each property and variant is compared on its own.
_NORMALISED = ("$ref", "type", "anyOf", "oneOf", "allOf", "enum", "const", "properties", "required", "items")


def _component_pointers(document: Document) -> set[str]:
    schemas = (document.data.get("components") or {}).get("schemas") or {}
    return {f"/components/schemas/{escape(name)}" for name in schemas}
