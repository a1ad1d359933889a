"""The audit of a document against what its sources state (`x-sources`): every constraint the sources do not state
carries a mark, every citation names a section or a seed that exists, and the sources' statuses are all there."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .marks import SOURCES, Mark, check_marks, facts, mark_of, marked, parse_mark
from .walk import MARKS, STATUS, Constraint, ProvenanceError, constraints, covered, escape, index, operations

_SECTION = re.compile(r"§([0-9]+(?:\.[0-9]+)*)")
_SEED = re.compile(r"\bseed ([0-9]{3})\b")


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
    for key, _found in stated.items():
        operation, _, keyword, status = key
        if keyword == STATUS and (operation, status) not in our_statuses:
            problems.append(f"{label}: {operation} leaves out status {status}, which the sources declare")
    return Audit(problems, beyond)
