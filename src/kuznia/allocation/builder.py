"""Assembling a sparse model: column and row blocks plus matrix triplets, named by stable keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from kuznia.allocation.problem import FloatArray, IntArray

MONEY_SCALE = 1e-5  # cents -> thousands of base currency: one cent (1e-5) stays far above
# HiGHS's feasibility tolerance (1e-7), while national budgets (~1e7) stay well scaled
PER_MILLION = 1e6 * 100 * MONEY_SCALE  # a dual per model money unit -> per 1,000,000 base
INF = float("inf")
X, D, F, Y, G, Z, K = 1, 2, 3, 4, 5, 6, 7  # column blocks (for warm-start keys)
R_ARRIVE, R_REQ, R_POOL, R_BUDGET, R_LINK, R_LOT, R_ONE, R_SETUP = range(1, 9)
R_BUILT, R_BUILD_ONE, R_CAPEX = 9, 10, 11  # capacity projects (``builds.py``)


def key(block: int, a: IntArray, b: IntArray) -> IntArray:
    """A stable integer name of a column or row: block, then two indices (each < 2**28)."""
    return (np.int64(block) << 56) | (a.astype(np.int64) << 28) | b.astype(np.int64)


class ColBlock(NamedTuple):
    """Columns added by one step: bounds, the two objectives (value, spend), stable keys."""

    lower: FloatArray
    upper: FloatArray
    value: FloatArray
    spend: FloatArray
    keys: IntArray


class RowBlock(NamedTuple):
    lower: FloatArray
    upper: FloatArray
    keys: IntArray


class Entries(NamedTuple):
    """Matrix triplets: row, column, coefficient."""

    rows: IntArray
    cols: IntArray
    vals: FloatArray


class Csc(NamedTuple):
    """A matrix by columns: where each column's entries start, their rows, their values."""

    start: IntArray
    row_index: IntArray
    value: FloatArray


@dataclass
class Builder:
    """Accumulates column and row blocks and matrix triplets while the steps run."""

    cols: list[ColBlock] = field(default_factory=list)
    rows: list[RowBlock] = field(default_factory=list)
    entries: list[Entries] = field(default_factory=list)
    n_cols: int = 0
    n_rows: int = 0

    def add_cols(
        self,
        lower: float | FloatArray,
        upper: float | FloatArray,
        keys: IntArray,
        value: float | FloatArray = 0.0,
        spend: float | FloatArray = 0.0,
    ) -> int:
        n = len(keys)
        self.cols.append(
            ColBlock(
                np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)),
                np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)),
                np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)),
                np.broadcast_to(np.asarray(spend, dtype=np.float64), (n,)),
                keys,
            )
        )
        self.n_cols += n
        return self.n_cols - n

    def add_rows(self, lower: float | FloatArray, upper: float | FloatArray, keys: IntArray) -> int:
        n = len(keys)
        lo = np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,))
        hi = np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,))
        self.rows.append(RowBlock(lo, hi, keys))
        self.n_rows += n
        return self.n_rows - n

    def add(self, rows: IntArray, cols: IntArray, vals: FloatArray | float) -> None:
        vals_arr = np.broadcast_to(np.asarray(vals, dtype=np.float64), rows.shape)
        self.entries.append(Entries(rows.astype(np.int64), cols.astype(np.int64), vals_arr))

    def finish(self) -> Assembled:
        """Concatenate the blocks and build the column-wise (CSC) matrix HiGHS takes."""

        def cat(parts: list[FloatArray]) -> FloatArray:
            return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)

        def icat(parts: list[IntArray]) -> IntArray:
            return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

        a_start, a_index, a_value = csc(
            icat([e.rows for e in self.entries]),
            icat([e.cols for e in self.entries]),
            cat([e.vals for e in self.entries]),
            self.n_cols,
        )
        return Assembled(
            col_lower=cat([c.lower for c in self.cols]),
            col_upper=cat([c.upper for c in self.cols]),
            value_cost=cat([c.value for c in self.cols]),
            spend_cost=cat([c.spend for c in self.cols]),
            col_key=icat([c.keys for c in self.cols]),
            row_lower=cat([r.lower for r in self.rows]),
            row_upper=cat([r.upper for r in self.rows]),
            row_key=icat([r.keys for r in self.rows]),
            a_start=a_start,
            a_index=a_index,
            a_value=a_value,
        )


def csc(rows: IntArray, cols: IntArray, vals: FloatArray, n_cols: int) -> Csc:
    """Triplets -> compressed sparse columns (start per column, row index, value): sorted by
    column then row, duplicates summed, explicit zeros kept out."""
    n_rows = int(rows.max()) + 1 if len(rows) else 1
    order = np.argsort(cols * n_rows + rows, kind="stable")
    key = (cols * n_rows + rows)[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    at = np.nonzero(first)[0]
    summed = np.add.reduceat(vals[order], at) if len(at) else np.zeros(0)
    kept = summed != 0.0
    index, col, value = rows[order][at][kept], cols[order][at][kept], summed[kept]
    start = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(col, minlength=n_cols), out=start[1:])
    return Csc(start, index.astype(np.int64), value.astype(np.float64))


@dataclass(frozen=True)
class Assembled:
    """A model as plain arrays: bounds, two objectives (value, spend), CSC matrix, keys."""

    col_lower: FloatArray
    col_upper: FloatArray
    value_cost: FloatArray
    spend_cost: FloatArray
    col_key: IntArray
    row_lower: FloatArray
    row_upper: FloatArray
    row_key: IntArray
    a_start: IntArray
    a_index: IntArray
    a_value: FloatArray

    @property
    def nnz(self) -> int:
        return len(self.a_value)

    @cached_property
    def entry_col(self) -> IntArray:
        """The column of each nonzero (``a_index`` gives its row)."""
        return np.repeat(np.arange(len(self.col_lower)), np.diff(self.a_start))


class Production(NamedTuple):
    """The production columns: line and month of each, and the index of the first."""

    line: IntArray
    month: IntArray
    first: int
