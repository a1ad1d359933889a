"""The two sides of a diff: a document read from a file or from git (`REV:path`), checked to be valid OpenAPI 3.1,
its marks of where facts come from set aside, and its `$ref`s followed with `referencing`."""

import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from generator.provenance import SUITE_ANNOTATIONS

# Where facts come from, and the behaviour the suite expects: not the API. A changed mark is no wire change; what it
# changes in the generated code (an assumed `required` makes a response property optional) the code rules see.
MARK_KEYS = frozenset({"x-provenance", "x-sources", *SUITE_ANNOTATIONS})
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class DiffInputError(Exception):
    """A side cannot be compared: it cannot be read, is not YAML, or is not a valid OpenAPI 3.1 document."""


def escape(token: str | int) -> str:
    """One JSON pointer token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def nodes(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every node of a JSON document, depth first, `node` first, each with its JSON pointer (under `pointer`)."""
    yield pointer, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from nodes(value, f"{pointer}/{escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from nodes(value, f"{pointer}/{index}")


def strip_marks(node: Any) -> Any:
    """`node` without the provenance keys (`MARK_KEYS`) at any depth."""
    if isinstance(node, Mapping):
        return {key: strip_marks(value) for key, value in node.items() if key not in MARK_KEYS}
    if isinstance(node, list):
        return [strip_marks(value) for value in node]
    return node


@dataclass(frozen=True)
class Side:
    """One side of a diff, as given on the command line.

    Attributes:
        label: How the report names it: the path, or `REV:path`.
        path: The document's path (inside the repository for `REV:path`), which tells its API.
        text: The document's text.
        document: The document, parsed and validated (marks still in it).
    """

    label: str
    path: str
    text: str
    document: dict[str, Any] = field(repr=False)


def _git_show(spec: str, cwd: Path) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - git with an argument the user gave, no shell
            ["git", "show", spec],  # noqa: S607 - git from PATH, as a developer runs it
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise DiffInputError(f"{spec}: cannot read it from git: git is not installed") from None
    if result.returncode != 0:
        raise DiffInputError(f"{spec}: cannot read it from git: {result.stderr.strip()}")
    return result.stdout


def read_side(spec: str, cwd: Path | None = None) -> Side:
    """Read one side: a document's path, or `REV:path` for the document as git revision REV has it.

    Args:
        spec: The path, or `REV:path` (path from the repository's top, or `./path` from `cwd`, as `git show` reads it).
        cwd: Where a relative path, and git, start from (default: the current directory).

    Returns:
        The side, parsed and validated.

    Raises:
        DiffInputError: It cannot be read, is not YAML, or is not valid OpenAPI 3.1; the message names it.
    """
    cwd = cwd or Path.cwd()
    local = cwd / spec
    if local.is_file():
        text, path = local.read_text(encoding="utf-8"), spec
    elif ":" in spec and not Path(spec).is_absolute():
        text, path = _git_show(spec, cwd), spec.split(":", 1)[1]
    else:
        raise DiffInputError(f"{spec}: no such file (and not a git `REV:path`)")
    return Side(label=spec, path=path, text=text, document=parse(text, spec))


def parse(text: str, label: str) -> dict[str, Any]:
    """Parse and validate a document's text.

    Raises:
        DiffInputError: Not YAML, not a mapping, or not valid OpenAPI 3.1 (each error with where it is).
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DiffInputError(f"{label} is not YAML: {error}") from None
    if not isinstance(document, dict):
        raise DiffInputError(f"{label} is not an OpenAPI document (its top is not a mapping)")
    if not str(document.get("openapi", "")).startswith("3.1"):
        raise DiffInputError(f"{label} is not an OpenAPI 3.1 document (openapi: {document.get('openapi')!r})")
    errors = [
        f"  {'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    if errors:
        raise DiffInputError(f"{label} is not a valid OpenAPI 3.1 document:\n" + "\n".join(errors[:20]))
    return document


@dataclass(frozen=True)
class Operation:
    """An operation of a document and where it is.

    Attributes:
        method: `get`, `post`, ...
        path: The path template.
        spec: The operation object.
        path_item: Its path item (parameters for every method).
        pointer: The operation object's JSON pointer.
    """

    method: str
    path: str
    spec: Mapping[str, Any]
    path_item: Mapping[str, Any]
    pointer: str

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", ""))

    @property
    def label(self) -> str:
        """`GET /jobs/{id}`."""
        return f"{self.method.upper()} {self.path}"


class Document:
    """A document as the rules read it: marks set aside, `$ref`s followed (`referencing`, so a pointer's escapes and
    percent-encoding are read as JSON Schema 2020-12 and OpenAPI 3.1 define them)."""

    URI = "urn:openapi-document"

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.data: dict[str, Any] = strip_marks(document)
        resource: Resource[Any] = DRAFT202012.create_resource(self.data)
        self._resolver = Registry().with_resource(self.URI, resource).resolver(base_uri=self.URI)

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str, tuple[str, ...]]:
        """Follow `$ref`s from `node` (at `pointer`).

        Returns:
            What it names, that node's pointer, and the pointers of the references passed on the way.

        Raises:
            DiffInputError: A reference that names nothing in the document, or a cycle of references.
        """
        via: list[str] = []
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            reference = node["$ref"]
            if not reference.startswith("#") or pointer in via:
                raise DiffInputError(f"{pointer}: cannot follow $ref {reference!r} (not local, or a cycle)")
            via.append(pointer)
            try:
                node = self._resolver.lookup(reference).contents
            except Unresolvable:
                raise DiffInputError(f"{pointer}: $ref {reference!r} names nothing in the document") from None
            pointer = reference.removeprefix("#")
        return node, pointer, tuple(via)

    def operations(self) -> Iterator[Operation]:
        """Every operation, in document order."""
        for path, item in (self.data.get("paths") or {}).items():
            item, item_pointer, _ = self.resolve(item, f"/paths/{escape(path)}")
            for method in HTTP_METHODS:
                if isinstance(item.get(method), Mapping):
                    yield Operation(method, path, item[method], item, f"{item_pointer}/{method}")

    def parameters(self, operation: Operation) -> dict[tuple[str, str], tuple[Mapping[str, Any], str, tuple[str, ...]]]:
        """An operation's parameters (the path item's, overridden by the operation's), by (in, name).

        Returns:
            For each: the parameter object, its pointer, and the references passed to reach it.
        """
        chosen: dict[tuple[str, str], tuple[Mapping[str, Any], str, tuple[str, ...]]] = {}
        item_pointer = operation.pointer.rsplit("/", 1)[0]
        for owner, owner_pointer in ((operation.path_item, item_pointer), (operation.spec, operation.pointer)):
            for index, reference in enumerate(owner.get("parameters") or []):
                parameter, pointer, via = self.resolve(reference, f"{owner_pointer}/parameters/{index}")
                chosen[(str(parameter["in"]), str(parameter["name"]))] = (parameter, pointer, via)
        return chosen
