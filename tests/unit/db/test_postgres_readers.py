"""The faster readers of ``db/postgres.py`` give what pg8000's own give, value for value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pg8000.converters as converters
import pytest

from kuznia.db.postgres import DATE, READERS, TIMESTAMP, TIMESTAMPTZ, numbered

TIMESTAMPTZ_TEXTS = [
    "2026-12-02 13:04:27.123456+00",
    "2026-12-02 13:04:27+00",
    "2026-12-02 13:04:27.5+00",
    "2026-12-02 13:04:27.12+05:30",
    "2026-12-02 13:04:27.000001+05:45",
    "2026-12-02 13:04:27-03:30",
    "2026-12-02 13:04:27.999999-12",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "infinity",
    "-infinity",
    "2026-12-02 13:04:27+00 BC",
]
TIMESTAMP_TEXTS = [
    "2026-12-02 13:04:27.123456",
    "2026-12-02 13:04:27",
    "2026-12-02 13:04:27.5",
    "0001-01-01 00:00:00",
    "infinity",
    "-infinity",
]
DATE_TEXTS = ["2026-12-02", "0001-01-01", "9999-12-31", "infinity", "-infinity", "2026-12-02 BC"]


@pytest.mark.parametrize(
    ("oid", "original", "text"),
    [(TIMESTAMPTZ, converters.timestamptz_in, t) for t in TIMESTAMPTZ_TEXTS]
    + [(TIMESTAMP, converters.timestamp_in, t) for t in TIMESTAMP_TEXTS]
    + [(DATE, converters.date_in, t) for t in DATE_TEXTS],
)
def test_reader_gives_what_pg8000_gives(oid: int, original: object, text: str) -> None:
    ours, theirs = READERS[oid](text), original(text)  # type: ignore[operator]
    assert ours == theirs
    assert type(ours) is type(theirs)
    if isinstance(ours, datetime):
        assert ours.utcoffset() == theirs.utcoffset()


def test_timestamptz_is_aware() -> None:
    value = READERS[TIMESTAMPTZ]("2026-12-02 13:04:27.12+05:30")
    assert value == datetime(2026, 12, 2, 7, 34, 27, 120000, tzinfo=UTC)
    assert value.tzinfo == timezone(timedelta(hours=5, minutes=30))
    assert READERS[DATE]("2026-12-02") == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("SELECT a FROM t WHERE a = %s AND b = %s", "SELECT a FROM t WHERE a = $1 AND b = $2"),
        ("SELECT '%s', a FROM t WHERE a = %s", "SELECT '%s', a FROM t WHERE a = $1"),
        ("SELECT a %% 2 FROM t WHERE a = %s -- %s\n", "SELECT a % 2 FROM t WHERE a = $1 -- %s\n"),
        ('SELECT "%s" FROM t WHERE a = %s', 'SELECT "%s" FROM t WHERE a = $1'),
    ],
)
def test_numbered_placeholders_as_pg8000_numbers_them(statement: str, expected: str) -> None:
    assert numbered(statement) == expected
