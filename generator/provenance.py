"""Where every fact of a document comes from: sourced (a seed, a section of the reference, the vendor's own schema) or
assumed (this project's best guess, with its reason).

A document states two kinds of facts, and both carry their mark in the document itself:

- **Constraints**: a keyword that narrows what a server may send or must accept (`required`, bounds, lengths,
  `pattern`, `format`, a closed `enum` or `const`, a `type`), a media type, a status code. The mark sits in an
  `x-provenance` object beside the keyword, in the object that holds it::

      limit:
        schema:
          type: integer
          minimum: 1
          x-provenance:
            minimum:
              assumed: A page of no jobs has no meaning.
      Job:
        required: [id, status]
        x-provenance:
          required:
            id:
              sourced: reference §5

  On a parameter or a request body `x-provenance.required` marks its `required: true`; on a media type object
  `x-provenance.mediaType` marks the media type; on a response object `x-provenance.status` marks the status.
- **Behaviour**: what the conformance suite expects beyond the schema (an unknown route's answer, a state machine's
  rule). Each is an entry of the document's root `x-facts`, named, with a `statement` and its mark; the suite's checks
  and lifecycle assertions name the fact they enforce, and `checks` lists schemathesis' own checks that stand on it.

A mark is `{sourced: <citation>}` or `{assumed: <reason>}`. A citation starts with `official` (the vendor's schema),
`seed NNN` or `reference §N`. The audit (`audit`) walks a document against the facts its sources state (the document's
`x-sources.baseline`: the vendor's schema, or a table of sourced facts written as an OpenAPI fragment) and reports
every constraint the sources do not state that carries no mark. `sourced_only` gives the document with every assumed
constraint taken out: what a server that honours the vendor's contract must satisfy.
"""

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MARKS = "x-provenance"
FACTS = "x-facts"
SOURCES = "x-sources"
KINDS = ("sourced", "assumed")
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
_CITATION = re.compile(r"^(official|seed [0-9]{3}|reference §[0-9]+(\.[0-9]+)*)\b")
_SECTION = re.compile(r"§([0-9]+(?:\.[0-9]+)*)")
_SEED = re.compile(r"\bseed ([0-9]{3})\b")


class ProvenanceError(Exception):
    """A document's marks are malformed, or its sources cannot be read."""


@dataclass(frozen=True)
class Mark:
    """Where one fact comes from.

    Attributes:
        kind: "sourced" or "assumed".
        text: The citation (sourced) or the reason (assumed).
    """

    kind: Literal["sourced", "assumed"]
    text: str

    @property
    def assumed(self) -> bool:
        return self.kind == "assumed"

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


def parse_mark(value: Any, where: str) -> Mark:
    """Read a mark (`{sourced: ...}` or `{assumed: ...}`).

    Args:
        value: The mark as written.
        where: Where it is, for the error.

    Returns:
        The mark.

    Raises:
        ProvenanceError: It is not exactly one of the two forms, or a citation does not start with a source.
    """
    if not isinstance(value, Mapping) or len(value) != 1 or next(iter(value)) not in KINDS:
        raise ProvenanceError(f"{where}: a mark is {{sourced: <citation>}} or {{assumed: <reason>}}, not {value!r}")
    kind, text = next(iter(value.items()))
    if not isinstance(text, str) or not text.strip():
        raise ProvenanceError(f"{where}: the {kind} mark needs a {'citation' if kind == 'sourced' else 'reason'}")
    if kind == "sourced" and not _CITATION.match(text):
        raise ProvenanceError(
            f"{where}: a citation starts with `official`, `seed NNN` or `reference §N`, not {text[:40]!r}"
        )
    return Mark(kind, text.strip())


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


def _parameters(document: Any, operation: OperationRef) -> Iterator[tuple[Mapping[str, Any], str]]:
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
    for parameter, pointer in _parameters(document, operation):
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


def mark_of(document: Any, constraint: Constraint) -> Mark | None:
    """The mark a constraint carries in the document, if any."""
    node = lookup(document, constraint.pointer)
    marks = node.get(MARKS) if isinstance(node, Mapping) else None
    if not isinstance(marks, Mapping) or constraint.keyword not in marks:
        return None
    value = marks[constraint.keyword]
    where = f"{constraint.pointer}/{MARKS}/{constraint.keyword}"
    if constraint.keyword == "required" and constraint.argument is not None:
        if not isinstance(value, Mapping) or constraint.argument not in value:
            return None
        return parse_mark(value[constraint.argument], f"{where}/{escape(constraint.argument)}")
    return parse_mark(value, where)


@dataclass(frozen=True)
class MarkedNode:
    """One `x-provenance` entry of a document: the node that carries it, the keyword, the property (for `required`
    of a schema) and the mark."""

    pointer: str
    keyword: str
    argument: str | None
    mark: Mark


def _walk(node: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    if isinstance(node, Mapping):
        yield node, pointer
        for key, value in node.items():
            if key not in (MARKS, FACTS, SOURCES):
                yield from _walk(value, f"{pointer}/{escape(key)}")
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{position}")


def marked(document: Any) -> Iterator[MarkedNode]:
    """Every mark of a document's `x-provenance` objects, in document order.

    Raises:
        ProvenanceError: A mark is malformed.
    """
    for node, pointer in _walk(document, ""):
        marks = node.get(MARKS)
        if marks is None:
            continue
        if not isinstance(marks, Mapping):
            raise ProvenanceError(f"{pointer}/{MARKS}: a map of keyword -> mark")
        for keyword, value in marks.items():
            where = f"{pointer}/{MARKS}/{escape(keyword)}"
            is_schema_required = keyword == "required" and isinstance(node.get("required"), list)
            if is_schema_required:
                if not isinstance(value, Mapping):
                    raise ProvenanceError(f"{where}: a schema's `required` is marked per property: {{name: mark}}")
                for name, mark in value.items():
                    yield MarkedNode(pointer, keyword, str(name), parse_mark(mark, f"{where}/{escape(name)}"))
            else:
                yield MarkedNode(pointer, keyword, None, parse_mark(value, where))


@dataclass(frozen=True)
class Fact:
    """A behaviour the suite expects beyond the schema (`x-facts`).

    Attributes:
        name: Its name in `x-facts`.
        statement: What a server does.
        mark: Where that comes from.
        checks: schemathesis' own checks that stand on it (their failures are this fact's).
    """

    name: str
    statement: str
    mark: Mark
    checks: tuple[str, ...] = ()

    @property
    def pointer(self) -> str:
        return f"/{FACTS}/{escape(self.name)}"


def facts(document: Any) -> dict[str, Fact]:
    """The document's behaviour facts by name.

    Raises:
        ProvenanceError: One is malformed.
    """
    found: dict[str, Fact] = {}
    for name, entry in (document.get(FACTS) or {}).items():
        where = f"/{FACTS}/{escape(name)}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("statement"), str):
            raise ProvenanceError(f"{where}: a fact has a `statement` and a mark (sourced or assumed)")
        unknown = set(entry) - {"statement", "checks", *KINDS}
        if unknown:
            raise ProvenanceError(f"{where}: unknown keys {sorted(unknown)}")
        mark = parse_mark({kind: entry[kind] for kind in KINDS if kind in entry}, where)
        checks = entry.get("checks") or []
        if not isinstance(checks, list) or not all(isinstance(check, str) for check in checks):
            raise ProvenanceError(f"{where}/checks: a list of schemathesis check names")
        found[name] = Fact(name, entry["statement"].strip(), mark, tuple(checks))
    return found


def check_marks(document: Any) -> list[str]:
    """What is wrong with a document's marks on their own (no sources needed): malformed marks, marks of keywords the
    node does not have. `generator.lint` runs it before every generation.

    Returns:
        The problems, empty when there are none.
    """
    try:
        found = list(marked(document))
        facts(document)
    except ProvenanceError as error:
        return [str(error)]
    problems = []
    for entry in found:
        node = lookup(document, entry.pointer)
        where = f"{entry.pointer}/{MARKS}/{escape(entry.keyword)}"
        if entry.keyword == MEDIA_TYPE:
            if not re.search(r"/content/[^/]+$", entry.pointer):
                problems.append(f"{where}: `mediaType` marks a media type object")
        elif entry.keyword == STATUS:
            if not re.search(r"/responses/[^/]+$", entry.pointer):
                problems.append(f"{where}: `status` marks a response object")
        elif entry.keyword not in SCHEMA_KEYWORDS:
            problems.append(f"{where}: {entry.keyword!r} is not a keyword that narrows anything")
        elif entry.keyword not in node:
            problems.append(f"{where}: the node has no {entry.keyword!r} to mark")
        elif entry.argument is not None and entry.argument not in node["required"]:
            problems.append(f"{where}/{escape(entry.argument)}: {entry.argument!r} is not in `required`")
    return problems


@dataclass(frozen=True)
class Sources:
    """What a document is built from (its `x-sources`), with paths resolved.

    Attributes:
        seeds: The seed files.
        reference: The reference file.
        baseline: The facts its sources state, as an OpenAPI fragment (the vendor's schema, or a table).
    """

    seeds: dict[str, Path]
    reference: Path
    baseline: Path


def sources(document: Any, root: Path) -> Sources:
    """Read a document's `x-sources`.

    Args:
        document: The document.
        root: The repository root the paths are relative to.

    Raises:
        ProvenanceError: `x-sources` is missing or names files that do not exist.
    """
    declared = document.get(SOURCES)
    if not isinstance(declared, Mapping):
        raise ProvenanceError(f"the document has no `{SOURCES}` (seeds, reference, baseline)")
    seeds = {}
    for seed in declared.get("seeds") or []:
        matches = sorted((root / declared["seed-folder"]).glob(f"{seed}_*.txt"))
        if len(matches) != 1:
            raise ProvenanceError(f"{SOURCES}: seed {seed} is not one file in {declared['seed-folder']}")
        seeds[str(seed)] = matches[0]
    reference = root / declared["reference"]
    baseline = root / declared["baseline"]
    for path in (reference, baseline):
        if not path.is_file():
            raise ProvenanceError(f"{SOURCES}: {path} does not exist")
    return Sources(seeds, reference, baseline)


def load_baseline(path: Path) -> Any:
    """The baseline document (JSON or YAML)."""
    text = path.read_text()
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def reference_sections(reference: Path) -> set[str]:
    """The numbers a reference file's sections can be cited by: its numbered headings ("4", "4.2") and the numbered
    items of a section's lists ("9.2": item 2 of section 9)."""
    found = set()
    section = None
    for line in reference.read_text().splitlines():
        heading = re.match(r"^#{2,4} ([0-9]+(?:\.[0-9]+)*)[. ]", line)
        if heading:
            found.add(heading.group(1))
            section = heading.group(1).split(".")[0] if line.startswith("## ") else section
            continue
        item = re.match(r"^([0-9]+)\. ", line)
        if item and section is not None:
            found.add(f"{section}.{item.group(1)}")
    return found


def _citation_problems(mark: Mark, where: str, known: Sources, sections: set[str]) -> list[str]:
    if mark.assumed:
        return []
    problems = []
    for section in _SECTION.findall(mark.text):
        if section not in sections:
            problems.append(f"{where}: cites §{section}, which {known.reference.name} does not have")
    for seed in _SEED.findall(mark.text):
        if seed not in known.seeds:
            problems.append(f"{where}: cites seed {seed}, which is not one of this document's seeds")
    return problems


def _table_problems(baseline: Any, known: Sources, sections: set[str], root: Path) -> list[str]:
    """A table of sourced facts written here (not a vendor's file) cites a source for every operation and schema in
    its `x-source`."""
    if not known.baseline.resolve().is_relative_to(root.resolve()):
        return []
    label = known.baseline.relative_to(root).as_posix()
    problems = []
    nodes = [(operation.pointer, operation.spec) for operation in operations(baseline)]
    nodes += [
        (f"/components/schemas/{escape(name)}", schema)
        for name, schema in (baseline.get("components", {}).get("schemas") or {}).items()
    ]
    for pointer, node in nodes:
        where = f"{label}#{pointer}"
        try:
            mark = parse_mark({"sourced": node.get("x-source")}, f"{where}/x-source")
        except ProvenanceError as error:
            problems.append(str(error))
            continue
        problems += _citation_problems(mark, f"{where}/x-source", known, sections)
    return problems


@dataclass(frozen=True)
class Audit:
    """The audit of one document against its sources.

    Attributes:
        problems: What must be fixed: an unmarked constraint the sources do not state, a mark that says assumed of
            what the vendor's schema states, a status the sources declare that the document leaves out, a citation of
            a section or seed that does not exist, a malformed mark.
        beyond: Every constraint the sources do not state (once per fact), with its mark (None when unmarked).
    """

    problems: list[str]
    beyond: list[tuple[Constraint, Mark | None]]


def audit(document: Any, root: Path, label: str) -> Audit:
    """Walk a document against the facts its sources state.

    Args:
        document: The document.
        root: The repository root (`x-sources` paths are relative to it).
        label: How to name the document in problems, e.g. "openapi/slurper.yaml".

    Returns:
        The audit.
    """
    problems = [f"{label}#{problem}" for problem in check_marks(document)]
    if problems:
        return Audit(problems, [])
    try:
        known = sources(document, root)
    except ProvenanceError as error:
        return Audit([f"{label}: {error}"], [])
    sections = reference_sections(known.reference)
    baseline = load_baseline(known.baseline)
    problems += _table_problems(baseline, known, sections, root)
    stated = index(constraints(baseline))
    ours = list(constraints(document))
    by_fact: dict[tuple[str, str, str | None], list[Constraint]] = {}
    for constraint in ours:
        by_fact.setdefault(constraint.fact, []).append(constraint)
    beyond = []
    for occurrences in by_fact.values():
        uncovered = [constraint for constraint in occurrences if not covered(constraint, stated)]
        first = (uncovered or occurrences)[0]
        mark = mark_of(document, first)
        where = f"{label}#{first.pointer}"
        if uncovered:
            beyond.append((first, mark))
            if mark is None:
                problems.append(
                    f"{where}: {first.describe()} ({first.where}) is not stated by the sources and carries no mark"
                )
        elif mark is not None and mark.assumed:
            problems.append(f"{where}: {first.describe()} is marked assumed, but {known.baseline.name} states it")
    for entry in marked(document):
        where = f"{label}#{entry.pointer}/{MARKS}/{escape(entry.keyword)}"
        problems += _citation_problems(entry.mark, where, known, sections)
    for fact in facts(document).values():
        problems += _citation_problems(fact.mark, f"{label}#{fact.pointer}", known, sections)
    our_statuses = {(c.operation, c.argument) for c in ours if c.keyword == STATUS}
    for key, found in stated.items():
        operation, _, keyword, status = key
        if keyword == STATUS and (operation, status) not in our_statuses:
            problems.append(f"{label}: {operation} leaves out status {status}, which the sources declare")
    return Audit(problems, beyond)


def sourced_only(document: Any) -> Any:
    """The document with every assumed constraint taken out: what the vendor's contract, as far as the sources state
    it, demands of a server. Assumed media types and statuses stay (they only widen what a server may answer); the
    suite attributes a failure to them instead.

    Args:
        document: The document (left unchanged).

    Returns:
        A new document.
    """
    stripped = copy.deepcopy(document)
    for entry in list(marked(stripped)):
        if not entry.mark.assumed or entry.keyword in (MEDIA_TYPE, STATUS):
            continue
        node = lookup(stripped, entry.pointer)
        if entry.keyword == "required" and entry.argument is not None:
            node["required"] = [name for name in node["required"] if name != entry.argument]
            if not node["required"]:
                del node["required"]
        elif entry.keyword == "required":
            node["required"] = False
        else:
            node.pop(entry.keyword, None)
    return stripped


def assumed_marks(document: Any) -> dict[tuple[str, str, str | None], Mark]:
    """Every assumed mark by (pointer, keyword, argument)."""
    return {
        (entry.pointer, entry.keyword, entry.argument): entry.mark for entry in marked(document) if entry.mark.assumed
    }


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _marked_fact(document: Any, entry: MarkedNode) -> tuple[str, str]:
    """Where a marked fact is and what it says, for the README: (location, "`minimum: 1`")."""
    if entry.keyword == MEDIA_TYPE:
        head, _, media_type = entry.pointer.rpartition("/content/")
        return head, f"media type `{_unescape(media_type)}`"
    if entry.keyword == STATUS:
        head, _, status = entry.pointer.rpartition("/responses/")
        return head, f"status `{_unescape(status)}`"
    node = lookup(document, entry.pointer)
    if entry.keyword == "required":
        return entry.pointer, f"`required: {entry.argument}`" if entry.argument is not None else "`required: true`"
    value = node[entry.keyword]
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return entry.pointer, f"`{entry.keyword}: {shown}`"


def readme_section(document: Any, label: str) -> str:
    """The Markdown that openapi/README.md shows for one document's marks and facts (generated, never edited).

    Args:
        document: The document.
        label: Its path, e.g. "openapi/slurper.yaml".

    Returns:
        The section's body.
    """
    entries = list(marked(document))
    behaviour = list(facts(document).values())
    count = {kind: sum(1 for entry in entries if entry.mark.kind == kind) for kind in KINDS}
    baseline = (document.get(SOURCES) or {}).get("baseline", "the sources")
    lines = [
        f"Generated by `python -m generator` from the marks in `{label}`: change the marks there, not this list.",
        "",
        f"Constraints beyond what `{baseline}` states: {len(entries)}, {count['sourced']} sourced (with their "
        f"citation), {count['assumed']} assumed (with their reason). Against a live server an assumed one that the "
        "server contradicts is reported, not failed.",
        "",
        "| where | constraint | mark | source or reason |",
        "|---|---|---|---|",
    ]
    for entry in entries:
        where, constraint = _marked_fact(document, entry)
        lines.append(f"| `{where}` | {_cell(constraint)} | {entry.mark.kind} | {_cell(entry.mark.text)} |")
    fact_count = {kind: sum(1 for fact in behaviour if fact.mark.kind == kind) for kind in KINDS}
    lines += [
        "",
        f"Behaviour the conformance suite expects beyond the schema (`x-facts`): {len(behaviour)}, "
        f"{fact_count['sourced']} sourced, {fact_count['assumed']} assumed.",
        "",
        "| fact | statement | mark | source or reason |",
        "|---|---|---|---|",
    ]
    for fact in behaviour:
        checks = f" (schemathesis: {', '.join(f'`{check}`' for check in fact.checks)})" if fact.checks else ""
        lines.append(
            f"| `{fact.name}` | {_cell(fact.statement)}{checks} | {fact.mark.kind} | {_cell(fact.mark.text)} |"
        )
    return "\n".join(lines)


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- provenance:{name}:begin -->", f"<!-- provenance:{name}:end -->"


def with_readme_section(readme: str, name: str, section: str) -> str:
    """`readme` with the generated section of API `name` replaced by `section`.

    Raises:
        ProvenanceError: The README has no place for it (the two marker comments).
    """
    begin, end = _markers(name)
    if readme.count(begin) != 1 or readme.count(end) != 1:
        raise ProvenanceError(f"openapi/README.md needs exactly one {begin} ... {end} for the {name} facts")
    head, _, rest = readme.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{section}\n{end}{tail}"


def _request_schemas(document: Any) -> set[str]:
    """The pointers of every schema a request (body or parameter) can reach, `$ref`s followed."""
    found: set[str] = set()

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, Mapping):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
                target = node["$ref"].removeprefix("#")
                if target not in found:
                    found.add(target)
                    walk(lookup(document, target), target)
            for key, value in node.items():
                if key not in ("$ref", MARKS, "examples", "example"):
                    walk(value, f"{pointer}/{escape(key)}")
        elif isinstance(node, list):
            for position, value in enumerate(node):
                walk(value, f"{pointer}/{position}")

    for operation in operations(document):
        for owner in (operation.path_item, operation.spec):
            walk(owner.get("parameters") or [], f"{operation.pointer}/parameters")
        if "requestBody" in operation.spec:
            walk(operation.spec["requestBody"], f"{operation.pointer}/requestBody")
    return found


def _union_tags(document: Any) -> set[tuple[str, str]]:
    """(schema pointer, property) of every union variant's tag: the required single-value property that tells it
    apart (the generated `from_dict` picks the variant by it, so it stays required)."""
    tags = set()
    for node, _ in _walk(document, ""):
        for keyword in ("oneOf", "anyOf"):
            for variant in node.get(keyword) or []:
                resolved, pointer = resolve(document, variant, "")
                for name in resolved.get("required") or []:
                    prop, _ = resolve(document, (resolved.get("properties") or {}).get(name, {}), "")
                    if "const" in prop or len(prop.get("enum") or []) == 1:
                        tags.add((pointer, name))
    return tags


def as_read_by_clients(document: Any) -> Any:
    """The document the generated client is built from: what a response may leave out is optional.

    A response property whose requiredness is only assumed is made optional, so that the generated model types it
    `Unset`-able (`mypy --strict` makes the caller handle its absence) and a server that leaves it out is still read.
    What a source guarantees stays required; so do request schemas (what the client sends is checked) and union tags
    (the generated `from_dict` picks a variant by its tag).

    Args:
        document: The document (left unchanged).

    Returns:
        A new document.
    """
    readable = copy.deepcopy(document)
    request_side = _request_schemas(readable)
    tags = _union_tags(readable)
    for entry in list(marked(readable)):
        if entry.keyword != "required" or entry.argument is None or not entry.mark.assumed:
            continue
        if entry.pointer in request_side or (entry.pointer, entry.argument) in tags:
            continue
        node = lookup(readable, entry.pointer)
        node["required"] = [name for name in node["required"] if name != entry.argument]
        if not node["required"]:
            del node["required"]
    return readable
