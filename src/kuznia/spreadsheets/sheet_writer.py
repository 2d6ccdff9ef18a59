"""Write-only sheets the same way everywhere: a styled, frozen, filtered header, widths from a
sample of the rows, a number format per column, and every cell through ``safe_cell`` (no
formula or control character reaches a reader's spreadsheet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kuznia.spreadsheets.safe_cells import safe_cell
from kuznia.spreadsheets.streamed_rows import stream_rows
from kuznia.spreadsheets.styles import HEADER_FILL, HEADER_FONT, MAX_WIDTH, MIN_WIDTH, money_value


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    number_format: str | None = None
    width: int = 0


def write_sheet(
    workbook: Workbook, title: str, columns: Sequence[Col], rows: Sequence[Sequence[Any]]
) -> None:
    """A write-only sheet: styled frozen header, widths from a sample, a format per column."""
    # write-only sheets forward these attributes at run time; the stubs do not know them
    sheet: Any = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sample = max((len(_shown(r[index - 1])) for r in rows[:200]), default=0)
        width = column.width or max(MIN_WIDTH, len(column.name) + 2, sample + 2)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    sheet.freeze_panes = "B2" if len(columns) > 1 else "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows), 1) + 1}"
    sheet.append([header_cell(sheet, c.name) for c in columns])
    # The rows as XML, put in when the workbook is saved (styles.workbook_bytes): the same
    # cells as cell() below would give openpyxl, about 20 times faster.
    stream_rows(workbook, sheet, [c.number_format for c in columns], rows)


def header_cell(sheet: WriteOnlyWorksheet, name: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=name)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    return cell


def cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str | None) -> Any:
    value = safe_cell(value)
    if isinstance(value, Decimal):
        value = money_value(value)
    if number_format is None or value is None or isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _shown(value: Any) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)
