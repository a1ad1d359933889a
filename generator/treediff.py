"""A readable difference between two folders: files added, removed and changed (with a unified diff)."""

import difflib
from pathlib import Path

IGNORED_PARTS = {"__pycache__", ".ruff_cache", ".mypy_cache"}


def _files(root: Path) -> set[Path]:
    if not root.exists():
        return set()
    return {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
    }


def diff_trees(committed: Path, fresh: Path, label: str) -> list[str]:
    """Lines describing how `committed` differs from `fresh`; empty when they are identical byte for byte."""
    old, new = _files(committed), _files(fresh)
    lines: list[str] = []
    for rel in sorted(new - old):
        lines.append(f"missing from {label}: {rel} (the document now generates it)")
    for rel in sorted(old - new):
        lines.append(f"extra in {label}: {rel} (the document no longer generates it)")
    for rel in sorted(old & new):
        before, after = (committed / rel).read_bytes(), (fresh / rel).read_bytes()
        if before == after:
            continue
        lines.append(f"changed in {label}: {rel}")
        lines.extend(
            difflib.unified_diff(
                before.decode(errors="replace").splitlines(),
                after.decode(errors="replace").splitlines(),
                fromfile=f"committed/{rel}",
                tofile=f"regenerated/{rel}",
                lineterm="",
            )
        )
    return lines
