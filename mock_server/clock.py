"""What tells a simulator the time: a `Clock` is any callable that returns an aware datetime.

Every state machine reads the time only through its clock, so a test that injects one it moves decides when jobs
run, finish and expire, and every timestamp is known in advance.
"""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Tell the time.

    Returns:
        The current time in UTC.
    """
    return datetime.now(UTC)
