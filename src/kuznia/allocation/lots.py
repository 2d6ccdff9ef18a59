"""Setup costs and minimum lots: the only integer decisions (``y``), and who may pay setups.

``y[l,s]`` in {0,1}: line l opens with its first production in the segment starting in month s.
Segments of a line start at its first useful month and at every later ``valid_from`` of a pledge
eligible for it, because rule 3 lets a pledge pay a setup only if it is valid from the line's
first production month on; lines without a setup cost have one segment.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kuznia.allocation.builder import (
    INF,
    MONEY_SCALE,
    R_LINK,
    R_LOT,
    R_ONE,
    R_SETUP,
    Builder,
    G,
    Production,
    Y,
    key,
)
from kuznia.allocation.problem import BoolArray, IntArray, Problem, unique_pairs


class SetupPools(NamedTuple):
    """The money columns of setups: pledge, class and start of each, index of the first."""

    g_pledge: IntArray
    g_class: IntArray
    g_start: IntArray
    g_first: int


class SetupBlock(NamedTuple):
    """The setup columns (line and segment start of each, index of the first) and their
    money columns."""

    y_line: IntArray
    y_start: IntArray
    y_first: int
    g_pledge: IntArray
    g_class: IntArray
    g_start: IntArray
    g_first: int


def _segment_starts(
    p: Problem, has: BoolArray, line_class: IntArray, cls_mask: BoolArray
) -> BoolArray:
    """(L, T): month s starts a segment of line l (see the module docstring)."""
    horizon = p.horizon
    any_x = has.any(axis=1)
    first_m = np.where(any_x, has.argmax(axis=1), horizon)
    last_m = np.where(any_x, horizon - 1 - has[:, ::-1].argmax(axis=1), -1)
    vf = np.clip(p.valid_from, 0, None)
    in_h = np.nonzero(vf < horizon)[0]
    starts_of_class = np.zeros((len(cls_mask), horizon), dtype=bool)
    k_idx, p_idx = np.nonzero(cls_mask[:, in_h])
    starts_of_class[k_idx, vf[in_h[p_idx]]] = True
    months = np.arange(horizon)[None, :]
    later = starts_of_class[line_class] & (p.setup_cost > 0)[:, None] & (months > first_m[:, None])
    starts: BoolArray = (later | (months == first_m[:, None])) & (months <= last_m[:, None])
    return starts


def define_setup(
    p: Problem,
    b: Builder,
    x: Production,
    line_class: IntArray,
    cls_mask: BoolArray,
    budget_row: int,
) -> SetupBlock:
    """Columns ``0 <= y[l,s] <= 1`` for lines with a setup cost or a minimum lot > 1, and rows
    ``x[l,m] <= cap(l,m) * sum_{s <= m} y[l,s]`` (no production before opening),
    ``sum_m x[l,m] >= min_lot_l * sum_s y[l,s]`` (rule 5), ``sum_s y[l,s] <= 1``, and per setup pool
    (class k, start s): ``sum_{l in k} setup_l y[l,s] = sum_p g[p,k,s]`` over pledges eligible for
    k with ``valid_from_p <= s`` (rule 3); g enters p's budget row (rule 4)."""
    x_line, x_month, x_first = x
    sel = np.nonzero(((p.setup_cost > 0) | (p.min_lot > 1))[x_line])[0]
    has = np.zeros((len(p.line_ids), p.horizon), dtype=bool)
    has[x_line[sel], x_month[sel]] = True
    y_line, y_start = np.nonzero(_segment_starts(p, has, line_class, cls_mask))
    y_first = b.add_cols(0.0, 1.0, key(Y, y_line, y_start))
    _link(p, b, (x_line[sel], x_month[sel], x_first + sel), y_line, y_start, y_first)
    _lots(p, b, (x_line[sel], x_first + sel), y_line, y_first)
    g = _setup_pools(p, b, y_line, y_start, y_first, line_class, cls_mask, budget_row)
    return SetupBlock(y_line, y_start, y_first, *g)


def _link(
    p: Problem,
    b: Builder,
    xs: tuple[IntArray, IntArray, IntArray],
    y_line: IntArray,
    y_start: IntArray,
    y_first: int,
) -> None:
    xl, xm, xcol = xs
    horizon = p.horizon
    ykey = y_line * horizon + y_start  # sorted: np.nonzero is row-major
    lo = np.searchsorted(ykey, xl * horizon, side="left")
    hi = np.searchsorted(ykey, xl * horizon + xm, side="right")
    count = hi - lo
    rows = b.add_rows(-INF, 0.0, key(R_LINK, xl, xm)) + np.arange(len(xl))
    b.add(rows, xcol, 1.0)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    cap = p.capacity[xl, xm].astype(np.float64)
    b.add(np.repeat(rows, count), y_first + np.repeat(lo, count) + offset, -np.repeat(cap, count))


def _lots(
    p: Problem, b: Builder, xs: tuple[IntArray, IntArray], y_line: IntArray, y_first: int
) -> None:
    xl, xcol = xs
    lot_lines = np.unique(y_line[p.min_lot[y_line] > 1])
    row_of = np.full(len(p.line_ids), -1, dtype=np.int64)
    row_of[lot_lines] = b.add_rows(0.0, INF, key(R_LOT, lot_lines, lot_lines * 0)) + np.arange(
        len(lot_lines)
    )
    in_x = np.nonzero(row_of[xl] >= 0)[0]
    b.add(row_of[xl[in_x]], xcol[in_x], 1.0)
    in_y = np.nonzero(row_of[y_line] >= 0)[0]
    b.add(row_of[y_line[in_y]], y_first + in_y, -p.min_lot[y_line[in_y]].astype(np.float64))
    counts = np.bincount(y_line, minlength=len(p.line_ids))
    multi = np.nonzero(counts > 1)[0]
    one_of = np.full(len(p.line_ids), -1, dtype=np.int64)
    one_of[multi] = b.add_rows(-INF, 1.0, key(R_ONE, multi, multi * 0)) + np.arange(len(multi))
    in_m = np.nonzero(one_of[y_line] >= 0)[0]
    b.add(one_of[y_line[in_m]], y_first + in_m, 1.0)


def _setup_pools(
    p: Problem,
    b: Builder,
    y_line: IntArray,
    y_start: IntArray,
    y_first: int,
    line_class: IntArray,
    cls_mask: BoolArray,
    budget_row: int,
) -> SetupPools:
    paid = np.nonzero(p.setup_cost[y_line] > 0)[0]
    pools, y_pool = unique_pairs(line_class[y_line[paid]], y_start[paid])
    # a class is named by its first line, not its number: a re-plan whose change splits one
    # class (a new earmark) keeps the keys of every other class's rows and columns
    name = np.full(len(cls_mask), len(p.line_ids), dtype=np.int64)
    np.minimum.at(name, line_class, np.arange(len(line_class)))
    pool_row = b.add_rows(0.0, 0.0, key(R_SETUP, name[pools[:, 0]], pools[:, 1]))
    setup = p.setup_cost[y_line[paid]].astype(np.float64) * MONEY_SCALE
    b.add(pool_row + y_pool, y_first + paid, setup)
    allowed = cls_mask[pools[:, 0]] & (p.valid_from[None, :] <= pools[:, 1][:, None])
    g_pool, g_pledge = np.nonzero(allowed.reshape(len(pools), len(p.pledge_ids)))
    g_class, g_start = pools[g_pool, 0], pools[g_pool, 1]
    g_first = b.add_cols(0.0, INF, key(G, g_pledge, name[g_class] * p.horizon + g_start), spend=1.0)
    g_cols = np.arange(len(g_pool)) + g_first
    b.add(pool_row + g_pool, g_cols, -1.0)
    b.add(budget_row + g_pledge, g_cols, 1.0)
    return SetupPools(g_pledge, g_class, g_start, g_first)
