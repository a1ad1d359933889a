"""A diff of two documents, whole: the wire rules' findings grouped into changes, each with the generated code it
touches and the code changes it causes, the code changes no document change explains on their own, the verdict and
the semver step."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.strings import ClassName, PythonIdentifier

from ..provenance import ProvenanceError, as_read_by_clients, lookup
from ..registry import Api
from .changes import LEVELS, Bump, Change, CodeChange, Finding, Touch, bump_for
from .code import compare_surfaces, generate_surfaces
from .documents import DiffInputError, Document, Side, strip_marks
from .leftovers import leftover_findings
from .rules import ClientRequires
from .surface import Surface
from .wire import read_as_findings, wire_findings

# openapi-python-client's default `field_prefix`: what it puts before a name that is no Python identifier.
FIELD_PREFIX = "field_"


@dataclass
class Report:
    """The diff of one document.

    Attributes:
        api: The API it documents (None when code was not compared).
        old: The old side's label.
        new: The new side's label.
        changes: The changes, breaking first.
        code_compared: Whether both sides were generated and compared.
    """

    api: str | None
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)
    code_compared: bool = True

    @property
    def breaks(self) -> list[str]:
        """What the changes break: "wire", "code", both or neither."""
        return [name for name in ("wire", "code") if any(name in change.breaks for change in self.changes)]

    @property
    def bump(self) -> Bump:
        return bump_for(self.changes)

    def count(self, level: str) -> int:
        return sum(change.level == level for change in self.changes)


# Linking the document to the code -------------------------------------------------------------------------------------


def _classes(surface: Surface, schema: str) -> list[str]:
    name = ClassName(schema, FIELD_PREFIX)
    return [f"{module}.{name}" for module, body in surface.items() if name in body.classes]


def _symbols(touch: Touch, surfaces: tuple[Surface, Surface]) -> list[str]:
    """The generated symbols a touch names, on either side."""
    found: list[str] = []
    for surface in surfaces:
        if touch.kind in ("operation", "parameter"):
            method, path = touch.names[0], touch.names[1]
            modules = [module for module, body in surface.items() if body.endpoint == (method, path)]
            if touch.kind == "operation":
                found += modules
                continue
            argument = "body" if touch.names[2] == "body" else PythonIdentifier(touch.names[2], FIELD_PREFIX)
            found += [
                f"{module}.{name}.{argument}"
                for module in modules
                for name, function in surface[module].functions.items()
                if function.parameter(argument) is not None
            ]
        elif touch.kind == "schema":
            found += _classes(surface, touch.names[0])
        elif touch.kind == "property":
            attribute = PythonIdentifier(touch.names[1], FIELD_PREFIX)
            for symbol in _classes(surface, touch.names[0]):
                module, name = symbol.rsplit(".", 1)
                if attribute in surface[module].classes[name].attributes:
                    found.append(f"{symbol}.{attribute}")
        elif touch.kind == "member":
            for symbol in _classes(surface, touch.names[0]):
                module, name = symbol.rsplit(".", 1)
                for member, value in surface[module].classes[name].members.items():
                    if value.strip("'\"") == touch.names[1]:
                        found.append(f"{symbol}.{member}")
    return list(dict.fromkeys(found))


def _related(symbol: str, touched: str) -> bool:
    return symbol == touched or symbol.startswith(f"{touched}.") or touched.startswith(f"{symbol}.")


def _level_order(change: Change) -> int:
    return -LEVELS.index(change.level)


def group(
    findings: Iterable[Finding], code: list[CodeChange], surfaces: tuple[Surface, Surface] | None
) -> list[Change]:
    """Group the findings into changes (same pointer, same title), give each the generated symbols it touches, attach
    each code change to the change whose touched symbol names it most closely, and add the code changes left over.

    Returns:
        The changes, breaking first, then warnings, then the rest, each in the order found.
    """
    changes: dict[tuple[str, str], Change] = {}
    for finding in findings:
        change = changes.setdefault((finding.pointer, finding.title), Change(finding.title, finding.pointer))
        change.findings.append(finding)
    listed = list(changes.values())
    if surfaces is not None:
        for change in listed:
            touches = dict.fromkeys(touch for finding in change.findings for touch in finding.touches)
            change.touches = list(dict.fromkeys(s for touch in touches for s in _symbols(touch, surfaces)))
        for code_change in code:
            names = [*code_change.symbols, *code_change.old_symbols]
            # The change whose touched symbol names this code change most closely (the longest), the first on a tie.
            best: tuple[int, int] | None = None
            for index, change in enumerate(listed):
                closeness = max(
                    (len(touched) for touched in change.touches if any(_related(name, touched) for name in names)),
                    default=0,
                )
                if closeness and (best is None or closeness > best[0]):
                    best = (closeness, index)
            if best is not None:
                listed[best[1]].code.append(code_change)
            else:
                listed.append(Change(code_change.message, "", code=[code_change], touches=list(code_change.symbols)))
    return sorted(listed, key=_level_order)


# The whole diff -------------------------------------------------------------------------------------------------------


def _as_read(document: dict[str, Any]) -> Any:
    """The document as the clients read it, marks set aside (as written, when its marks are malformed)."""
    try:
        return strip_marks(as_read_by_clients(document))
    except ProvenanceError:
        return strip_marks(document)


def _client_requires(as_read: Any) -> ClientRequires:
    """What the old generated client requires of a response: `required`, as the clients read the document."""

    def requires(pointer: str, name: str) -> bool:
        try:
            node = lookup(as_read, pointer)
        except (KeyError, IndexError, ValueError, TypeError):
            return True
        return name in (node.get("required") or []) if isinstance(node, dict) else True

    return requires


def compare(old: Side, new: Side, api: Api | None, code: bool = True) -> Report:
    """Diff two sides: the wire rules, and the code rules (both sides generated as `api`'s package).

    Args:
        old: The old side.
        new: The new side.
        api: The API the documents describe (None: unknown, and the code is not compared).
        code: Whether to compare the generated code.

    Raises:
        DiffInputError: A side cannot be read or generated.
    """
    old_document, new_document = Document(old.document), Document(new.document)
    old_as_read, new_as_read = _as_read(old.document), _as_read(new.document)
    findings, judged = wire_findings(old_document, new_document, _client_requires(old_as_read))
    findings += read_as_findings(old_document, new_document, old_as_read, new_as_read)
    findings += leftover_findings(old_document, new_document, findings, judged)
    if api is None or not code:
        name = api.name if api else None
        return Report(name, old.label, new.label, group(findings, [], None), code_compared=False)
    if old.document == new.document:
        surfaces: tuple[Surface, Surface] = ({}, {})
    else:
        surfaces = generate_surfaces(api, old, new)
    return Report(api.name, old.label, new.label, group(findings, compare_surfaces(*surfaces), surfaces))


__all__ = ["DiffInputError", "Report", "compare", "group"]
