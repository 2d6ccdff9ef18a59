"""Stream the rows of a .csv file or of one sheet of an .xlsx workbook.

Rows are yielded one at a time with their row number as a spreadsheet program shows it (the
header is row 1), so a 50,000-row file is never held as cell objects: .xlsx files are opened in
openpyxl's read-only mode, which parses the sheet's XML as it is iterated.

CSV files are UTF-8 (with or without a byte-order mark); the delimiter is a comma, or a
semicolon when the header row has more semicolons than commas (what Excel writes in locales that
use the decimal comma).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from kuznia.errors import InvalidInput
from kuznia.spreadsheets.safe_cells import read_safe_cell

FORMATS = ("csv", "xlsx")

Row = tuple[int, tuple[Any, ...]]


@dataclass
class SheetRows:
    """The header and a one-pass iterator over the data rows of one table."""

    name: str
    header: tuple[Any, ...]
    rows: Iterator[Row]
    expected_rows: int | None
    """How many rows follow the header, if the file says so (for a progress bar)."""


def file_format(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput.single(
            "", f"{filename!r}: expected a .csv or .xlsx file, not {suffix or 'no extension'!r}"
        )
    return suffix


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single(
            "",
            f"the CSV file is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8' and try again",
        ) from None


def read_csv(name: str, data: bytes) -> SheetRows:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = tuple(next(reader, ()))
    rows = ((number, _cells(cells)) for number, cells in enumerate(reader, start=2))
    return SheetRows(name, header, rows, max(text.count("\n") - 1, 0))


def _cells(cells: Any) -> tuple[Any, ...]:
    """A row as written: the apostrophe that neutralised a formula-like text comes off."""
    return tuple(read_safe_cell(cell) for cell in cells)


def open_xlsx(data: bytes) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InvalidInput.single("", f"not a readable .xlsx workbook ({exc})") from None


def sheet_rows(workbook: Workbook, sheet_name: str) -> SheetRows:
    """The rows of one sheet of a workbook opened by :func:`open_xlsx`."""
    sheet = workbook[sheet_name]
    values = sheet.iter_rows(values_only=True)
    header = tuple(next(values, ()))
    rows = ((number, _cells(cells)) for number, cells in enumerate(values, start=2))
    total = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
    return SheetRows(sheet_name, header, rows, total)


def find_sheet(workbook: Workbook, kind: str) -> str | None:
    """The sheet called ``kind`` (any case), if there is one."""
    return next((n for n in workbook.sheetnames if n.strip().lower() == kind), None)


def read_table(filename: str, data: bytes, kind: str) -> SheetRows:
    """The rows of ``kind`` in a .csv file, or in an .xlsx workbook's sheet named ``kind``
    (or its first sheet when none is so named)."""
    if file_format(filename) == "csv":
        return read_csv(filename, data)
    workbook = open_xlsx(data)
    return sheet_rows(workbook, find_sheet(workbook, kind) or workbook.sheetnames[0])
