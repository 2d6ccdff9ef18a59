"""Money in a spreadsheet cell: a number when a double holds it exactly to the cent."""

from __future__ import annotations

from decimal import Decimal

MAX_EXACT_DIGITS = 15


def money_value(amount: Decimal) -> float | str:
    """A money amount as a spreadsheet number when a double holds it exactly to the cent (at most
    15 significant digits: the number's shortest form is then the amount), else as text."""
    cents = amount.quantize(Decimal("0.01"))
    if len(cents.as_tuple().digits) <= MAX_EXACT_DIGITS:
        return float(cents)
    return str(cents)
