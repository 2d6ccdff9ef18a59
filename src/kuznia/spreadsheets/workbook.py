"""Tables as sheets and files: templates, the registries workbook and its settings sheet.

The registries workbook is a scenario in spreadsheet form: a ``settings`` sheet (the planning
frame: start month, horizon, base currency, lateness decay, exchange rates) and one sheet per
kind of :data:`~kuznia.spreadsheets.tables.KINDS`, each laid out like its template (header with
notes, units row, records sorted by id). Importing it into an empty database and exporting again
gives the same cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from kuznia.scenario.io import scenario_document
from kuznia.scenario.model import Scenario
from kuznia.spreadsheets.safe_cells import safe_cell
from kuznia.spreadsheets.styles import (
    MONEY_FORMAT,
    TEXT_FORMAT,
    UNITS_FORMAT,
    fit_widths,
    format_columns,
    money_value,
    new_workbook,
    workbook_bytes,
    write_header,
    write_rows,
)
from kuznia.spreadsheets.tables import KINDS, Table, ValueKind, table

SETTINGS_SHEET = "settings"
SETTINGS_COLUMNS = ("setting", "value", "note")
FX_PREFIX = "fx_rate."
_FORMATS = {
    ValueKind.MONEY: MONEY_FORMAT,
    ValueKind.INTEGER: UNITS_FORMAT,
    ValueKind.NUMBER: None,
}


def record_cells(t: Table, document: Mapping[str, Any], *, as_text: bool = False) -> list[Any]:
    """One record (its JSON document) as the cells of a row of ``t``.

    Money goes into number cells exactly (see :func:`~kuznia.spreadsheets.styles.money_value`),
    or as decimal text with ``as_text`` (CSV); lists are comma-separated.
    """
    cells: list[Any] = []
    for column in t.columns:
        value = document.get(column.name)
        if value is None:
            cells.append(None)
        elif column.kind is ValueKind.MONEY:
            cells.append(str(value) if as_text else money_value(Decimal(str(value))))
        elif column.kind is ValueKind.LIST:
            cells.append(", ".join(value))
        else:
            cells.append(value)
    return cells


def add_table_sheet(workbook: Workbook, t: Table, documents: Iterable[Mapping[str, Any]]) -> None:
    sheet = workbook.create_sheet(t.kind)
    first = write_header(sheet, t.names, [c.unit for c in t.columns], [c.note for c in t.columns])
    write_rows(sheet, (record_cells(t, d) for d in documents))
    formats = [_FORMATS.get(c.kind, TEXT_FORMAT) for c in t.columns]
    format_columns(sheet, formats, first)
    fit_widths(sheet)


def template_xlsx(kind: str) -> bytes:
    """An .xlsx template: header with a note per column, units row, one example row."""
    t = table(kind)
    workbook = new_workbook()
    add_table_sheet(workbook, t, [t.example.model_dump(mode="json")])
    return workbook_bytes(workbook)


def template_csv(kind: str) -> bytes:
    """A CSV template (UTF-8 with a byte-order mark, so Excel reads it as UTF-8)."""
    t = table(kind)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    example = record_cells(t, t.example.model_dump(mode="json"), as_text=True)
    for row in (t.names, [c.unit for c in t.columns], example):
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def template(kind: str, file_format: str) -> bytes:
    return template_xlsx(kind) if file_format == "xlsx" else template_csv(kind)


def settings_rows(s: Scenario) -> list[tuple[str, Any, str]]:
    rows: list[tuple[str, Any, str]] = [
        ("start_month", s.start_month, "first month of the plan, YYYY-MM"),
        ("horizon_months", s.horizon_months, "months planned, 1 to 600"),
        ("base_currency", s.base_currency, "ISO 4217; plans are in this currency"),
        ("lateness_decay", s.lateness_decay, "value kept per month late, 0 < d <= 1"),
    ]
    for code, rate in sorted(s.fx_rates.items()):
        rows.append((f"{FX_PREFIX}{code}", rate, f"{s.base_currency} per 1 {code}, decimal text"))
    return rows


def add_settings_sheet(workbook: Workbook, s: Scenario) -> None:
    sheet = workbook.create_sheet(SETTINGS_SHEET)
    first = write_header(sheet, SETTINGS_COLUMNS)
    write_rows(sheet, settings_rows(s))
    format_columns(sheet, [TEXT_FORMAT, None, TEXT_FORMAT], first)
    fit_widths(sheet)


def scenario_workbook(s: Scenario, kinds: Sequence[str] = KINDS) -> bytes:
    """The registries workbook of ``s``: settings, then one sheet per kind, records by id."""
    document = scenario_document(s)
    workbook = new_workbook()
    add_settings_sheet(workbook, s)
    for kind in kinds:
        add_table_sheet(workbook, table(kind), document[kind])
    return workbook_bytes(workbook)
