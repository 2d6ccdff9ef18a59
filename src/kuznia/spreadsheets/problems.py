"""Problems located in a spreadsheet: sheet, row number, column letter and column name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kuznia.errors import InvalidInput, Problem


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with one cell (or one row, when ``column`` is empty)."""

    row: int
    column: str
    letter: str
    message: str
    sheet: str = ""

    @property
    def where(self) -> str:
        place = f"{self.sheet} row {self.row}" if self.sheet else f"row {self.row}"
        if self.letter:
            place += f", column {self.letter}"
        if self.column:
            place += f" ({self.column})"
        return place

    def problem(self) -> Problem:
        return Problem(self.where, self.message)

    def document(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
        }


def sort_key(p: RowProblem) -> tuple[str, int, str]:
    return (p.sheet, p.row, p.letter.rjust(3))


class SpreadsheetInvalid(InvalidInput):
    """Rows of a spreadsheet are wrong; ``row_problems`` lists every one, in file order.

    It is an :class:`InvalidInput`, so it maps to exit code 2 and HTTP 422 like any bad input;
    ``problems`` carries the same list as path/message pairs.
    """

    def __init__(self, row_problems: Sequence[RowProblem], summary: str) -> None:
        self.row_problems = tuple(sorted(row_problems, key=sort_key))
        rows = len({(p.sheet, p.row) for p in self.row_problems})
        super().__init__(
            [p.problem() for p in self.row_problems],
            f"{summary}: {len(self.row_problems)} problem(s) in {rows} row(s); nothing was changed",
        )
