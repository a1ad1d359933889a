"""`python -m bench --profile KEY`: where one case's client call spends its time, by cProfile.

The call is the same as the bench times (`bench.clients.prepared`); the profile of the floor is printed first, so
what the client adds stands out. cProfile's own cost per function call inflates code made of many small calls
(model parsing) more than code that is not, so its figures say where time goes, not how long a call takes.
"""

import cProfile
import io
import pstats
import time
from collections.abc import Callable

from bench.cases import CASES
from bench.clients import prepared

# How long each side is profiled, and how many functions are listed.
_SECONDS = 2.0
_TOP = 25


def _profile(title: str, function: Callable[[], object]) -> str:
    calls = 0
    profiler = cProfile.Profile()
    end = time.perf_counter() + _SECONDS
    profiler.enable()
    while time.perf_counter() < end:
        function()
        calls += 1
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats(pstats.SortKey.TIME).print_stats(_TOP)
    return f"== {title}: {calls} calls profiled, top {_TOP} functions by own time ==\n{stream.getvalue()}"


def main(key: str) -> int:
    """Profile the floor and the client of the case called `key`, and print both.

    Returns:
        0, or 2 when there is no such case.
    """
    cases = {case.key: case for case in CASES}
    if key not in cases:
        print(f"bench: no case {key!r}; one of {', '.join(cases)}")
        return 2
    with prepared(cases[key]) as calls:
        print(_profile(f"{key}: floor (raw httpx + json)", calls.floor))
        print(_profile(f"{key}: generated client", calls.client))
    return 0
