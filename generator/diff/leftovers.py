"""What changed in the text of a document that no wire rule accounted for: descriptions and examples (wording only),
titles, whole components no operation uses, and anything else, which is reported for review rather than dropped."""

from collections.abc import Iterator, Mapping
from typing import Any

from .changes import Finding, Level
from .documents import HTTP_METHODS, Document, escape

# The rules of this module: what it reports is about the document's text, never the wire.
RULES = frozenset(
    {
        "description-changed",
        "example-changed",
        "title-changed",
        "documentation-changed",
        "servers-changed",
        "generated-names-changed",
        "component-added",
        "component-removed",
        "unclassified-change",
    }
)

_MISSING = object()
# What a generated client never sends nor reads: prose and samples.
_WORDING = {"description": "description", "summary": "summary"}
_SAMPLES = ("example", "examples")
# `links` tell tools how operations relate (schemathesis follows them); no client sends or reads them.
_DOCUMENTATION = ("externalDocs", "deprecated", "links")


def _key(item: Any, index: int) -> Any:
    """What identifies a list item across versions: a parameter by where and name, a reference by its target."""
    if isinstance(item, Mapping):
        if "name" in item and "in" in item:
            return ("parameter", item["in"], item["name"])
        if isinstance(item.get("$ref"), str):
            return ("ref", item["$ref"])
    return ("index", index)


def differences(old: Any, new: Any, pointer: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every place where `old` and `new` differ: (pointer, old value or `_MISSING`, new value or `_MISSING`). Objects
    are walked key by key; lists of objects item by item (parameters by name, references by target); other lists, and
    scalars, are compared whole."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in old:
            if key not in new:
                yield f"{pointer}/{escape(key)}", old[key], _MISSING
        for key in new:
            if key not in old:
                yield f"{pointer}/{escape(key)}", _MISSING, new[key]
            else:
                yield from differences(old[key], new[key], f"{pointer}/{escape(key)}")
        return
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and any(isinstance(item, Mapping) for item in [*old, *new])
        and old != new
    ):
        old_keys = {_key(item, index): index for index, item in enumerate(old)}
        new_keys = {_key(item, index): index for index, item in enumerate(new)}
        if len(old_keys) == len(old) and len(new_keys) == len(new):
            for key, index in old_keys.items():
                if key not in new_keys:
                    yield f"{pointer}/{index}", old[index], _MISSING
            for key, index in new_keys.items():
                if key not in old_keys:
                    yield f"{pointer}/{index}", _MISSING, new[index]
                else:
                    yield from differences(old[old_keys[key]], new[index], f"{pointer}/{index}")
            return
    if old != new:
        yield pointer, old, new


def _covered(pointer: str, explained: set[str]) -> bool:
    parts = pointer.split("/")
    return any("/".join(parts[:end]) in explained for end in range(2, len(parts) + 1))


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def subject(pointer: str) -> str:
    """What a pointer's place is, readable: "`Job.status`", "parameter `limit`", "GET /jobs", "the API"."""
    parts = [_unescape(part) for part in pointer.split("/")[1:]]
    if parts[:2] == ["components", "schemas"] and len(parts) >= 3:
        names = [parts[2]] + [parts[i + 1] for i in range(3, len(parts) - 1) if parts[i] == "properties"]
        return f"`{'.'.join(names)}`"
    if parts[:1] == ["components"] and len(parts) >= 3:
        return f"{parts[1].rstrip('s')} `{parts[2]}`"
    if parts[:1] == ["paths"] and len(parts) >= 3 and parts[2] in HTTP_METHODS:
        inside = "/".join(parts[3:-1])
        return f"{parts[2].upper()} {parts[1]}" + (f" ({inside})" if inside else "")
    if parts[:1] == ["paths"] and len(parts) >= 2:
        return f"`{parts[1]}`"
    if parts[:1] == ["info"]:
        return "the API"
    return f"`#{pointer}`"


def _finding(rule: str, level: Level, pointer: str, title: str, message: str) -> Finding:
    return Finding(
        rule=rule, level=level, wire=False, pointer=pointer, title=f"{subject(pointer)}: {title}", message=message
    )


def _classify(pointer: str, before: Any, after: Any) -> Finding:
    parts = pointer.split("/")
    last = parts[-1]
    if last in _WORDING and isinstance(before if after is _MISSING else after, str):
        return _finding(
            "description-changed",
            "info",
            pointer,
            f"{_WORDING[last]} {'added' if before is _MISSING else 'removed' if after is _MISSING else 'reworded'}",
            "wording only: nothing changes on the wire; the generated docstrings follow",
        )
    if last == "x-enum-varnames":
        return _finding(
            "generated-names-changed",
            "info",
            pointer,
            "names of the generated enum's members changed",
            "nothing changes on the wire; the code rules say what it does to the code",
        )
    if last in _SAMPLES:
        return _finding("example-changed", "info", pointer, "example changed", "a sample only: nothing on the wire")
    if last == "title":
        return _finding(
            "title-changed",
            "info",
            pointer,
            f"title {before if before is not _MISSING else 'none'} → {after if after is not _MISSING else 'none'}",
            "nothing changes on the wire; a generated class named after it is renamed",
        )
    if last in _DOCUMENTATION or parts[1:2] in (["info"], ["tags"], ["externalDocs"]):
        return _finding("documentation-changed", "info", pointer, f"`{last}` changed", "documentation only")
    if parts[1:2] == ["servers"]:
        return _finding(
            "servers-changed", "info", pointer, "servers changed", "a generated client's base URL is its caller's"
        )
    if len(parts) == 4 and parts[1] == "components" and (before is _MISSING or after is _MISSING):
        # A component an operation uses is judged where it is used; this one is used by none.
        added = before is _MISSING
        return _finding(
            f"component-{'added' if added else 'removed'}",
            "info",
            pointer,
            f"{parts[2]} `{parts[3]}` {'added' if added else 'removed'}",
            "no operation uses it",
        )
    return _finding(
        "unclassified-change",
        "warning",
        pointer,
        f"`{last}` {'added' if before is _MISSING else 'removed' if after is _MISSING else 'changed'}",
        "no rule judges this change: review it by hand",
    )


def leftover_findings(
    old: Document, new: Document, findings: list[Finding], judged: frozenset[str] = frozenset()
) -> list[Finding]:
    """A finding for each textual difference no wire finding explains.

    Args:
        old: The old document.
        new: The new document.
        findings: The wire rules' findings (their `explains`, and everything below them).
        judged: Keywords the wire rules read and found no difference in (a type array turned into a null variant, an
            `allOf` merged into one schema): exactly these pointers, nothing below them.

    Returns:
        The findings for what is left.
    """
    explained = {pointer for finding in findings for pointer in finding.explains}
    referenced = _references(old.data) | _references(new.data)
    return [
        _classify(pointer, before, after)
        for pointer, before, after in differences(old.data, new.data)
        if not _covered(pointer, explained) and pointer not in judged and pointer not in referenced
    ]


def _references(node: Any) -> set[str]:
    """The pointers every `$ref` of a document names."""
    if isinstance(node, Mapping):
        found = {node["$ref"].removeprefix("#")} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()
