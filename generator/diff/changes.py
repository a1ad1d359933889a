"""What a diff finds: the verdicts of the wire rules (`Finding`) and of the code rules (`CodeChange`), and the
`Change`s a report lists, each grouping the findings about one place of the document with the generated code they
touch."""

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["breaking", "warning", "info"]
LEVELS: tuple[Level, ...] = ("info", "warning", "breaking")
Side = Literal["request", "response", ""]
Bump = Literal["major", "minor", "patch", "none"]


@dataclass(frozen=True, order=True)
class OperationLabel:
    """An operation as the report names it."""

    path: str
    method: str
    operation_id: str

    def __str__(self) -> str:
        name = f"`{self.operation_id}` " if self.operation_id else ""
        return f"{name}({self.method.upper()} {self.path})"


@dataclass(frozen=True)
class Touch:
    """A part of the generated code a finding is about, in the document's words; `code.link` finds it in the code.

    Attributes:
        kind: "operation" (method, path), "parameter" (method, path, name or "body"), "schema" (name),
            "property" (schema name, property name), "member" (enum schema name, value).
        names: As listed for its kind.
    """

    kind: Literal["operation", "parameter", "schema", "property", "member"]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """One wire rule's verdict about one place of the document, as one operation meets it.

    Attributes:
        rule: The rule's name (`response-property-enum-value-added`).
        level: breaking, warning or info.
        wire: Whether a client generated from the old document fails against a server of the new one.
        pointer: The JSON pointer of the keyword or object that changed (in the new document; in the old for
            something removed).
        title: What changed, the same whichever side meets it: findings with the same pointer and title are one
            change.
        message: What it means, on this side.
        operation: The operation that meets it, if any.
        side: "request", "response", or "" for neither.
        addition: A new operation, parameter, property or value: a minor version, unless something breaks code.
        explains: Pointers whose textual differences this finding accounts for (and everything below them).
        touches: The generated parts it is about.
    """

    rule: str
    level: Level
    wire: bool
    pointer: str
    title: str
    message: str
    operation: OperationLabel | None = None
    side: Side = ""
    addition: bool = False
    explains: tuple[str, ...] = ()
    touches: tuple[Touch, ...] = ()


@dataclass(frozen=True)
class CodeChange:
    """One difference between the public surfaces of the two generated packages.

    Attributes:
        rule: `code-module-removed`, `code-parameter-added`, ...
        symbols: The symbols it is about, dotted from the package (`models.job.Job.status`), in the new package
            (the old one for something removed).
        old_symbols: For a rename, the old names.
        breaking: Whether code written against the old package stops importing or type-checking.
        addition: Something new to use (a minor version).
        message: What changed, e.g. "`Job.status`: `JobStatus` → `JobStatus | Unset`".
    """

    rule: str
    symbols: tuple[str, ...]
    breaking: bool
    addition: bool
    message: str
    old_symbols: tuple[str, ...] = ()


@dataclass
class Change:
    """One entry of a report: the findings about one place, and the code changes that go with them.

    Attributes:
        title: What changed.
        pointer: Where in the document (empty for a change found only in the code).
        findings: The wire rules' verdicts, one per operation and side.
        code: The code changes it causes.
        touches: The generated symbols it is about (those that exist on either side).
    """

    title: str
    pointer: str
    findings: list[Finding] = field(default_factory=list)
    code: list[CodeChange] = field(default_factory=list)
    touches: list[str] = field(default_factory=list)

    @property
    def breaks_wire(self) -> bool:
        return any(finding.wire for finding in self.findings)

    @property
    def breaks_code(self) -> bool:
        return any(change.breaking for change in self.code)

    @property
    def breaks(self) -> list[str]:
        """ "wire", "code", both, or neither."""
        return [name for name, broken in (("wire", self.breaks_wire), ("code", self.breaks_code)) if broken]

    @property
    def level(self) -> Level:
        if self.breaks:
            return "breaking"
        levels = [finding.level for finding in self.findings]
        return "warning" if "warning" in levels or "breaking" in levels else "info"

    @property
    def addition(self) -> bool:
        return any(finding.addition for finding in self.findings) or any(change.addition for change in self.code)

    @property
    def rules(self) -> list[str]:
        names = [finding.rule for finding in self.findings] + [change.rule for change in self.code]
        return list(dict.fromkeys(names))

    @property
    def operations(self) -> list[OperationLabel]:
        return sorted({finding.operation for finding in self.findings if finding.operation is not None})


def bump_for(changes: list[Change]) -> Bump:
    """The semver step a package takes for these changes: major when code breaks, minor for something new to use,
    patch for anything else."""
    if any(change.breaks_code for change in changes):
        return "major"
    if any(change.addition for change in changes):
        return "minor"
    return "patch" if changes else "none"


def next_version(version: str, bump: Bump) -> str:
    """`version` (MAJOR.MINOR.PATCH) after `bump`."""
    major, minor, patch = (int(part) for part in version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version
