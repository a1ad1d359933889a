"""JSON Schema validation against the schemas inside an OpenAPI document, with each problem told in one line.

Validators are compiled once per schema location (`SchemaCompiler.compile`) and resolve `$ref`s through a registry
that holds the whole document, so a schema can point anywhere in it.

Problem messages quote the offending value only when that is safe: never a value at or below a sensitive property
(credentials), and never an object or an array, which can hold anything; those are named instead ("the value of
'secretAccessKey'", "an object"). A failed `oneOf`/`anyOf` is narrowed to the branch the value was meant for, told by
a `const` or `enum` property the branches disagree on (the slurper `source` is told apart by `vendor`), so the message
says what is wrong in that branch instead of "is not valid under any of the given schemas".
"""

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mock_server.openapi.formats import format_checker

_LONGEST_QUOTED_STRING = 40
_ALTERNATIVES = ("oneOf", "anyOf")
_TAG_KEYWORDS = ("const", "enum")

Location = tuple[str | int, ...]


def json_pointer(segments: Iterable[str | int]) -> str:
    """Build a JSON pointer (RFC 6901) from path segments.

    Args:
        segments: Object keys and array indexes, outermost first.

    Returns:
        The pointer, e.g. "/paths/~1accounts~1{account_id}~1slurper~1jobs" or "" for the whole document.
    """
    return "".join("/" + str(segment).replace("~", "~0").replace("/", "~1") for segment in segments)


def sensitive_property_names(contents: Any) -> frozenset[str]:
    """Find the properties a document marks as secret (`writeOnly: true` or `x-sensitive: true`).

    Args:
        contents: The whole document.

    Returns:
        The names of those properties, wherever they are declared.
    """
    names: set[str] = set()
    for node in _walk(contents):
        properties = node.get("properties")
        if not isinstance(properties, Mapping):
            continue
        for name, schema in properties.items():
            if isinstance(schema, Mapping) and (schema.get("writeOnly") is True or schema.get("x-sensitive") is True):
                names.add(name)
    return frozenset(names)


def _walk(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@dataclass(frozen=True)
class SchemaProblem:
    """Why a value does not match a schema.

    Attributes:
        message: What is wrong, e.g. "'bucket' is a required property".
        location: Where the offending value is inside the validated value, e.g. ("source",); empty for the value
            itself. For a missing property this is the object that lacks it.
        pointer: A JSON pointer to the offending or missing value, e.g. "/source/bucket".
    """

    message: str
    location: Location
    pointer: str

    def describe(self) -> str:
        """Tell the problem with its location.

        Returns:
            E.g. "'bucket' is a required property (at source)".
        """
        if not self.location:
            return self.message
        return f"{self.message} (at {'/'.join(str(segment) for segment in self.location)})"


class CompiledSchema:
    """A validator for one schema of the document.

    Two validators check the same schema: jsonschema_rs (compiled Rust, some fifty times faster) tells the valid
    values, which are most of them; jsonschema (the one whose errors make the messages) has the last word on every
    other value, so a value jsonschema_rs cannot take (a lone surrogate, an integer beyond 64 bits) or judges more
    strictly (a `$` before a trailing newline) is decided exactly as jsonschema alone would decide it. The `format`
    checks jsonschema_rs runs are jsonschema's own functions (`formats`), so it is never the more lenient one.
    """

    def __init__(
        self,
        validator: Draft202012Validator,
        sensitive_properties: frozenset[str],
        fast: jsonschema_rs.Validator | None = None,
    ) -> None:
        """Wrap the compiled validators.

        Args:
            validator: The jsonschema validator.
            sensitive_properties: Property names whose values (and everything below them) are never quoted.
            fast: The jsonschema_rs validator of the same schema, or None.
        """
        self._validator = validator
        self._sensitive_properties = sensitive_properties
        self._fast = fast

    def problem(self, instance: Any) -> SchemaProblem | None:
        """Validate a value.

        Args:
            instance: The value, as parsed from JSON.

        Returns:
            The most relevant problem, or None when the value is valid.
        """
        if self._fast is not None and _fast_says_valid(self._fast, instance):
            return None
        # Telling a valid value is quicker than looking for the best of its errors.
        if self._validator.is_valid(instance):
            return None
        error = best_match(self._validator.iter_errors(instance))
        if error is None:
            return None
        return _describe(error, self._sensitive_properties)


def _fast_says_valid(fast: jsonschema_rs.Validator, instance: Any) -> bool:
    try:
        return fast.is_valid(instance)
    except (ValueError, TypeError, OverflowError, RecursionError):
        # Something it cannot take as JSON (a value nested too deeply, say): jsonschema decides.
        return False


class SchemaCompiler:
    """Compiles validators for schemas inside one OpenAPI document."""

    def __init__(self, contents: Mapping[str, Any], *, uri: str, sensitive_properties: frozenset[str]) -> None:
        """Register the document so that `$ref`s can be resolved.

        Args:
            contents: The whole document.
            uri: An absolute URI to register the document under.
            sensitive_properties: Property names whose values are never quoted in problem messages.
        """
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(uri, resource)
        self._resolver = self._registry.resolver(base_uri=uri)
        self._uri = uri
        self._format_checker = format_checker()
        self._fast_registry = jsonschema_rs.Registry([(uri, dict(contents))])
        self._fast_formats: dict[str, Callable[..., bool]] = {
            name: functools.partial(_conforms, self._format_checker, name) for name in self._format_checker.checkers
        }
        self._sensitive_properties = sensitive_properties
        self._compiled: dict[str, CompiledSchema] = {}

    def compile(self, pointer: str) -> CompiledSchema:
        """Compile the schema at a location of the document (once; later calls return the same validator).

        Args:
            pointer: A JSON pointer to the schema, e.g. "/components/schemas/Job".

        Returns:
            The compiled schema.
        """
        compiled = self._compiled.get(pointer)
        if compiled is None:
            # The `$ref`s that lead to the schema (a parameter's `{$ref: ...}` to a component, say) are followed here,
            # once, instead of on every validation: the validator starts at the schema itself, with a resolver that
            # knows where in the document it is, so the `$ref`s inside it still resolve.
            resolved = self._resolver.lookup(f"{self._uri}#{quote(pointer, safe='/~')}")
            while isinstance(resolved.contents, Mapping) and set(resolved.contents) == {"$ref"}:
                resolved = resolved.resolver.lookup(resolved.contents["$ref"])
            validator = Draft202012Validator(  # type: ignore[call-arg]
                resolved.contents,
                registry=self._registry,
                format_checker=self._format_checker,
                # How jsonschema itself starts a validator inside a resource, for every `$ref` (jsonschema is
                # pinned; the stubs leave this keyword out).
                _resolver=resolved.resolver,
            )
            fast = jsonschema_rs.Draft202012Validator(
                {"$ref": f"{self._uri}#{quote(pointer, safe='/~')}"},
                registry=self._fast_registry,
                formats=self._fast_formats,
                validate_formats=True,
            )
            compiled = self._compiled[pointer] = CompiledSchema(validator, self._sensitive_properties, fast)
        return compiled


def _conforms(checker: FormatChecker, name: str, instance: Any) -> bool:
    return checker.conforms(instance, name)


def _describe(error: ValidationError, sensitive: frozenset[str]) -> SchemaProblem:
    while error.validator in _ALTERNATIVES and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for suberror in error.context:
            branches.setdefault(suberror.relative_schema_path[0], []).append(suberror)
        mismatched = {index: [e for e in errors if _is_tag_mismatch(e)] for index, errors in branches.items()}
        meant = [index for index, mismatches in mismatched.items() if not mismatches]
        if not meant:
            unknown_tag = _unknown_tag(error, [e for mismatches in mismatched.values() for e in mismatches])
            if unknown_tag is not None:
                return unknown_tag
        narrowed = best_match(e for index in (meant or branches) for e in branches[index])
        if narrowed is None:
            break
        error = narrowed
    location = tuple(error.absolute_path)
    if error.validator == "required":
        # jsonschema names the missing property only in its message: "'bucket' is a required property".
        required = cast(list[str], error.validator_value)
        missing = [name for name in required if error.message.startswith(repr(name))]
        return SchemaProblem(error.message, location, json_pointer((*location, *missing[:1])))
    return SchemaProblem(_message(error, location, sensitive), location, json_pointer(location))


def _is_tag_mismatch(error: ValidationError) -> bool:
    return error.validator in _TAG_KEYWORDS and len(error.relative_path) == 1


def _unknown_tag(error: ValidationError, mismatches: Sequence[ValidationError]) -> SchemaProblem | None:
    """Explain a value that matches no branch's tag, e.g. a `source` whose `vendor` is "ftp"."""
    tags = {mismatch.relative_path[0] for mismatch in mismatches}
    if len(tags) != 1:
        return None
    tag = tags.pop()
    allowed: list[Any] = []
    for mismatch in mismatches:
        value_or_values = cast(Any, mismatch.validator_value)
        values = [value_or_values] if mismatch.validator == "const" else list(value_or_values)
        allowed.extend(value for value in values if value not in allowed)
    location = (*error.absolute_path, tag)
    instance = cast(Mapping[Any, Any], error.instance)
    message = f"{_quote(instance[tag])} is not one of {allowed!r}"
    return SchemaProblem(message, location, json_pointer(location))


def _message(error: ValidationError, location: Location, sensitive: frozenset[str]) -> str:
    is_sensitive = any(segment in sensitive for segment in location if isinstance(segment, str))
    if is_sensitive:
        names = [segment for segment in location if isinstance(segment, str)]
        subject = f"the value of {names[-1]!r}"
    else:
        subject = _quote(error.instance)
    message: str = error.message
    instance_repr = repr(error.instance)
    if message.startswith(instance_repr):
        return subject + message[len(instance_repr) :]
    if instance_repr in message and (is_sensitive or subject != instance_repr):
        return f"{subject} does not satisfy the {error.validator!r} keyword"
    return message


def _quote(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str) and len(value) > _LONGEST_QUOTED_STRING:
        return repr(value[:_LONGEST_QUOTED_STRING] + "...")
    return repr(value)
