"""Cells that cannot attack the person who opens them: one function for every writer.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after
trimming, a tab or carriage return) as a formula: ``=HYPERLINK(...)`` sends the reader to
another site with data from the sheet, DDE payloads start programs. kuznia writes records that
other organisations typed (names, notes), so every text cell of every .xlsx and .csv it writes
goes through :func:`safe_cell`:

* characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF;
  lone surrogates) are removed: openpyxl refuses the first and writes the others into a workbook
  no program can open;
* text that would start a formula gets a leading apostrophe (OWASP's advice), so it is shown,
  never run. Plain numbers such as ``-12.50`` are harmless and stay as they are.

Import reverses the apostrophe with :func:`read_safe_cell`, so export -> import gives back the
exact text. The escape is injective: text whose apostrophes already precede a formula start
gets one more, so ``'=x`` written by someone survives the round trip too.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = frozenset("=+-@\t\r")
QUOTE = "'"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _starts_formula(text: str) -> bool:
    return text[:1] in FORMULA_START and text[:1] != ""


def safe_cell(value: Any) -> Any:
    """``value`` as a cell to write: text cleaned and neutralised; anything else unchanged."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    core = text.lstrip(QUOTE)
    if not _starts_formula(core):
        return text
    if core is text and _PLAIN_NUMBER.match(text):
        return text
    return QUOTE + text


def read_safe_cell(value: Any) -> Any:
    """A cell as written by :func:`safe_cell`, back to the text it stood for."""
    if isinstance(value, str) and value.startswith(QUOTE) and _starts_formula(value.lstrip(QUOTE)):
        return value[1:]
    return value
