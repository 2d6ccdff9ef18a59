"""Data rows written as worksheet XML directly, spliced into the workbook openpyxl saves.

openpyxl spends about 25 us of Python on every cell it streams (a cell object, its style, an
element tree node, the serialiser): 20 s for the 780,000 cells of a national plan workbook.
Here a row is one formatted string: the same cells openpyxl would write (inline strings,
numbers in its ``%.16g`` form, the style index openpyxl gives each number format, no element
for an empty cell), so the file reads back cell for cell as before (a test compares the two
writers). The sheet's header, widths, frozen panes and filter are still openpyxl's; the rows go
in before ``</sheetData>`` of the saved sheet (``styles.workbook_bytes``).
"""

from __future__ import annotations

import weakref
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter

from kuznia.spreadsheets.money_cells import money_value
from kuznia.spreadsheets.safe_cells import safe_cell

# Rows written for each workbook, by the sheet's position (openpyxl saves sheet N as sheetN.xml).
_PENDING: weakref.WeakKeyDictionary[Workbook, dict[int, list[str]]] = weakref.WeakKeyDictionary()
SHEET_DATA_END = b"</sheetData>"
# zlib's level for the saved workbook: 4 writes the 43 MB of a national plan's XML in a third of
# the time of the default 6 (0.2 s against 0.6 s), in a file 7 % larger.
COMPRESS_LEVEL = 4


def _style_id(sheet: Any, number_format: str) -> int:
    """The index openpyxl gives a cell of ``number_format`` and no other style."""
    probe = WriteOnlyCell(sheet, value=0)
    probe.number_format = number_format
    return int(probe.style_id)


def _text(value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f"<is><t{space}>{escaped}</t></is>"


def _body(style: str, value: Any) -> str | None:
    """One ``<c>`` as openpyxl writes it, after its ``r`` attribute; None where it writes no
    cell at all."""
    value = safe_cell(value)
    if isinstance(value, Decimal):
        value = money_value(value)
    if value is None:
        return None
    if isinstance(value, str):  # text is never given a number format (see sheet_writer.cell)
        return ' t="inlineStr" />' if value == "" else f' t="inlineStr">{_text(value)}</c>'
    kind = "b" if isinstance(value, bool) else "n"
    if not isinstance(value, int | float):
        raise TypeError(f"no spreadsheet cell for a {type(value).__name__}")
    shown = safe_string(value)  # "" for NaN and infinities: an empty <v />, as openpyxl
    return f'{style} t="{kind}"><v>{shown}</v></c>' if shown else f'{style} t="{kind}"><v /></c>'


# Where a row's number goes in its cells' ``r`` attributes: a character no cell holds (XML 1.0
# forbids it; safe_cell removes it from text), so one replace per row numbers all its cells.
_ROW = "\x00"


class _Column:
    """One column's cells as ``<c r="B\x00" ...>`` pieces, each value's made once: ids, names,
    months, units and amounts repeat down a column."""

    def __init__(self, letter: str, style: str) -> None:
        self.opening = f'<c r="{letter}{_ROW}"'
        self.style = style
        self.pieces: dict[tuple[type, Any], str] = {}

    def piece(self, value: Any) -> str:
        body = _body(self.style, value)
        piece = "" if body is None else self.opening + body
        if not (isinstance(value, float | Decimal) and not value):  # 0 and -0 are equal keys
            self.pieces[type(value), value] = piece
        return piece

    def cells(self, values: Iterable[Any]) -> list[str]:
        pieces, made = self.pieces, self.piece
        return [
            found if (found := pieces.get((type(v), v))) is not None else made(v) for v in values
        ]


def stream_rows(
    workbook: Workbook, sheet: Any, formats: Sequence[str | None], rows: Sequence[Sequence[Any]]
) -> None:
    """Rows 2, 3, ... of ``sheet`` (its header already appended), written at save time."""
    columns = [
        _Column(get_column_letter(i), "" if f is None else f' s="{_style_id(sheet, f)}"')
        for i, f in enumerate(formats, start=1)
    ]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} cells in a sheet of {len(columns)} columns")
    by_column = [column.cells([row[i] for row in rows]) for i, column in enumerate(columns)]
    by_row = zip(*by_column, strict=True) if columns else ((),) * len(rows)
    chunks = [
        f'<row r="{_ROW}">{"".join(cells)}</row>'.replace(_ROW, str(number))
        for number, cells in enumerate(by_row, start=2)
    ]
    position = workbook.worksheets.index(sheet) + 1
    _PENDING.setdefault(workbook, {})[position] = chunks


def spliced(workbook: Workbook, data: bytes) -> bytes:
    """``data``, the saved ``workbook``, with the rows :func:`stream_rows` kept for it put into
    their sheets (``styles.workbook_bytes`` calls this)."""
    pending = _PENDING.pop(workbook, {})
    if not pending:
        return data
    spliced = {f"xl/worksheets/sheet{n}.xml": rows for n, rows in pending.items()}
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as saved,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written,
    ):
        for item in saved.infolist():
            content = saved.read(item.filename)
            rows = spliced.get(item.filename)
            if rows is not None:
                head, end, tail = content.rpartition(SHEET_DATA_END)
                content = b"".join([head, "".join(rows).encode(), end, tail])
            written.writestr(item, content, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()
