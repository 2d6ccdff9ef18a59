"""Rows written as XML (streamed_rows) are the cells openpyxl writes, byte for byte."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from kuznia.scenario.io import parse_scenario
from kuznia.spreadsheets.plan_sheets import plan_workbook
from kuznia.spreadsheets.sheet_writer import Col, cell, write_sheet
from kuznia.spreadsheets.styles import MONEY_FORMAT, PERCENT_FORMAT, UNITS_FORMAT, workbook_bytes
from tests.unit.spreadsheets.plans import SCENARIO, small_plan

COLUMNS = [
    Col("text"),
    Col("units", UNITS_FORMAT),
    Col("money", MONEY_FORMAT),
    Col("share", PERCENT_FORMAT),
]
ROWS: list[list[Any]] = [
    ["plain", 1, Decimal("12.30"), 0.5],
    ["a & b < c > d", 0, Decimal("-0.01"), 1.0],
    ["  padded  ", -7, Decimal("123456789012345.67"), None],  # too many digits: text
    ["=1+1", None, None, 1e-20],
    ["+380 44 000", 10**12, Decimal(0), 2 / 3],
    ["", True, Decimal("1.005"), float("inf")],
    [None, False, Decimal("99.99"), 0.1 + 0.2],
    ["tab\tinside", 3, Decimal("5"), -0.0],
    ["'quoted", 2, Decimal("7.50"), 3.0],
    ["українська", 5, Decimal("1000000.00"), 12],
]


def _sheets(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/")}


def _appended(workbook: Workbook, sheet: Any, formats: Any, rows: Any) -> None:
    """Every row appended cell by cell through openpyxl, as before."""
    for row in rows:
        sheet.append([cell(sheet, v, f) for v, f in zip(row, formats, strict=True)])


def _openpyxl_alone(monkeypatch: Any) -> None:
    from kuznia.spreadsheets import sheet_writer, styles

    monkeypatch.setattr(sheet_writer, "stream_rows", _appended)
    monkeypatch.setattr(styles, "spliced", lambda _workbook, data: data)


def _values_sheet() -> bytes:
    workbook = Workbook(write_only=True)
    write_sheet(workbook, "values", COLUMNS, ROWS)
    return workbook_bytes(workbook)


def test_streamed_rows_are_the_cells_openpyxl_writes(monkeypatch: Any) -> None:
    streamed = _sheets(_values_sheet())
    _openpyxl_alone(monkeypatch)
    assert streamed == _sheets(_values_sheet())


def test_the_plan_workbook_is_the_one_openpyxl_alone_writes(monkeypatch: Any) -> None:
    scenario, plan = parse_scenario(SCENARIO), small_plan()
    streamed = _sheets(plan_workbook(scenario, plan))
    _openpyxl_alone(monkeypatch)
    assert streamed == _sheets(plan_workbook(scenario, plan))
