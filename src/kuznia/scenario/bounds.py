"""The largest numbers and the window of dates every path accepts: stated once, here.

The scenario format writes money with at most 15 digits before the point; amounts are kept two
digits below that (9,999,999,999,999.99 in a record's currency), so a plan's totals over a
hundred of them still fit the format. Units stay below a billion, so the optimizer's integer
capacity over a 600-month horizon, and SQL sums over thousands of rows, fit 64-bit integers and
are exact in a float. Month counts (lead time, ramp-up, shipping lag) are bounded by the longest
horizon. Dates and months lie in the mechanism's window, from 2022 (the full-scale invasion)
to the end of 2099.

The scenario models (so its JSON Schema), the registry documents (so the OpenAPI document) and
the contracting use cases all take their bounds from here, and name them in their errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

MAX_UNITS: Final = 999_999_999
MAX_AMOUNT_CENTS: Final = 999_999_999_999_999
MAX_AMOUNT: Final = Decimal("9999999999999.99")
MAX_MONTHS: Final = 600
EARLIEST_MONTH: Final = "2022-01"
LATEST_MONTH: Final = "2099-12"
EARLIEST_DATE: Final = date(2022, 1, 1)
LATEST_DATE: Final = date(2099, 12, 31)
MAX_CAPEX: Final = Decimal("999999999999.99")
"""A capacity project's capital cost, at most 999,999,999,999.99 in its currency: a hundred
times the largest factory announced (a few billion), and a hundredth of ``MAX_AMOUNT``, so the
capex of every project of a scenario still fits a pledge's amount."""
MAX_CAPEX_CENTS: Final = int(MAX_CAPEX * 100)
"""``MAX_CAPEX`` in cents, as rows and spreadsheets hold it."""
MAX_BUILD_MONTHS: Final = 120
"""A capacity project is built in at most ten years (``build_months`` 0..120)."""


def month_in_window(month: str) -> str:
    """``month`` if it lies in the window, else ValueError naming the window."""
    if not EARLIEST_MONTH <= month <= LATEST_MONTH:
        raise ValueError(f"{month} is outside {EARLIEST_MONTH}..{LATEST_MONTH}")
    return month


def date_in_window(day: date) -> date:
    """``day`` if it lies in the window, else ValueError naming the window."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside {EARLIEST_DATE.isoformat()}..{LATEST_DATE.isoformat()}"
        )
    return day
