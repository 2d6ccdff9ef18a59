"""The model with its setup decisions fixed: much smaller, for the LPs solved once ``y`` is known.

With ``y`` fixed, the opening rows ``x[l,m] <= cap(l,m) sum_{s<=m} y[l,s]`` are just upper bounds
on ``x`` (``cap`` where the line is open by month m, ``0`` before), and ``sum_s y[l,s] <= 1`` holds
by construction, so those rows are dropped; ``y``'s coefficients move into the right-hand sides
(the setup pools must raise exactly the opened lines' setup costs, lots need ``min_lot`` units
on open lines), and production columns of closed months are dropped with the ``y`` columns.
National demo: ~61k rows -> ~4k. Columns and rows keep their keys, so a basis of one fixed model
starts the next (a what-if re-plan).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuznia.allocation.builder import R_LINK, R_ONE, Assembled, X
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray, FloatArray, IntArray
from kuznia.allocation.solver import AT_LOWER, AT_UPPER, BASIC, Basis


@dataclass(frozen=True)
class Fixed:
    """A fixed-setup model and where its columns and rows sit in the full model."""

    model: Assembled
    cols: IntArray  # full column index of each column
    rows: IntArray  # full row index of each row
    y_open: BoolArray
    y_value: FloatArray  # full-length column values of the dropped columns (y; closed x = 0)

    def full_cols(self, values: FloatArray) -> FloatArray:
        """Column values of the full model from this model's."""
        out = self.y_value.copy()
        out[self.cols] = values
        return out

    def full_rows(self, values: FloatArray, n_rows: int) -> FloatArray:
        """Row values (e.g. duals) of the full model, zero on the dropped rows."""
        out = np.zeros(n_rows)
        out[self.rows] = values
        return out


def opened_by(form: Formulation, y_open: BoolArray) -> IntArray:
    """(L,) first month each line may produce: its opening start, ``T`` if closed, 0 if it has
    no setup decision."""
    p = form.problem
    start = np.zeros(len(p.line_ids), dtype=np.int64)
    start[form.y_line] = p.horizon
    np.minimum.at(start, form.y_line[y_open], form.y_start[y_open])
    return start


def fix_setups(form: Formulation, y_open: BoolArray, free: BoolArray | None = None) -> Fixed:
    """The fixed-setup model for the decisions ``y_open`` (one per ``y`` column); lines marked
    ``free`` (per line) keep their ``y`` columns and opening rows, undecided."""
    m = form.model
    n_col, n_row = len(m.col_lower), len(m.row_lower)
    free = np.zeros(len(form.problem.line_ids), dtype=bool) if free is None else free
    y = form.cols("y")
    x = form.cols("x")
    y_free = free[form.y_line]
    value = np.zeros(n_col)
    value[y] = (y_open & ~y_free).astype(np.float64)
    entry_col = m.entry_col
    shift = np.bincount(m.a_index, weights=m.a_value * value[entry_col], minlength=n_row)
    block = m.row_key >> 56
    keep_col = np.ones(n_col, dtype=bool)
    keep_col[y] = y_free
    closed = ~free[form.x_line] & (form.x_month < opened_by(form, y_open)[form.x_line])
    keep_col[x[closed]] = False
    lower, upper = m.row_lower - shift, m.row_upper - shift
    # rows left without columns (lots of closed lines) go too, when 0 satisfies them
    empty = np.bincount(m.a_index[keep_col[entry_col]], minlength=n_row) == 0
    line = form.row_line
    opening = ((block == R_LINK) | (block == R_ONE)) & ~free[line]
    keep_row = ~opening & ~(empty & (lower <= 0) & (upper >= 0))
    entry_kept = keep_col[entry_col] & keep_row[m.a_index]
    new_row = np.cumsum(keep_row) - 1
    new_col = np.cumsum(keep_col) - 1
    cols, rows = np.nonzero(keep_col)[0], np.nonzero(keep_row)[0]
    a_start = np.zeros(len(cols) + 1, dtype=np.int64)
    np.cumsum(np.bincount(new_col[entry_col[entry_kept]], minlength=len(cols)), out=a_start[1:])
    model = Assembled(
        col_lower=m.col_lower[cols],
        col_upper=m.col_upper[cols],
        value_cost=m.value_cost[cols],
        spend_cost=m.spend_cost[cols],
        col_key=m.col_key[cols],
        row_lower=lower[rows],
        row_upper=upper[rows],
        row_key=m.row_key[rows],
        a_start=a_start,
        a_index=new_row[m.a_index[entry_kept]],
        a_value=m.a_value[entry_kept],
    )
    return Fixed(model=model, cols=cols, rows=rows, y_open=y_open, y_value=value)


def in_full(form: Formulation, part: Fixed, basis: Basis) -> Basis:
    """A basis of a fixed (or partly fixed) model as one of the full model: what the fixing
    dropped is nonbasic (columns) or basic (rows), which keeps the count balanced."""
    m = form.model
    cols = np.full(len(m.col_lower), AT_LOWER, dtype=np.int64)
    rows = np.full(len(m.row_lower), BASIC, dtype=np.int64)
    cols[part.cols] = basis.col_status
    rows[part.rows] = basis.row_status
    return Basis(col_status=cols, row_status=rows, col_key=m.col_key, row_key=m.row_key)


def fixed_basis(form: Formulation, fixed: Fixed, basis: Basis) -> Basis:
    """A basis of the full model with these setups fixed, as a basis of ``fixed``.

    Dropped columns and rows leave with their statuses. Per line, the count of basic variables
    must still match the rows: each dropped row that was nonbasic (tight) must take a basic
    variable with it. Dropped basic columns (``y``, closed production) do; for the rest, a
    production column held at ``cap`` by a tight opening row, basic in the full model, becomes
    nonbasic at its upper bound. What stays unbalanced (a closed line whose fixed ``y`` was
    basic) HiGHS repairs itself: the basis is passed as alien."""
    m = form.model
    n_lines = len(form.problem.line_ids)
    col_status = basis.col_status.copy()
    row_status = basis.row_status.copy()
    entry_col = m.entry_col
    row_block, col_block = m.row_key >> 56, m.col_key >> 56
    kept_col = np.zeros(len(m.col_lower), dtype=bool)
    kept_col[fixed.cols] = True
    kept_row = np.zeros(len(m.row_lower), dtype=bool)
    kept_row[fixed.rows] = True
    row_line = form.row_line
    dropped_tight = ~kept_row & (row_line >= 0) & (row_status != BASIC)
    need = np.bincount(row_line[dropped_tight], minlength=n_lines)
    x, y = form.cols("x"), form.cols("y")
    need -= np.bincount(form.y_line[~kept_col[y] & (col_status[y] == BASIC)], minlength=n_lines)
    closed = ~kept_col[x] & (col_status[x] == BASIC)
    need -= np.bincount(form.x_line[closed], minlength=n_lines)
    # candidates: kept, basic production columns whose dropped opening row is tight, by line
    link = np.nonzero((row_block[m.a_index] == R_LINK) & (col_block[entry_col] == X))[0]
    row, col = m.a_index[link], entry_col[link]
    tight = ~kept_row[row] & (row_status[row] != BASIC)
    cand = col[tight & (col_status[col] == BASIC) & kept_col[col]]
    line = form.x_line[cand - form.first["x"]]
    order = np.argsort(line, kind="stable")
    cand, line = cand[order], line[order]
    rank = np.arange(len(line)) - np.searchsorted(line, line, side="left")
    col_status[cand[rank < need[line]]] = AT_UPPER
    return Basis(
        col_status=col_status[fixed.cols],
        row_status=row_status[fixed.rows],
        col_key=fixed.model.col_key,
        row_key=fixed.model.row_key,
    )
