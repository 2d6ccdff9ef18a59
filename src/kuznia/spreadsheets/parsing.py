"""Rows of a table to scenario records, with every problem located by row and column.

Each row is read cell by cell (:mod:`kuznia.spreadsheets.cells`), then checked by the scenario
model itself, so a spreadsheet accepts exactly what a scenario file accepts. A cell that fails is
reported once, with the first reason found for it; every other cell of the row is still checked.
Checks across rows that need no database (duplicate ids, ordered pledge windows) follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from kuznia.months import month_ordinal
from kuznia.scenario.io import pydantic_problems
from kuznia.spreadsheets.cells import CellError, is_empty, reader
from kuznia.spreadsheets.problems import RowProblem
from kuznia.spreadsheets.reading import Row, SheetRows
from kuznia.spreadsheets.tables import Column, Table

PROGRESS_EVERY = 1000
RowProgress = Callable[[int], None]
Progress = Callable[[str, int, int | None], None]
"""Called with (stage, rows done, rows expected or None) while a file is read and written."""


@dataclass
class ParsedTable:
    """The records read (with their row numbers) and every problem found."""

    table: Table
    sheet: str
    letters: Mapping[str, str]
    records: list[tuple[int, BaseModel]] = field(default_factory=list)
    readers: list[tuple[Column, Callable[[object], Any]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0
    values: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Every row's cells as read, sound or not: references are checked on these, so a row's
    unknown reference is reported together with its format problems."""

    def problem(self, row: int, column: str, message: str, letter: str | None = None) -> None:
        where = self.letters.get(column, "") if letter is None else letter
        self.problems.append(RowProblem(row, column, where, message, self.sheet))


def normalise_header(cell: Any) -> str:
    return "" if is_empty(cell) else str(cell).strip().lower().replace(" ", "_")


def _positions(parsed: ParsedTable, header: tuple[Any, ...]) -> dict[str, int]:
    """Column name -> index in the file; problems with the header go on row 1."""
    names = parsed.table.names
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name, letter = normalise_header(cell), get_column_letter(index + 1)
        if not name:
            continue
        if name not in names:
            parsed.problem(1, "", f"unknown column {cell!r}; expected {', '.join(names)}", letter)
        elif name in positions:
            parsed.problem(1, name, f"column {name!r} appears twice", letter)
        else:
            positions[name] = index
    parsed.letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
    for column in parsed.table.columns:
        if column.required and column.name not in positions:
            parsed.problem(1, column.name, f"missing column {column.name!r}")
    return positions


def is_units_row(cells: tuple[Any, ...]) -> bool:
    """The row under the header in templates and exports: every filled cell is ``(...)``."""
    filled = [c for c in cells if not is_empty(c)]
    return bool(filled) and all(
        isinstance(c, str) and c.strip().startswith("(") and c.strip().endswith(")") for c in filled
    )


def _model_message(err: Mapping[str, Any], default: str) -> str:
    kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {value}"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']}, got {value}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, got {value}"
    if kind == "string_too_long":
        return f"is longer than {ctx['max_length']} characters"
    if kind == "enum":
        return f"{value!r} is not one of: {ctx['expected']}"
    return default


def _read_cells(
    parsed: ParsedTable, positions: Mapping[str, int], number: int, cells: tuple[Any, ...]
) -> tuple[dict[str, Any], set[str]]:
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for column, read in parsed.readers:
        index = positions.get(column.name)
        raw = cells[index] if index is not None and index < len(cells) else None
        try:
            value = None if is_empty(raw) else read(raw)
        except CellError as exc:
            parsed.problem(number, column.name, str(exc))
            failed.add(column.name)
            continue
        if value is not None:
            values[column.name] = value
        elif column.required and index is not None:
            parsed.problem(number, column.name, "is required but empty")
            failed.add(column.name)
    return values, failed


def _stray_cells(parsed: ParsedTable, width: int, number: int, cells: tuple[Any, ...]) -> None:
    for index in range(width, len(cells)):
        if not is_empty(cells[index]):
            letter = get_column_letter(index + 1)
            parsed.problem(number, "", "a value in a column without a header", letter)


def parse_row(
    parsed: ParsedTable, positions: Mapping[str, int], number: int, cells: tuple[Any, ...]
) -> dict[str, Any]:
    """Check one row; keep its record if it is sound. Returns the values read (for cross-checks)."""
    values, failed = _read_cells(parsed, positions, number, cells)
    try:
        record = parsed.table.model.model_validate(values)
    except ValidationError as exc:
        for err, problem in zip(exc.errors(), pydantic_problems(exc), strict=True):
            column = str(err["loc"][0])
            if column in failed or column not in positions:
                continue
            failed.add(column)
            item = f"item {int(err['loc'][1]) + 1}: " if len(err["loc"]) > 1 else ""
            parsed.problem(number, column, item + _model_message(err, problem.message))
        parsed.values.append((number, {k: v for k, v in values.items() if k not in failed}))
        return values
    parsed.values.append((number, {k: v for k, v in values.items() if k not in failed}))
    if not failed:
        parsed.records.append((number, record))
    return values


def _check_across(
    parsed: ParsedTable, seen: dict[str, int], number: int, values: Mapping[str, Any]
) -> None:
    ident = values.get("id")
    if isinstance(ident, str):
        first = seen.setdefault(ident, number)
        if first != number:
            parsed.problem(number, "id", f"duplicate id {ident!r}: already on row {first}")
    start, end = values.get("valid_from"), values.get("valid_to")
    if isinstance(start, str) and isinstance(end, str):
        try:
            backwards = month_ordinal(end) < month_ordinal(start)
        except ValueError:
            return  # a malformed month is reported by the model check
        if backwards:
            parsed.problem(number, "valid_to", f"{end} is before valid_from {start}")


def parse_table(
    table: Table, sheet: SheetRows, progress: RowProgress | None = None, *, label: str = ""
) -> ParsedTable:
    """Read every row of ``sheet`` as a record of ``table``; nothing stops at the first problem."""
    parsed = ParsedTable(table, label, {}, readers=[(c, reader(c)) for c in table.columns])
    positions = _positions(parsed, sheet.header)
    if parsed.problems:
        return parsed
    seen: dict[str, int] = {}
    width = max(positions.values(), default=-1) + 1
    for number, cells in _data_rows(sheet.rows):
        _stray_cells(parsed, width, number, cells)
        values = parse_row(parsed, positions, number, cells)
        _check_across(parsed, seen, number, values)
        parsed.rows_read += 1
        if progress is not None and parsed.rows_read % PROGRESS_EVERY == 0:
            progress(parsed.rows_read)
    if progress is not None:
        progress(parsed.rows_read)
    return parsed


def _data_rows(rows: Iterable[Row]) -> Iterable[Row]:
    """Rows with something in them, without the units row under the header."""
    first = True
    for number, cells in rows:
        if first and is_units_row(cells):
            first = False
            continue
        first = False
        if any(c is not None and c != "" for c in cells) and not all(map(is_empty, cells)):
            yield number, cells
