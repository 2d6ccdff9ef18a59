"""The ``settings`` sheet of a registries workbook: the planning frame, one setting per row.

Rows are ``start_month``, ``horizon_months``, ``base_currency``, ``lateness_decay`` and one
``fx_rate.CODE`` per currency (base-currency units per one unit of CODE, decimal text). They are
checked by the scenario model, as the same fields of a scenario file are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from kuznia.scenario.io import cross_reference_problems, pydantic_problems
from kuznia.scenario.model import Scenario
from kuznia.spreadsheets.cells import CellError, is_empty, read_integer, read_month, read_number
from kuznia.spreadsheets.parsing import normalise_header
from kuznia.spreadsheets.problems import RowProblem
from kuznia.spreadsheets.reading import SheetRows
from kuznia.spreadsheets.workbook import FX_PREFIX, SETTINGS_SHEET


def _text(raw: object) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw) if isinstance(raw, int) else repr(raw)
    raise CellError(f"{raw!r} is not text")


_READERS: dict[str, Callable[[object], Any]] = {
    "start_month": read_month,
    "horizon_months": read_integer,
    "base_currency": _text,
    "lateness_decay": read_number,
}


class _Collected:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.rates: dict[str, str] = {}
        self.rows: dict[str, int] = {}
        self.problems: list[RowProblem] = []

    def problem(self, row: int, letter: str, message: str) -> None:
        column = "setting" if letter == "A" else "value"
        self.problems.append(RowProblem(row, column, letter, message, SETTINGS_SHEET))


def _collect(sheet: SheetRows) -> _Collected:
    found = _Collected()
    for number, cells in sheet.rows:
        name = normalise_header(cells[0] if cells else None)
        raw = cells[1] if len(cells) > 1 else None
        if not name:
            continue
        if name in found.rows:
            found.problem(number, "A", f"{name!r} is set twice (first on row {found.rows[name]})")
            continue
        found.rows[name] = number
        try:
            if is_empty(raw):
                raise CellError("is required but empty")
            if name.startswith(FX_PREFIX):
                found.rates[name.removeprefix(FX_PREFIX).upper()] = _text(raw)
            elif name in _READERS:
                found.values[name] = _READERS[name](raw)
            else:
                known = ", ".join([*_READERS, f"{FX_PREFIX}CODE"])
                found.problem(number, "A", f"unknown setting {name!r}; expected {known}")
        except CellError as exc:
            found.problem(number, "B", str(exc))
    return found


def _row_of(found: _Collected, path: str) -> int:
    head, _, code = path.partition(".")
    name = f"{FX_PREFIX}{code.lower()}" if head == "fx_rates" else head
    return found.rows.get(name, 1)


def parse_settings(sheet: SheetRows) -> tuple[Scenario | None, list[RowProblem]]:
    """The planning frame (a scenario without records), or every problem with the sheet."""
    header = tuple(normalise_header(c) for c in sheet.header[:2])
    found = _Collected()
    if header != ("setting", "value"):
        found.problem(1, "A", "the settings sheet starts with the columns 'setting' and 'value'")
        return None, found.problems
    found = _collect(sheet)
    for name in _READERS:
        if name not in found.rows:
            found.problem(1, "A", f"missing setting {name!r}")
    if found.problems:
        return None, found.problems
    try:
        frame = Scenario(**found.values, fx_rates=found.rates)
    except ValidationError as exc:
        for p in pydantic_problems(exc):
            found.problem(_row_of(found, p.path), "B", p.message)
        return None, found.problems
    for p in cross_reference_problems(frame):
        found.problem(_row_of(found, p.path), "B", p.message)
    return (None if found.problems else frame), found.problems
