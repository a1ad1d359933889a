"""generator/runtime/rekosearch/dates.py, as it ships in generated_client.rekosearch: RekoSearch's `date` format
(`YYYY-MM-DD HH:MM:SS.fffffffff UTC`) becomes an aware UTC datetime, nanoseconds truncated to microseconds, and
nothing else is accepted. The parser and the document's pattern agree on what a date is."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generated_client.rekosearch.dates import parse_date
from generator.registry import ROOT

DOCUMENT = yaml.safe_load((ROOT / "openapi/rekosearch.yaml").read_text())
PATTERN = re.compile(DOCUMENT["components"]["schemas"]["JobDate"]["pattern"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-01 12:00:00.000000000 UTC", datetime(2020, 1, 1, 12, 0, 0, 0, tzinfo=UTC)),
        ("2025-08-16 09:30:12.123456789 UTC", datetime(2025, 8, 16, 9, 30, 12, 123456, tzinfo=UTC)),
        ("2025-08-16 09:30:12.123456 UTC", datetime(2025, 8, 16, 9, 30, 12, 123456, tzinfo=UTC)),
        ("2025-08-16 10:02:47.500 UTC", datetime(2025, 8, 16, 10, 2, 47, 500000, tzinfo=UTC)),
        ("2025-08-16 10:02:47.5 UTC", datetime(2025, 8, 16, 10, 2, 47, 500000, tzinfo=UTC)),
        ("2025-08-16 10:02:47 UTC", datetime(2025, 8, 16, 10, 2, 47, tzinfo=UTC)),
        ("2025-08-16 10:05:03.000000001 UTC", datetime(2025, 8, 16, 10, 5, 3, tzinfo=UTC)),
        ("2024-02-29 23:59:59.999999999 UTC", datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_date_becomes_an_aware_utc_datetime(text: str, expected: datetime) -> None:
    parsed = parse_date(text)

    assert parsed == expected
    assert parsed.tzinfo is UTC
    assert parsed.utcoffset() == timedelta(0)


def test_nanoseconds_are_truncated_not_rounded() -> None:
    """The last nanosecond of a day stays on that day (rounding would move it to the next one)."""
    assert parse_date("2025-12-31 23:59:59.999999999 UTC").date().isoformat() == "2025-12-31"
    assert parse_date("2025-08-16 09:30:12.123456999 UTC").microsecond == 123456


@pytest.mark.parametrize(
    "text",
    [
        "2025-08-16T09:30:12.123456789Z",
        "2025-08-16T09:30:12+00:00",
        "2025-08-16 09:30:12.123456789",
        "2025-08-16 09:30:12.123456789 utc",
        "2025-08-16 09:30:12.123456789 CET",
        "2025-08-16 09:30:12.123456789 +00:00",
        "2025-08-16 09:30:12.1234567890 UTC",
        "2025-08-16 09:30:12. UTC",
        "2025-08-16 9:30:12 UTC",
        "2025-8-16 09:30:12 UTC",
        " 2025-08-16 09:30:12 UTC",
        "2025-08-16 09:30:12 UTC\n",
        "2025-08-16  09:30:12 UTC",
        "２０２５-08-16 09:30:12 UTC",  # noqa: RUF001 (fullwidth digits: \d would take them, [0-9] does not)
        "",
        "yesterday",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a RekoSearch date"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["2025-13-01 00:00:00 UTC", "2025-02-29 00:00:00 UTC", "2025-08-16 24:00:00 UTC", "2016-12-31 23:59:60 UTC"]
)
def test_a_date_that_is_not_a_real_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a real time"):
        parse_date(text)


def test_a_long_bad_value_is_cut_short_in_the_message() -> None:
    with pytest.raises(ValueError, match="not a RekoSearch date") as raised:
        parse_date("x" * 10_000)
    assert len(str(raised.value)) < 200


DATETIMES = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31))


def _written(moment: datetime, nanoseconds: int) -> str:
    """A time as the API writes it, with nine fractional digits."""
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond:06d}{nanoseconds:03d} UTC"


@given(DATETIMES, st.integers(0, 999))
def test_written_with_nine_digits_any_time_reads_back_to_the_microsecond(moment: datetime, nanoseconds: int) -> None:
    text = _written(moment, nanoseconds)

    assert PATTERN.fullmatch(text)
    assert parse_date(text) == moment.replace(tzinfo=UTC)


@given(DATETIMES, st.integers(0, 999), DATETIMES, st.integers(0, 999))
def test_the_order_of_two_dates_is_kept(first: datetime, first_ns: int, second: datetime, second_ns: int) -> None:
    (earlier, earlier_ns), (later, later_ns) = sorted([(first, first_ns), (second, second_ns)])

    assert parse_date(_written(earlier, earlier_ns)) <= parse_date(_written(later, later_ns))


@given(st.from_regex(PATTERN, fullmatch=True))
def test_whatever_the_documents_pattern_allows_is_read_or_refused_as_no_real_time(text: str) -> None:
    try:
        parsed = parse_date(text)
    except ValueError as error:
        # Either outcome is right (pytest.raises would demand the error): only the reason is checked.
        assert "not a real time" in str(error)  # noqa: PT017
    else:
        assert parsed.tzinfo is UTC


def _date_examples(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [value for key, value in node.items() if key == "date" and isinstance(value, str)]
        return found + [date for value in node.values() for date in _date_examples(value)]
    if isinstance(node, list):
        return [date for value in node for date in _date_examples(value)]
    return []


def test_every_date_in_the_document_parses() -> None:
    dates = _date_examples(DOCUMENT)

    assert len(dates) >= 5
    for text in dates:
        assert parse_date(text).tzinfo is UTC
