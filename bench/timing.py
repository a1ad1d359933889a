"""Per-call timing of functions measured side by side: warm-up, calibrated loops, repeated runs, median and spread.

The functions are timed in turns (a run of the first, a run of the second, ...), so a slow patch of the machine
affects all of them alike and their ratio stays meaningful. The garbage collector stays on: a client that allocates
more objects pays for the collections it causes, as it does in real use. A run makes at least `min_calls` calls, so
that a slow call (a 1,000-job page takes milliseconds) still spans several of the collector's full collections
instead of catching one or none of them by chance.
"""

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """How long to measure each function.

    Attributes:
        repeats: How many timed runs; the median of them is reported.
        seconds: How long one run lasts at least; the number of calls in a run is calibrated to it.
        profile_seconds: How long a call that misses its target is profiled to say where its time goes.
        min_calls: The fewest calls in a run, however long they take.
    """

    repeats: int
    seconds: float
    profile_seconds: float
    min_calls: int = 1


FULL = Budget(repeats=21, seconds=0.05, profile_seconds=1.0, min_calls=64)
QUICK = Budget(repeats=3, seconds=0.005, profile_seconds=0.05)


@dataclass(frozen=True)
class Timing:
    """What one function's runs measured.

    Attributes:
        per_call: Seconds per call, one figure per timed run.
    """

    per_call: tuple[float, ...]

    @property
    def median(self) -> float:
        """The median seconds per call."""
        return statistics.median(self.per_call)

    @property
    def spread(self) -> float:
        """Half the interquartile range of the runs, as a fraction of the median (0.01 is +-1%)."""
        if len(self.per_call) < 2:
            return 0.0
        first, _, third = statistics.quantiles(self.per_call, n=4, method="inclusive")
        return (third - first) / 2 / self.median


def _seconds_per_call(function: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def _calls_per_run(function: Callable[[], object], seconds: float, min_calls: int) -> int:
    """The smallest power of two of calls, `min_calls` at least, that lasts at least `seconds`; finding it is the
    warm-up."""
    calls = 1
    while _seconds_per_call(function, calls) * calls < seconds or calls < min_calls:
        calls *= 2
    return calls


def measure(functions: Sequence[Callable[[], object]], budget: Budget) -> list[Timing]:
    """Time each function, in turns.

    Args:
        functions: What to time; each is called with no arguments.
        budget: How many runs, and how long each.

    Returns:
        One timing per function, in the same order.
    """
    calls = [_calls_per_run(function, budget.seconds, budget.min_calls) for function in functions]
    runs: list[list[float]] = [[] for _ in functions]
    for _ in range(budget.repeats):
        for function, count, figures in zip(functions, calls, runs, strict=True):
            figures.append(_seconds_per_call(function, count))
    return [Timing(tuple(figures)) for figures in runs]
