"""How kuznia's workbooks look: bold filled headers with notes, a units row, frozen panes,
number formats for money and units, and column widths that fit the content."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kuznia.spreadsheets.money_cells import MAX_EXACT_DIGITS, money_value
from kuznia.spreadsheets.safe_cells import safe_cell
from kuznia.spreadsheets.streamed_rows import spliced

__all__ = ["MAX_EXACT_DIGITS", "money_value"]

MONEY_FORMAT = "#,##0.00"
UNITS_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0000"
PERCENT_FORMAT = "0.00%"
TEXT_FORMAT = "@"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
UNITS_FONT = Font(italic=True, color="595959")
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    return workbook


def write_header(
    sheet: Worksheet,
    names: Sequence[str],
    units: Sequence[str] | None = None,
    notes: Sequence[str] | None = None,
) -> int:
    """Header (row 1), optional units row (row 2), frozen below them; returns the first data row."""
    sheet.append([safe_cell(name) for name in names])
    for index, cell in enumerate(sheet[1]):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        if notes and notes[index]:
            cell.comment = Comment(notes[index], "kuznia", width=320, height=120)
    first = 2
    if units is not None:
        sheet.append([safe_cell(unit) for unit in units])
        for cell in sheet[2]:
            cell.font = UNITS_FONT
        first = 3
    sheet.freeze_panes = f"B{first}" if len(names) > 1 else f"A{first}"
    return first


def format_columns(sheet: Worksheet, formats: Sequence[str | None], first_row: int) -> None:
    """Apply a number format per column to every data row."""
    for index, number_format in enumerate(formats, start=1):
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=index, max_col=index):
            cell.number_format = number_format


def fit_widths(sheet: Worksheet) -> None:
    """Widths from the header and a sample of rows (enough to read, not the longest outlier)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(max_row=WIDTH_SAMPLE, values_only=True):
        for index, value in enumerate(row, start=1):
            shown = _shown_length(value)
            widths[index] = max(widths.get(index, MIN_WIDTH), shown + 2)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def write_rows(sheet: Worksheet, rows: Iterable[Sequence[Any]]) -> None:
    """Append rows, every cell through :func:`~kuznia.spreadsheets.safe_cells.safe_cell`."""
    for row in rows:
        sheet.append([safe_cell(value) for value in row])


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved workbook, with the rows of :func:`~kuznia.spreadsheets.streamed_rows.stream_rows`
    put into their sheets."""
    buffer = BytesIO()
    workbook.save(buffer)
    return spliced(workbook, buffer.getvalue())
