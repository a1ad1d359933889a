"""The marks of a document (`x-provenance` beside a keyword, `x-facts` for behaviour), read and checked, and the two
views of a document they give: `sourced_only` (what the vendor's contract demands of a server) and
`as_read_by_clients` (what a generated client may find missing)."""

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .walk import (
    MARKS,
    MEDIA_TYPE,
    SCHEMA_KEYWORDS,
    STATUS,
    Constraint,
    ProvenanceError,
    escape,
    lookup,
    operations,
    resolve,
)

FACTS = "x-facts"
SOURCES = "x-sources"
ECHO = "x-echo"
# The annotations of a document that only the conformance suite reads (behaviour facts, declared echoes): they carry
# their own marks, and change neither the generated clients nor the wire contract.
SUITE_ANNOTATIONS = frozenset({FACTS, ECHO, "x-jobs"})
_EXPRESSION = re.compile(r"^\$(request\.(path|query|header)\.[A-Za-z0-9_.-]+|(request|response)\.body#(/[^/]*)*)$")
KINDS = ("sourced", "assumed")
_CITATION = re.compile(r"^(official|seed [0-9]{3}|reference §[0-9]+(\.[0-9]+)*)\b")


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
            if key not in (MARKS, SOURCES, *SUITE_ANNOTATIONS):
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
    """A behaviour the suite expects beyond the schema: an `x-facts` entry, or an annotation (`x-echo`) that states one.

    Attributes:
        name: Its name in `x-facts` (an annotation's: `Echo.name`).
        statement: What a server does.
        mark: Where that comes from.
        checks: schemathesis' own checks that stand on it (their failures are this fact's).
        location: Where an annotation states it (its JSON pointer); empty for an `x-facts` entry.
    """

    name: str
    statement: str
    mark: Mark
    checks: tuple[str, ...] = ()
    location: str = ""

    @property
    def pointer(self) -> str:
        return self.location or f"/{FACTS}/{escape(self.name)}"


@dataclass(frozen=True)
class Echo:
    """A declared echo (`x-echo`): a value of a response must equal what the request asked for.

    On an operation, `response` is read from that operation's response and `request` from the request it answers. On a
    link (`links.<name>.x-echo`), `response` is read from the response of the linked operation (`target`), and
    `request` from the request (or the response) of the operation the link leaves from: a job read after its creation
    reports what its creation asked for.

    Both are OpenAPI runtime expressions: `$request.path.<name>`, `$request.query.<name>`, `$request.header.<name>`,
    `$request.body#<pointer>`, `$response.body#<pointer>`. A pointer's `*` segment stands for every item of an array
    (every job of a list, every entry of a log); an item, or an object, that does not have the value states nothing.
    `relation: contains` (instead of the default, `equals`) says the answer's text contains the value asked for (the
    object of a link's URL).

    Attributes:
        operation_id: The operation it is declared on.
        response: What the server answered.
        request: What it must equal.
        mark: Where that comes from.
        pointer: Where it is declared.
        link: The link it is declared on, if any.
        target: The linked operation, for a link echo.
        relation: "equals" or "contains".
    """

    operation_id: str
    response: str
    request: str
    mark: Mark
    pointer: str
    link: str | None = None
    target: str | None = None
    relation: Literal["equals", "contains"] = "equals"

    @property
    def name(self) -> str:
        via = f" -> {self.target}" if self.target else ""
        relation = "=" if self.relation == "equals" else "contains"
        return f"echo {self.operation_id}{via}: {self.response} {relation} {self.request}"

    @property
    def statement(self) -> str:
        relation = "equal to" if self.relation == "equals" else "containing"
        answers = f"answers `{self.response}` {relation} `{self.request}`"
        if self.target:
            return f"After `{self.operation_id}`, `{self.target}` {answers}."
        return f"`{self.operation_id}` {answers}."


def _echo_entries(owner: Any, where: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    entries = owner.get(ECHO) if isinstance(owner, Mapping) else None
    if entries is None:
        return
    if not isinstance(entries, list):
        raise ProvenanceError(f"{where}/{ECHO}: a list of {{response, request, <mark>}}")
    for position, entry in enumerate(entries):
        yield entry, f"{where}/{ECHO}/{position}"


def _echo(entry: Any, where: str, operation_id: str, link: str | None, target: str | None) -> Echo:
    if not isinstance(entry, Mapping) or set(entry) - {"response", "request", "relation", *KINDS}:
        raise ProvenanceError(f"{where}: an echo is {{response: <expression>, request: <expression>, <mark>}}")
    relation = entry.get("relation", "equals")
    if relation not in ("equals", "contains"):
        raise ProvenanceError(f"{where}/relation: `equals` (the default) or `contains`, not {relation!r}")
    for side in ("response", "request"):
        if not isinstance(entry.get(side), str) or not _EXPRESSION.match(entry[side]):
            raise ProvenanceError(
                f"{where}/{side}: a runtime expression ($request.path.<name>, ...), not {entry.get(side)!r}"
            )
    if not entry["response"].startswith("$response.body#"):
        raise ProvenanceError(f"{where}/response: what the server answered, `$response.body#<pointer>`")
    if link is None and not entry["request"].startswith("$request."):
        raise ProvenanceError(f"{where}/request: on an operation, what the request asked (`$request...`)")
    mark = parse_mark({kind: entry[kind] for kind in KINDS if kind in entry}, where)
    return Echo(operation_id, entry["response"], entry["request"], mark, where, link, target, relation)


def echoes(document: Any) -> list[Echo]:
    """Every declared echo of a document, in document order (an operation's, then its links').

    Raises:
        ProvenanceError: One is malformed, or a link echo's link names no operation of the document.
    """
    known = {operation.operation_id for operation in operations(document)}
    found: list[Echo] = []
    for operation in operations(document):
        for entry, where in _echo_entries(operation.spec, operation.pointer):
            found.append(_echo(entry, where, operation.operation_id, None, None))
        for status, response in (operation.spec.get("responses") or {}).items():
            response, response_pointer = resolve(document, response, f"{operation.pointer}/responses/{escape(status)}")
            for name, link in (response.get("links") or {}).items():
                link_pointer = f"{response_pointer}/links/{escape(name)}"
                if not isinstance(link, Mapping) or ECHO not in link:
                    continue
                target = link.get("operationId")
                if target not in known:
                    raise ProvenanceError(f"{link_pointer}: a link with echoes names an operationId of the document")
                for entry, where in _echo_entries(link, link_pointer):
                    found.append(_echo(entry, where, operation.operation_id, name, target))
    return found


def facts(document: Any) -> dict[str, Fact]:
    """The document's behaviour facts by name: its `x-facts` entries, its declared echoes and what its `x-jobs` states.

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
    for echo in echoes(document):
        if echo.name in found:
            raise ProvenanceError(f"{echo.pointer}: the same echo is declared twice")
        found[echo.name] = Fact(echo.name, echo.statement, echo.mark, location=echo.pointer)
    from .jobs import jobs  # x-jobs builds on this module's marks

    declared = jobs(document)
    for fact in declared.facts() if declared is not None else []:
        found[fact.name] = fact
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


def request_schemas(document: Any) -> set[str]:
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
    request_side = request_schemas(readable)
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
