"""`python -m bench --profile KEY`: where one case's floor and client spend their time (`bench.hotspots`)."""

from bench.apis import all_cases
from bench.clients import prepared
from bench.hotspots import hotspots, render_hotspots

# How long each side is profiled, and how many functions are listed.
_SECONDS = 2.0
_TOP = 25


def main(key: str) -> int:
    """Print the hotspots of the floor and of the client of the case called `key` (`python -m bench --help`)."""
    case = next(case for case in all_cases() if case.key == key)
    with prepared(case) as calls:
        for side, function in (("floor (raw httpx + json)", calls.floor), ("generated client", calls.client)):
            profiled, spots = hotspots(function, _SECONDS, _TOP)
            print(f"\n== {case.name}, {side}: {profiled} calls profiled, top {_TOP} functions by own time ==")
            print(render_hotspots(spots))
    return 0
