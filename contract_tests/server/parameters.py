"""Query parameters held to their documented meaning, whatever the API: what a paging pair (`limit`, `offset`) or a
bound on a log (`maxLogLines`) promises, judged against what a server answered.

The tests of `contract_tests/server/<api>/test_parameters.py` read the answers; the functions here only judge them,
returning what is wrong (an empty list when nothing is), so that each test wraps the assertion in the fact it rests
on (`verdicts.expecting`).
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

# A page reader: (offset, limit) -> the entries of that page.
PageReader = Callable[[int, int], Sequence[Any]]
# What identifies an entry, for comparing pages and for the messages.
Key = Callable[[Any], Hashable]
# How many entries of a list a message shows.
SHOWN = 8


@dataclass
class Walk:
    """A list read page by page: offset 0 first, then each page's end, until a page is empty.

    Attributes:
        limit: The `limit` of every page.
        pages: Each page read, with the offset it was read at.
        ended: Whether an empty page ended the walk (False: it stopped at `through`, or gave up).
    """

    limit: int
    pages: list[tuple[int, list[Any]]] = field(default_factory=list)
    ended: bool = False


def walk(read: PageReader, limit: int, through: int) -> Walk:
    """Walk a list of `through` entries (or at least that many) page by page.

    Args:
        read: Reads one page.
        limit: The page size asked for.
        through: How many entries the list read in one page has; the walk reads one page past them (an empty one,
            when that was the whole list) and never more than `through + 2` pages, so a server that ignores the
            offset cannot keep it going.

    Returns:
        The walk.
    """
    done = Walk(limit)
    offset = 0
    for _ in range(through + 2):
        page = list(read(offset, limit))
        done.pages.append((offset, page))
        if not page:
            done.ended = True
            return done
        offset += len(page)
        if offset > through:
            return done
    return done


def _shown(keys: Sequence[Hashable]) -> str:
    listed = ", ".join(str(key) for key in keys[:SHOWN])
    return f"[{listed}{', ...' if len(keys) > SHOWN else ''}]"


def paging_problems(whole: Sequence[Any], complete: bool, done: Walk, key: Key) -> list[str]:
    """What a walk shows wrong with `offset` and `limit`: a page longer than the limit, a page that is not the part of
    the whole list its offset names (it repeats entries of an earlier page, or skips some), or a walk whose pages
    together are not the whole list.

    Args:
        whole: The list read in one page (the largest the API allows).
        complete: Whether that page was the whole list (shorter than the largest page): the walk must then end with
            an empty page right after its last entry.
        done: The walk.
        key: What identifies an entry.

    Returns:
        The problems, each a sentence.
    """
    expected = [key(entry) for entry in whole]
    problems = []
    seen: list[Hashable] = []
    for offset, page in done.pages:
        keys = [key(entry) for entry in page]
        if len(keys) > done.limit:
            problems.append(f"the page at offset {offset} has {len(keys)} entries, more than limit={done.limit}")
        there = expected[offset : offset + len(keys)]
        if offset < len(expected) and keys[: len(there)] != there:
            repeated = [each for each in keys if each in seen]
            skipped = [each for each in there if each not in keys and each not in seen]
            why = []
            if repeated:
                why.append(f"it repeats {_shown(repeated)} of earlier pages (the pages overlap)")
            if skipped:
                why.append(f"it leaves out {_shown(skipped)} (a gap)")
            problems.append(
                f"limit={done.limit} offset={offset} gave {_shown(keys)}, but entries {offset}.. of the whole list are "
                f"{_shown(there)}" + (f": {'; '.join(why)}" if why else " (another order)")
            )
            return problems
        seen += keys
    walked = sum(len(page) for _, page in done.pages)
    if complete:
        if walked < len(expected):
            problems.append(
                f"with limit={done.limit} the walk ended after {walked} entries (an empty page at offset {walked}), "
                f"but the list has {len(expected)}: the rest is never reached"
            )
        elif walked > len(expected) or not done.ended:
            problems.append(
                f"with limit={done.limit} the pages past the end of the list ({len(expected)} entries) are not empty: "
                f"{_shown([key(entry) for _, page in done.pages for entry in page][len(expected) :])}"
            )
    elif walked < len(expected):
        problems.append(f"with limit={done.limit} the walk ended after {walked} of {len(expected)} entries")
    return problems


def short_pages(whole: Sequence[Any], complete: bool, done: Walk) -> list[str]:
    """The pages of a walk that have fewer entries than `limit` while the list has more after them.

    Args:
        whole: The list read in one page.
        complete: Whether that page was the whole list.
        done: The walk.

    Returns:
        The problems, each a sentence.
    """
    problems = []
    for offset, page in done.pages:
        remaining = len(whole) - offset
        if complete:
            wanted = max(0, min(done.limit, remaining))
        elif remaining >= done.limit:
            wanted = done.limit
        else:
            continue
        if len(page) < wanted:
            problems.append(
                f"limit={done.limit} offset={offset} gave {len(page)} entries while the list has {remaining} from there"
            )
    return problems


def stable_walks(
    read: PageReader, limits: Sequence[int], largest: int, key: Key, attempts: int = 3
) -> tuple[list[Any], list[Walk]] | None:
    """Walk a list with each limit, between two reads of it in one page that agree (on a live server other clients
    may add or remove entries meanwhile: then it is tried again).

    Args:
        read: Reads one page.
        limits: The page sizes to walk with.
        largest: The largest `limit` the API allows: the one page the walks are compared with.
        key: What identifies an entry.
        attempts: How many times to try before giving up.

    Returns:
        The list read in one page (the second read) and the walks; None when the list changed during every attempt.
    """
    for _ in range(attempts):
        before = list(read(0, largest))
        walks = [walk(read, limit, len(before)) for limit in limits]
        after = list(read(0, largest))
        if [key(entry) for entry in before] == [key(entry) for entry in after]:
            return after, walks
    return None


def last_entries_problems(whole: Sequence[Any], part: Sequence[Any], n: int) -> list[str]:
    """What is wrong with `part` as the last `n` entries of `whole` (a log bounded from its end, like `tail -n`).

    Args:
        whole: The whole list.
        part: The list asked for with the bound n.
        n: The bound.

    Returns:
        The problems, each a sentence.
    """
    wanted = list(whole[-n:]) if n else []
    if list(part) == wanted:
        return []
    if list(part) == list(whole[: len(part)]) and len(part) < len(whole):
        where = "the first entries"
    else:
        where = "not its last entries"
    return [f"with the bound {n} the answer has {len(part)} entries of the {len(whole)}: {where}"]
