"""The diff corpus (diff_corpus/: a base document and the changes made to it, with their verdicts), how a case's two
sides are made, and `git` in a throwaway repository (for a side at a revision)."""

import copy
import dataclasses
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from generator.diff.documents import Side, parse
from generator.registry import Api, load_apis

CORPUS = Path(__file__).with_name("diff_corpus")
BASE = CORPUS / "base.yaml"
BASE_TEXT = BASE.read_text()
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text())["cases"]
# The corpus's document generated as slurper's package: its configuration and runtime, the same on both sides, so
# that only the document's change shows in the code.
CORPUS_API: Api = dataclasses.replace(load_apis()["slurper"], spec=BASE)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _parent(document: Any, pointer: str) -> tuple[Any, str]:
    tokens = [_unescape(token) for token in pointer.split("/")[1:]]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, tokens[-1]


def apply_patch(document: Any, patch: list[dict[str, Any]]) -> Any:
    """`document` after a JSON Patch (RFC 6902: add, remove, replace, move), as a new document."""
    result = copy.deepcopy(document)
    for operation in patch:
        kind = operation["op"]
        if kind == "move":
            parent, key = _parent(result, operation["from"])
            value = parent.pop(int(key)) if isinstance(parent, list) else parent.pop(key)
            operation = {"op": "add", "path": operation["path"], "value": value}
            kind = "add"
        parent, key = _parent(result, operation["path"])
        if kind == "remove":
            del parent[int(key) if isinstance(parent, list) else key]
        elif kind == "replace":
            parent[int(key) if isinstance(parent, list) else key] = copy.deepcopy(operation["value"])
        elif kind == "add" and isinstance(parent, list):
            parent.insert(len(parent) if key == "-" else int(key), copy.deepcopy(operation["value"]))
        elif kind == "add":
            parent[key] = copy.deepcopy(operation["value"])
        else:
            raise ValueError(f"unknown patch operation {kind}")
    return result


def side(text: str, label: str) -> Side:
    return Side(label=label, path=label, text=text, document=parse(text, label))


def case_sides(case: dict[str, Any]) -> tuple[Side, Side]:
    """The base document and the base changed as the case says."""
    changed = apply_patch(yaml.safe_load(BASE_TEXT), case["change"])
    return side(BASE_TEXT, "base.yaml"), side(yaml.safe_dump(changed, sort_keys=False), f"base.yaml ({case['name']})")


def git(repository: Path, *arguments: str) -> None:
    """Run git in a throwaway repository, as a fixed author, its output captured; a failure raises. git is pinned to
    that repository (`GIT_DIR`, `GIT_WORK_TREE`, and no search upwards): inherited git variables, or a repository
    that was not made, can never turn these commits into commits of the project's own repository."""
    pinned = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    pinned |= {
        "GIT_DIR": str(repository / ".git"),
        "GIT_WORK_TREE": str(repository),
        "GIT_CEILING_DIRECTORIES": str(repository.parent),
    }
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *arguments],  # noqa: S607
        cwd=repository,
        env=pinned,
        check=True,
        capture_output=True,
    )
