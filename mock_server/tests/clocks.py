"""The clocks the simulator tests run on, so that every timestamp is known in advance."""

import threading
from datetime import UTC, datetime, timedelta

CLOCK_START = datetime(2026, 11, 20, 9, 15, 2, 118000, tzinfo=UTC)


class SteppingClock:
    """A clock that moves 250 ms forward every time it is read."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(milliseconds=250)
        return now


class ManualClock:
    """A clock that stands still until a test moves it (from any thread: a served app reads it from its own)."""

    def __init__(self) -> None:
        self.now = CLOCK_START
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)
