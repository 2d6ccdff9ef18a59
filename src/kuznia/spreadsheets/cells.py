"""One spreadsheet cell to one value, or a precise reason why not.

A cell from a .csv file is text; a cell from an .xlsx file may be text, a whole number, a float,
a boolean or a date. Nothing is guessed beyond what is written below:

- **money** is read from text (``"1250000.00"``, at most two decimals, no thousands separators,
  no exponent) or from a number cell. A float cell is accepted only when its shortest decimal
  form has at most two decimals and at most 15 significant digits, so the float stands for
  exactly one amount in cents (Excel stores ``550.5`` as a float; ``0.1 + 0.2`` typed as a formula
  result, ``0.30000000000000004``, is refused). The amount is taken from that decimal form, so no
  float arithmetic ever touches money.
- **months** are ``YYYY-MM`` text; a date cell on the first of a month (what Excel makes of
  ``2026-03`` typed by hand) is read as that month, any other date is refused.
- **whole numbers** are integer cells, float cells without a fraction, or digit text.
- **lists** are comma- or semicolon-separated text; an empty cell is the empty list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from kuznia.spreadsheets.tables import Column, ValueKind

_MONEY_TEXT = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")
_INTEGER_TEXT = re.compile(r"^[+-]?\d{1,18}$")
_LIST_SPLIT = re.compile(r"[,;]")
MAX_FLOAT_DIGITS = 15


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message says why, for people."""


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object, what: str) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool | datetime | date | time):
        raise CellError(f"{_show(raw)} is not {what}")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int | float):
        return repr(raw)
    raise CellError(f"{_show(raw)} is not {what}")


def _show(raw: object) -> str:
    if isinstance(raw, bool):
        return f"the logical value {str(raw).upper()}"
    if isinstance(raw, datetime | date):
        return f"the date {raw.isoformat()[:10]}"
    if isinstance(raw, time):
        return f"the time {raw.isoformat()}"
    return repr(raw)


def read_money(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise CellError(f"{_show(raw)} is not a money amount")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return _money_from_float(raw)
    text = raw.strip()
    if not _MONEY_TEXT.match(text):
        raise CellError(f"{text!r} is not a money amount (digits, at most 2 decimals, e.g. 550.00)")
    return Decimal(text)


def _money_from_float(raw: float) -> Decimal:
    shortest = repr(raw)
    try:
        amount = Decimal(shortest)
    except InvalidOperation:
        raise CellError(f"{shortest} is not a money amount") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise CellError(
            f"the number {shortest} has more than 2 decimals: type the amount as text, e.g. 550.00"
        )
    if len(amount.as_tuple().digits) > MAX_FLOAT_DIGITS:
        raise CellError(
            f"the number {shortest} has more than {MAX_FLOAT_DIGITS} digits, more than a "
            "spreadsheet number holds exactly: type the amount as text"
        )
    return amount.quantize(Decimal("0.01"))


def read_integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise CellError(f"{_show(raw)} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(f"{raw!r} is not a whole number")
    if isinstance(raw, str) and _INTEGER_TEXT.match(raw.strip()):
        return int(raw.strip())
    raise CellError(f"{_show(raw)} is not a whole number")


def read_number(raw: object) -> float:
    if isinstance(raw, bool):
        raise CellError(f"{_show(raw)} is not a number")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise CellError(f"{raw.strip()!r} is not a number") from None
        if value.is_finite():
            return float(value)
    raise CellError(f"{_show(raw)} is not a number")


def read_month(raw: object) -> str:
    if isinstance(raw, datetime | date):
        moment = raw if isinstance(raw, datetime) else datetime(raw.year, raw.month, raw.day)  # noqa: DTZ001
        if moment.day != 1 or moment.time() != time(0):
            raise CellError(f"{_show(raw)} is a day, not a month: write YYYY-MM, e.g. 2026-03")
        return f"{moment.year:04d}-{moment.month:02d}"
    return _text(raw, "a month (YYYY-MM)")


def read_list(raw: object) -> tuple[str, ...]:
    text = _text(raw, "a list of codes")
    return tuple(part.strip() for part in _LIST_SPLIT.split(text) if part.strip())


def _identifier(raw: object) -> str:
    return _text(raw, "an id")


def _plain_text(raw: object) -> str:
    return _text(raw, "text")


_READERS: dict[ValueKind, Callable[[object], Any]] = {
    ValueKind.MONEY: read_money,
    ValueKind.INTEGER: read_integer,
    ValueKind.NUMBER: read_number,
    ValueKind.MONTH: read_month,
    ValueKind.LIST: read_list,
    ValueKind.IDENTIFIER: _identifier,
}


def reader(column: Column) -> Callable[[object], Any]:
    """The function that reads a non-empty cell of ``column``."""
    return _READERS.get(column.kind, _plain_text)


def read_cell(column: Column, raw: object) -> Any:
    """The value of ``raw`` for ``column``; ``None`` for an empty cell."""
    if is_empty(raw):
        return None
    return reader(column)(raw)
