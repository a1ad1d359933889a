"""Where a function spends its time, by cProfile: the functions with the most own time, as shares of the whole.

cProfile's own cost per function call inflates code made of many small calls (model parsing) more than code that is
not, so the shares say where time goes, not how long a call takes.
"""

import cProfile
import pstats
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.table import render

# Function locations are shown relative to the first of these that holds them: installed packages (inside the
# repository's .venv), the standard library, the repository.
_PREFIXES = (
    Path(sysconfig.get_paths()["purelib"]),
    Path(sysconfig.get_paths()["stdlib"]),
    Path(__file__).resolve().parent.parent,
)


@dataclass(frozen=True)
class Hotspot:
    """One function's part of the profiled calls.

    Attributes:
        function: Where it is, `path:line(name)`, or the name of a built-in.
        share: Its own time (not counting the functions it calls) over the total.
        calls: How often it ran per profiled call.
    """

    function: str
    share: float
    calls: float


def _where(filename: str, line: int, name: str) -> str:
    if filename == "~":
        return name
    path = Path(filename)
    for prefix in _PREFIXES:
        if path.is_relative_to(prefix):
            return f"{path.relative_to(prefix)}:{line}({name})"
    return f"{path}:{line}({name})"


def hotspots(function: Callable[[], object], seconds: float, top: int) -> tuple[int, list[Hotspot]]:
    """Call `function` under cProfile for about `seconds` (at least once).

    Returns:
        How many calls were profiled, and the `top` functions by own time, largest first.
    """
    profiler = cProfile.Profile()
    calls = 0
    end = time.perf_counter() + seconds
    profiler.enable()
    while calls == 0 or time.perf_counter() < end:
        function()
        calls += 1
    profiler.disable()
    # pstats keeps, per function, (primitive calls, calls, own time, cumulative time, callers).
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(own for _, _, own, _, _ in stats.values()) or 1.0
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return calls, [Hotspot(_where(*key), own / total, count / calls) for key, (_, count, own, _, _) in ranked]


def render_hotspots(spots: list[Hotspot]) -> str:
    """A table of hotspots: share of own time, calls per profiled call, function."""
    rows = [[f"{spot.share:.1%}", f"{spot.calls:.6g}", spot.function] for spot in spots]
    return render(["own time", "per call", "function"], rows, right={0, 1})
