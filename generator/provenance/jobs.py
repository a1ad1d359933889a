"""What a job is across reads (`x-jobs`, a root annotation of a document): where an operation's answer holds jobs,
which of their fields never change, how their status may move, and which list answer holds every job.

    x-jobs:
      scope: [$request.path.account_id]      # what a job id is unique within (runtime expressions of the request)
      reads:                                 # operation -> where its answer holds one job, or every job (`*`)
        slurper-get-job: $response.body#/result
        slurper-list-jobs: $response.body#/result/*
      removes: {slurper-delete-job: $request.path.job_id}   # operation -> the id of the job it deletes
      id: /id                                # pointers into a job
      status: /status
      moves: {running: [paused, aborted, completed], paused: [running, aborted], sourced|assumed: ...}
      unchanging:
        - {fields: [/id, /createdAt], sourced|assumed: ...}
      complete-list: {operation: slurper-list-jobs, limit: limit, offset: offset, sourced|assumed: ...}

`moves` gives each status the statuses it may move to next; a status it does not give any is final. A status written
with `{n}` stands for a family (`processing_{n}%`), whose number may only rise within the family. The conformance
suite (contract_tests/server/memory.py) holds every read to it; each part is a behaviour fact with its own mark
(`facts`), and the simulators take their moves from the same table.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .marks import KINDS, Fact, Mark, parse_mark
from .walk import ProvenanceError, operations

JOBS = "x-jobs"
_FAMILY = "{n}"


def _mark(entry: Mapping[str, Any], where: str) -> Mark:
    return parse_mark({kind: entry[kind] for kind in KINDS if kind in entry}, where)


@dataclass(frozen=True)
class Moves:
    """A job's legal moves from status to status.

    Attributes:
        table: Each status's next statuses, as written (a `{n}` family included).
        mark: Where the table comes from.
    """

    table: Mapping[str, tuple[str, ...]]
    mark: Mark

    @cached_property
    def _families(self) -> dict[str, re.Pattern[str]]:
        names = set(self.table) | {status for nexts in self.table.values() for status in nexts}
        return {
            name: re.compile("^" + re.escape(name).replace(re.escape(_FAMILY), "([0-9]+)") + "$")
            for name in names
            if _FAMILY in name
        }

    def node(self, status: Any) -> tuple[str, int | None] | None:
        """The table's name for a status (and its number, in a family), or None when the table does not name it."""
        text = str(status) if isinstance(status, str | int) and not isinstance(status, bool) else None
        if text is None:
            return None
        if text in self.table or any(text in nexts for nexts in self.table.values()):
            return text, None
        for name, pattern in self._families.items():
            found = pattern.match(text)
            if found:
                return name, int(found.group(1))
        return None

    def reachable(self, name: str) -> frozenset[str]:
        """The statuses a job in `name` may be in later, after any number of moves (itself included)."""
        seen, todo = {name}, [name]
        while todo:
            for following in self.table.get(todo.pop(), ()):
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        return frozenset(seen)

    def allows(self, before: Any, after: Any) -> bool:
        """Whether a job seen in status `before` may later be seen in `after`; True when the table names neither."""
        old, new = self.node(before), self.node(after)
        if old is None or new is None:
            return True
        if old[0] == new[0]:
            if old[1] is None or new[1] is None or new[1] >= old[1]:
                return True
            # A family's number may only fall after the job left the family and came back.
            return any(
                old[0] in self.reachable(following) for following in self.table.get(old[0], ()) if following != old[0]
            )
        return new[0] in self.reachable(old[0])

    def sources_of(self, target: str) -> frozenset[str]:
        """The statuses from which one move reaches `target`."""
        return frozenset(status for status, nexts in self.table.items() if target in nexts)


@dataclass(frozen=True)
class CompleteList:
    """The list answer that holds every job of its scope.

    Attributes:
        operation_id: The list operation.
        limit: Its page-size query parameter, if it pages: a page is complete when it starts at the first job and
            holds fewer jobs than the limit it asked for.
        offset: Its offset query parameter, if it pages.
        mark: Where that comes from.
    """

    operation_id: str
    limit: str | None
    offset: str | None
    mark: Mark


@dataclass(frozen=True)
class Jobs:
    """A document's `x-jobs`: what a job is across reads.

    Attributes:
        scope: Runtime expressions of a request that together say whose jobs it reads.
        reads: Each operation whose answer holds jobs, and the runtime expression of where (`*` for every item).
        removes: Each operation that deletes a job, and the runtime expression of the job's id.
        id: The pointer of a job's id.
        status: The pointer of its status.
        moves: Its legal moves.
        unchanging: The pointers of fields that never change, each with its mark and where that is declared.
        complete_list: The list that holds every job, if any.
    """

    scope: tuple[str, ...]
    reads: Mapping[str, str]
    removes: Mapping[str, str]
    id: str
    status: str
    moves: Moves
    unchanging: Mapping[str, tuple[Mark, str]]
    complete_list: CompleteList | None

    def facts(self) -> list[Fact]:
        """The behaviour facts the annotation states, each with its mark and where it is."""
        found = [
            Fact(
                "job status moves only as x-jobs/moves allows",
                "A later read never shows a job in a status its earlier status cannot move to (`x-jobs.moves`): "
                + "; ".join(f"{status} -> {', '.join(nexts)}" for status, nexts in self.moves.table.items())
                + "; any other status is final.",
                self.moves.mark,
                location=f"/{JOBS}/moves",
            )
        ]
        for field, (mark, declared) in self.unchanging.items():
            found.append(
                Fact(
                    f"job {field} never changes",
                    f"Every read of a job (a get, a list) shows the same `{field.lstrip('/')}`.",
                    mark,
                    location=declared,
                )
            )
        if self.complete_list is not None:
            found.append(
                Fact(
                    "a complete list holds every job",
                    f"`{self.complete_list.operation_id}`, when it answers the whole list, holds every job a get "
                    "has shown and no delete has removed.",
                    self.complete_list.mark,
                    location=f"/{JOBS}/complete-list",
                )
            )
        return found


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise ProvenanceError(f"{where}: a list of names")
    return tuple(str(item) for item in value)


def jobs(document: Any) -> Jobs | None:
    """A document's `x-jobs`, or None when it has none.

    Raises:
        ProvenanceError: It is malformed, or names an operation the document does not have.
    """
    entry = document.get(JOBS)
    if entry is None:
        return None
    where = f"/{JOBS}"
    known = {operation.operation_id for operation in operations(document)}
    expected = {"scope", "reads", "removes", "id", "status", "moves", "unchanging", "complete-list"}
    if not isinstance(entry, Mapping) or set(entry) - expected or not {"reads", "id", "status", "moves"} <= set(entry):
        raise ProvenanceError(f"{where}: {{scope, reads, removes, id, status, moves, unchanging, complete-list}}")
    reads = entry["reads"]
    if not isinstance(reads, Mapping) or not all(
        name in known and isinstance(at, str) and at.startswith("$response.body#") for name, at in reads.items()
    ):
        raise ProvenanceError(f"{where}/reads: operationId -> $response.body#<pointer>, for operations it has")
    removes = entry.get("removes") or {}
    if not isinstance(removes, Mapping) or not all(
        name in known and isinstance(at, str) and at.startswith("$request.") for name, at in removes.items()
    ):
        raise ProvenanceError(f"{where}/removes: operationId -> $request.<where the job id is>")
    moves = entry["moves"]
    if not isinstance(moves, Mapping):
        raise ProvenanceError(f"{where}/moves: status -> [next statuses], and a mark")
    table = {
        str(status): _strings(nexts, f"{where}/moves/{status}")
        for status, nexts in moves.items()
        if status not in KINDS
    }
    unchanging: dict[str, tuple[Mark, str]] = {}
    for position, group in enumerate(entry.get("unchanging") or []):
        at = f"{where}/unchanging/{position}"
        if not isinstance(group, Mapping) or set(group) - {"fields", *KINDS}:
            raise ProvenanceError(f"{at}: {{fields: [pointers], sourced|assumed: ...}}")
        mark = _mark(group, at)
        for field in _strings(group.get("fields"), f"{at}/fields"):
            unchanging[field] = (mark, at)
    complete = entry.get("complete-list")
    complete_list = None
    if complete is not None:
        at = f"{where}/complete-list"
        if not isinstance(complete, Mapping) or complete.get("operation") not in reads:
            raise ProvenanceError(f"{at}: {{operation: <one of reads>, limit?, offset?, sourced|assumed: ...}}")
        complete_list = CompleteList(
            complete["operation"], complete.get("limit"), complete.get("offset"), _mark(complete, at)
        )
    scope = _strings(entry.get("scope") or [], f"{where}/scope")
    return Jobs(
        scope,
        dict(reads),
        dict(removes),
        str(entry["id"]),
        str(entry["status"]),
        Moves(table, _mark(moves, f"{where}/moves")),
        unchanging,
        complete_list,
    )
