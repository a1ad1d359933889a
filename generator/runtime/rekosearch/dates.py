"""RekoSearch's `date` format, `YYYY-MM-DD HH:MM:SS.fffffffff UTC`, as an aware `datetime`.

Hand-written; copied into generated_client/rekosearch/ by `python -m generator` (source: generator/runtime/rekosearch/).

The API writes a job's `date` the way Rust's chrono prints a UTC time: a space between date and time, a fraction of
up to nine digits (nanoseconds) or none, and a literal ` UTC`, e.g. `2025-08-16 09:30:12.123456789 UTC`. It is not
RFC 3339 (and `datetime.fromisoformat` does not read it), so the document declares it as a string with a pattern and
this module reads it.

Python's `datetime` holds microseconds, so digits beyond the sixth are truncated, never rounded: the result is the
latest microsecond that is not after the written time (`.123456789` -> `.123456`). Truncating keeps the date of the
last nanoseconds of a day on that day, and keeps two times in the same order as their text (or equal).
"""

import re
from datetime import UTC, datetime

__all__ = ["parse_date"]

_DATE = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r" (?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]{1,9}))? UTC"
)
_MICROSECOND_DIGITS = 6


def parse_date(value: str) -> datetime:
    """Turn a RekoSearch `date` into an aware datetime in UTC.

    Args:
        value: The `date` of a job, e.g. `"2025-08-16 09:30:12.123456789 UTC"` (0 to 9 fractional digits).

    Returns:
        The time with `tzinfo=UTC`; fractional digits beyond microseconds are truncated.

    Raises:
        ValueError: `value` is not in that format (RFC 3339, another zone, no ` UTC`) or is not a real time
            (a 13th month; a leap second, `:60`, which `datetime` cannot hold).
    """
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"not a RekoSearch date (YYYY-MM-DD HH:MM:SS.fffffffff UTC): {value[:60]!r}")
    fraction = (match["fraction"] or "")[:_MICROSECOND_DIGITS]
    try:
        return datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            int(fraction.ljust(_MICROSECOND_DIGITS, "0")),
            tzinfo=UTC,
        )
    except ValueError as error:
        raise ValueError(f"not a real time: {value!r} ({error})") from None
