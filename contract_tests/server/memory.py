"""Reads that agree: the run remembers every job it reads, and holds each later read to the document's `x-jobs`
(`generator.provenance.Jobs`).

- A field `x-jobs.unchanging` names reads the same every time, in a get and in a list alike.
- A job's status only moves as `x-jobs.moves` allows: a later read never shows a status its earlier one cannot reach
  (a status that moved backwards, a final job that runs again, list and get telling different stories).
- A complete list (`x-jobs.complete-list`: the whole list, not one page of it) holds every job a get has shown. One
  that is missing is asked for again with the same get first: a job some other client deleted in between is
  forgotten, not reported.

A job is remembered by its id within its scope (`x-jobs.scope`: the account, the content, the user's token) on one
server; a delete (`x-jobs.removes`) forgets it. One `Memory` belongs to one run; the schemathesis check
(`checks.SharedChecks.reads_agree`) and the lifecycle tests' `Verdicts.check_response` feed it every answer they see.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx

from contract_tests.documents import load
from contract_tests.server.echo import Exchange, at_pointer, evaluate, forwarded_headers
from generator import provenance
from generator.provenance import Jobs

MOVES = "job status moves only as x-jobs/moves allows"
COMPLETE = "a complete list holds every job"


@cache
def jobs_of(api: str) -> Jobs | None:
    """`api`'s `x-jobs`, or None when its document has none."""
    return provenance.jobs(load(api))


def unchanging_fact(field: str) -> str:
    """The name of the fact that `field` never changes."""
    return f"job {field} never changes"


@dataclass
class Seen:
    """What the run last saw of one job.

    Attributes:
        status: Its status.
        fields: Its unchanging fields, by pointer.
        read_by: The operation of that read.
        again: The get that showed it, to ask again; None while only lists have shown it.
    """

    status: Any
    fields: dict[str, Any] = field(default_factory=dict)
    read_by: str = ""
    again: httpx.Request | None = None


@dataclass(frozen=True)
class Broken:
    """A read that contradicts an earlier one.

    Attributes:
        fact: The fact it breaks.
        message: What was seen, and when.
        assumed: Whether that fact is assumed.
    """

    fact: str
    message: str
    assumed: bool


class Memory:
    """What one run has seen of every job (see the module docstring)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, tuple[str, ...], str], Seen] = {}

    def observe(self, api: str, exchange: Exchange) -> list[Broken]:
        """Remember what one answer shows of jobs, and say what it contradicts of earlier reads.

        Args:
            api: The API.
            exchange: The request and its answer.

        Returns:
            What the answer contradicts, empty when it agrees with every earlier read (or holds no job).
        """
        declared = jobs_of(api)
        if declared is None or not 200 <= exchange.status < 300:
            return []
        scope = self._scope(api, declared, exchange)
        removed = declared.removes.get(exchange.operation_id)
        if removed is not None:
            for _, job_id in evaluate(removed, exchange):
                self._seen.pop((*scope, str(job_id)), None)
            return []
        at = declared.reads.get(exchange.operation_id)
        if at is None:
            return []
        broken: list[Broken] = []
        shown = set()
        single = "*" not in at
        for _, job in evaluate(at, exchange):
            found, job_id = at_pointer(job, declared.id)
            if not found or job_id is None:
                continue
            shown.add(str(job_id))
            broken.extend(self._compare(declared, (*scope, str(job_id)), job, exchange, single))
        if self._complete(declared, exchange, len(shown)):
            assumed = declared.complete_list is not None and declared.complete_list.mark.assumed
            broken.extend(self._missing(scope, shown, exchange.operation_id, assumed))
        return broken

    def _scope(self, api: str, declared: Jobs, exchange: Exchange) -> tuple[str, str, tuple[str, ...]]:
        server = httpx.URL(exchange.url)
        values = tuple(str(value) for expression in declared.scope for _, value in evaluate(expression, exchange))
        return api, f"{server.scheme}://{server.netloc.decode()}", values

    def _compare(
        self, declared: Jobs, key: tuple[str, str, tuple[str, ...], str], job: Any, exchange: Exchange, single: bool
    ) -> Iterator[Broken]:
        _, status = at_pointer(job, declared.status)
        fields = {}
        for pointer in declared.unchanging:
            found, value = at_pointer(job, pointer)
            if found:
                fields[pointer] = value
        before = self._seen.get(key)
        job_id = key[-1]
        if before is not None:
            for pointer, value in fields.items():
                if pointer in before.fields and before.fields[pointer] != value:
                    yield Broken(
                        unchanging_fact(pointer),
                        f"job {job_id}: {exchange.operation_id} shows {pointer} {value!r}, "
                        f"but {before.read_by} showed {before.fields[pointer]!r}",
                        declared.unchanging[pointer][0].assumed,
                    )
            if not declared.moves.allows(before.status, status):
                yield Broken(
                    MOVES,
                    f"job {job_id}: {exchange.operation_id} shows status {status!r}, but {before.read_by} showed "
                    f"{before.status!r} before, which cannot move to it",
                    declared.moves.mark.assumed,
                )
        seen = before or Seen(status)
        seen.status, seen.read_by = status, exchange.operation_id
        seen.fields.update(fields)
        if single:
            seen.again = httpx.Request("GET", exchange.url, headers=forwarded_headers(exchange))
        self._seen[key] = seen

    @staticmethod
    def _complete(declared: Jobs, exchange: Exchange, count: int) -> bool:
        complete = declared.complete_list
        if complete is None or complete.operation_id != exchange.operation_id:
            return False
        if complete.offset is not None and exchange.query.get(complete.offset, "0") != "0":
            return False
        if complete.limit is None:
            return True
        limit = exchange.query.get(complete.limit)
        return limit is not None and limit.isdigit() and count < int(limit)

    def _missing(
        self, scope: tuple[str, str, tuple[str, ...]], shown: set[str], listed_by: str, assumed: bool
    ) -> Iterator[Broken]:
        for key, seen in list(self._seen.items()):
            if key[:3] != scope or key[3] in shown or seen.again is None:
                continue
            with httpx.Client(timeout=30) as client:
                again = client.send(seen.again)
            if again.status_code == 404 or again.status_code == 410:
                del self._seen[key]
                continue
            if 200 <= again.status_code < 300:
                yield Broken(
                    COMPLETE,
                    f"job {key[3]}: {listed_by} answered the whole list without it, yet "
                    f"GET {seen.again.url} still shows it",
                    assumed,
                )
