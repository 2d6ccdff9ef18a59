"""Calendar months as ``"YYYY-MM"`` strings and their arithmetic (indices from a start month)."""

from __future__ import annotations

import re

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_MONTH_RE = re.compile(MONTH_PATTERN)


def check_month(text: str) -> str:
    if not isinstance(text, str) or not _MONTH_RE.match(text):
        raise ValueError(f"{text!r} is not a month (expected YYYY-MM, e.g. 2026-01)")
    return text


def month_ordinal(month: str) -> int:
    """Months since year 0: ``"2026-01"`` -> 2026*12."""
    year, mon = check_month(month).split("-")
    return int(year) * 12 + int(mon) - 1


def month_from_ordinal(ordinal: int) -> str:
    year, mon = divmod(ordinal, 12)
    return f"{year:04d}-{mon + 1:02d}"


def month_index(start: str, month: str) -> int:
    """Index of ``month`` counted from ``start`` (m = 0); negative before the start."""
    return month_ordinal(month) - month_ordinal(start)


def add_months(month: str, count: int) -> str:
    return month_from_ordinal(month_ordinal(month) + count)


def month_range(start: str, count: int) -> list[str]:
    base = month_ordinal(start)
    return [month_from_ordinal(base + i) for i in range(count)]
