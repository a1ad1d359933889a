"""What a write changed: the jobs a test watches, read before and after the write, and the differences between the two
reads, for every API alike.

A test reads the jobs it watches (the ones it created, or the ones a live server lets it read) into a `Snapshot`: each
job, by a key the test chooses (its tenant and id), as the few fields that tell its state. After the write it reads them
again, and `unexplained` gives every difference that neither the write nor time explains: a change to a job the write
was not aimed at that no job makes by itself (each API says which moves a job makes by itself: `by_themselves`), a job
that vanished, a job that appeared. What the write must have done to its own job each test asserts itself.
"""

import time
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# A job's state as a snapshot keeps it: the fields that tell it, by name.
State = Mapping[str, Any]
Snapshot = dict[Hashable, State]


def take(jobs: Iterable[tuple[Hashable, Mapping[str, Any]]], fields: Sequence[str]) -> Snapshot:
    """Keep the state of some jobs.

    Args:
        jobs: Each job's key and the job as read (a JSON object).
        fields: The fields that tell a job's state; a field the job lacks is kept as None.

    Returns:
        The snapshot.
    """
    return {key: {name: job.get(name) for name in fields} for key, job in jobs}


@dataclass(frozen=True)
class Change:
    """One job's difference between two snapshots.

    Attributes:
        job: The job's key.
        before: Its state before, or None when it was not there.
        after: Its state after, or None when it is gone.
    """

    job: Hashable
    before: State | None
    after: State | None

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.job} appeared: {dict(self.after or {})}"
        if self.after is None:
            return f"{self.job} is gone (it was {dict(self.before)})"
        moved = {name: (self.before.get(name), value) for name, value in self.after.items()}
        return f"{self.job} changed: " + ", ".join(
            f"{name} {old!r} -> {new!r}" for name, (old, new) in moved.items() if old != new
        )


def changes(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every job that differs between two snapshots (appeared, gone or changed), in the order first seen."""
    found = []
    for job in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(job), after.get(job)
        if old != new:
            found.append(Change(job, old, new))
    return found


def nothing_by_itself(before: State, after: State) -> bool:
    """No job changes by itself (the default of `unexplained`)."""
    return False


def unexplained(
    before: Snapshot,
    after: Snapshot,
    *,
    aimed_at: Collection[Hashable] = (),
    by_themselves: Callable[[State, State], bool] = nothing_by_itself,
    may_appear: bool = False,
) -> list[Change]:
    """The changes between two snapshots that the write between them does not explain.

    Args:
        before: The jobs before the write.
        after: The same jobs after it (read the same way).
        aimed_at: The keys of the jobs the write was aimed at; whatever happened to them is the test's to judge.
        by_themselves: Whether a job may have moved from one state to the other without anyone asking (a running
            job completing, say); a job that vanished never did.
        may_appear: Whether new jobs may appear (an app that starts a new process by itself).

    Returns:
        The unexplained changes; empty when the write changed nothing else.
    """
    found = []
    for change in changes(before, after):
        if change.job in aimed_at:
            continue
        if change.before is None and may_appear:
            continue
        if change.before is not None and change.after is not None and by_themselves(change.before, change.after):
            continue
        found.append(change)
    return found


def described(found: Sequence[Change]) -> str:
    """The changes, one a line, for an assertion's message."""
    return "\n".join(f"  {change}" for change in found)


def within(seconds: float, probe: Callable[[], bool], *, interval: float = 0.05) -> bool:
    """Whether `probe` comes true within `seconds` (it is tried at once, then every `interval` seconds)."""
    deadline = time.monotonic() + seconds
    while True:
        if probe():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
