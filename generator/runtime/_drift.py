"""Drift: where a success response differs from the document the package was generated from.

The models read what a server may plausibly send instead of failing on it (an enum value or a union variant the
document does not list is kept, a guaranteed field left out or null is `UNSET`, an unknown field is kept in
`additional_properties`), and report each difference here, only where parsing meets it: a conforming body costs
nothing more. `build_response` collects what one response reported (`Response.drift`), warns once per kind of
difference per process (`DriftWarning`), and with the client's `strict` option raises `errors.DriftError`.

Hand-written; copied into every generated package by `python -m generator` (source: generator/runtime/).
"""

import warnings
from collections.abc import Mapping
from contextvars import ContextVar, Token
from typing import Any

from attrs import frozen

from .types import UNSET

# The document this package was generated from (the copy into a package names it).
DOCUMENT = "the OpenAPI document"

UNKNOWN_ENUM_VALUE = "unknown enum value"
UNKNOWN_VARIANT = "unknown union variant"
MISSING_FIELD = "missing field"
NULL_FIELD = "null field"
UNKNOWN_FIELD = "unknown field"
KINDS = (UNKNOWN_ENUM_VALUE, UNKNOWN_VARIANT, MISSING_FIELD, NULL_FIELD, UNKNOWN_FIELD)


class DriftWarning(UserWarning):
    """A server sent a success response that differs from the document this package was generated from."""


@frozen
class Drift:
    """One difference between a success response and the document.

    Attributes:
        location: Where in the body, as a JSON pointer ("" is the whole body; "/result/3/status").
        kind: One of `KINDS`: an unknown enum value, an unknown union variant, a missing field, a null field, an
            unknown field.
        expected: What the document says is there (e.g. "one of JobStatus: 'aborted', 'completed', ...").
        got: What came (the raw JSON value; None for a field left out).
    """

    location: str
    kind: str
    expected: str
    got: Any

    def __str__(self) -> str:
        # The value itself only where it is a name (an enum value, a variant's tag): an unknown field may hold a
        # secret a server echoed, and the message goes to logs.
        if self.kind == MISSING_FIELD:
            came = "nothing"
        elif self.kind in (UNKNOWN_ENUM_VALUE, UNKNOWN_VARIANT) or self.got is None:
            came = repr(self.got)
        else:
            came = f"a value ({type(self.got).__name__})"
        return f"{self.location or '/'}: {self.kind}: expected {self.expected}, got {came}"


class _Collector:
    __slots__ = ("found", "root")

    def __init__(self) -> None:
        self.root: Any = None
        self.found: list[tuple[object, str | None, str, str, Any]] = []


_current: ContextVar[_Collector | None] = ContextVar("drift", default=None)
_warned: set[tuple[str, str, str]] = set()


def report(container: object, key: str | None, kind: str, expected: str, got: Any) -> None:
    """Note a difference met while reading `container` (a JSON object or array of the body) at `key`."""
    collector = _current.get()
    if collector is None:  # a model read outside a response (an error body read by `errors`, a caller's own)
        return
    collector.found.append((container, key, kind, expected, got))


def null_or_missing(container: Mapping[str, Any], key: str, expected: str) -> Any:
    """Report a non-nullable field that is null or left out, and give what the model holds instead: `UNSET`."""
    if key in container:
        report(container, key, NULL_FIELD, expected, None)
    else:
        report(container, key, MISSING_FIELD, expected, None)
    return UNSET


def unknown_fields(container: Mapping[str, Any], names: frozenset[str], model: str) -> None:
    """Report each key of `container` that `model` does not name."""
    for key, value in container.items():
        if key not in names:
            report(container, key, UNKNOWN_FIELD, f"only the fields of {model}", value)


def read_json(content: Any) -> Any:
    """The body parsed, remembered as the root the reported locations are found in."""
    body = content.json()
    collector = _current.get()
    if collector is not None:
        collector.root = body
    return body


def start() -> Token[_Collector | None]:
    """Begin collecting what one response's parsing reports."""
    return _current.set(_Collector())


def stop(token: Token[_Collector | None]) -> _Collector:
    """Stop collecting: what was reported since `start`."""
    collector = _current.get()
    _current.reset(token)
    return collector if collector is not None else _Collector()


def located(collector: _Collector) -> tuple[Drift, ...]:
    """What was reported, located in the body, each kind warned about once per process."""
    if not collector.found:
        return ()
    paths = _paths(collector.root, {id(container) for container, *_ in collector.found})
    drift = tuple(
        Drift(
            paths.get(id(container), "") + ("" if key is None else f"/{_escape(key)}"),
            kind,
            expected,
            got,
        )
        for container, key, kind, expected, got in collector.found
    )
    for each in drift:
        _warn(each)
    return drift


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _paths(root: Any, wanted: set[int]) -> dict[int, str]:
    """The JSON pointer of each object or array of `root` whose id() is in `wanted`."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack and len(found) < len(wanted):
        node, pointer = stack.pop()
        if id(node) in wanted:
            found[id(node)] = pointer
        if isinstance(node, dict):
            stack.extend((value, f"{pointer}/{_escape(str(key))}") for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{position}") for position, value in enumerate(node))
    return found


def _warn(drift: Drift) -> None:
    # Once per kind of difference (the kind and what was expected: one new JobStatus value, one unknown field of a
    # model) per process, however many responses carry it.
    what = (drift.kind, drift.expected, repr(drift.got) if drift.kind == UNKNOWN_ENUM_VALUE else "")
    if what in _warned:
        return
    _warned.add(what)
    warnings.warn(
        f"the server's response differs from {DOCUMENT}, which this client was generated from: {drift}; "
        f"update the document and regenerate",
        DriftWarning,
        stacklevel=4,
    )


__all__ = ["KINDS", "Drift", "DriftWarning", "null_or_missing", "report", "unknown_fields"]
