"""Read a whole registries workbook: its settings sheet and every table sheet it has."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuznia.errors import InvalidInput
from kuznia.scenario.model import Scenario
from kuznia.spreadsheets.parsing import ParsedTable, Progress, parse_table
from kuznia.spreadsheets.problems import RowProblem
from kuznia.spreadsheets.reading import SheetRows, file_format, find_sheet, open_xlsx, sheet_rows
from kuznia.spreadsheets.settings import parse_settings
from kuznia.spreadsheets.tables import KINDS, table
from kuznia.spreadsheets.workbook import SETTINGS_SHEET


@dataclass
class ParsedWorkbook:
    frame: Scenario | None = None
    """The planning frame of the settings sheet (None if absent or wrong)."""
    has_settings: bool = False
    settings_problems: list[RowProblem] = field(default_factory=list)
    tables: list[ParsedTable] = field(default_factory=list)


def _parse_sheet(kind: str, sheet: SheetRows, tell: Progress) -> ParsedTable:
    stage = f"reading {kind}"
    return parse_table(
        table(kind), sheet, lambda n: tell(stage, n, sheet.expected_rows), label=kind
    )


def read_workbook(filename: str, data: bytes, tell: Progress) -> ParsedWorkbook:
    """Parse the ``settings`` sheet and the sheets named after :data:`KINDS` (each optional)."""
    if file_format(filename) != "xlsx":
        raise InvalidInput.single("", f"{filename!r}: a workbook import needs an .xlsx file")
    workbook = open_xlsx(data)
    book = ParsedWorkbook()
    if (name := find_sheet(workbook, SETTINGS_SHEET)) is not None:
        book.has_settings = True
        book.frame, book.settings_problems = parse_settings(sheet_rows(workbook, name))
    for kind in KINDS:
        if (name := find_sheet(workbook, kind)) is not None:
            book.tables.append(_parse_sheet(kind, sheet_rows(workbook, name), tell))
    if not book.tables and not book.has_settings:
        expected = ", ".join([SETTINGS_SHEET, *KINDS])
        raise InvalidInput.single("", f"{filename!r} has none of the sheets {expected}")
    return book
