"""Problem -> the pooled LP/MILP, as arrays, by a pipeline of small ``define_*`` steps.

Variables (money in thousands of base currency, ``MONEY_SCALE`` per cent):

* ``x[l,m]``  production of line l in month m, ``0 <= x <= cap(l,m)``, only where it can count
  (capacity, arrival ``m + lag_l < T``, a requirement of the capability, a pledge allowed to pay);
* ``d[r,a]``  units delivered to requirement r in month a, only in months where units of its
  capability can arrive; objective coefficient ``v(r,a) = priority_r * decay^max(0, a - due_r)``;
* ``f[p,q]``  money of pledge p paying production of pool q = (eligibility class, window segment);
* ``y[l,s]``  line l opens (pays its setup, produces) with first production in the segment that
  starts in month s; ``g[p,k,s]`` money of pledge p paying setups of class k started at s.

Why this is exact: value is non-increasing in the delivery month, so delivering on arrival is
never worse than holding stock, and units of one capability are interchangeable once shipped;
so a capability-month row ``sum_l x[l, a - lag_l] >= sum_r d[r,a]`` replaces per-line deliveries.
Lines of one eligibility class in months of one window segment are paid by exactly the same
pledges, so their costs can be pooled: any pooled split of money can be spread back over lines.
Pledges that are alike in eligibility and window are one *payer* (``payers.py``): the model's
"pledges" (budget rows, money columns) are payers; ``in_pledges`` splits the money back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from kuznia.allocation.builder import (
    INF,
    MONEY_SCALE,
    R_ARRIVE,
    R_BUDGET,
    R_LINK,
    R_LOT,
    R_ONE,
    R_POOL,
    R_REQ,
    Assembled,
    Builder,
    D,
    F,
    Production,
    X,
    Y,
    key,
)
from kuznia.allocation.lots import define_setup
from kuznia.allocation.payers import payer_groups, payer_problem, pledge_keys, split_money
from kuznia.allocation.problem import (
    BoolArray,
    FloatArray,
    IntArray,
    Problem,
    unique_pairs,
    unique_rows,
)


class Classes(NamedTuple):
    """Eligibility classes (lines every pledge treats alike) and window segments (months in
    which the same pledges are valid): their pledge masks and the class/segment of each."""

    cls_mask: BoolArray  # (classes, P)
    line_class: IntArray  # (L,)
    seg_mask: BoolArray  # (segments, P)
    month_seg: IntArray  # (T,)


class FundingBlock(NamedTuple):
    """The money columns of production: the pool of each x column, pledge and pool of each f
    column, the index of the first f column, and the class of each line."""

    x_pool: IntArray
    f_pledge: IntArray
    f_pool: IntArray
    f_first: int
    line_class: IntArray


@dataclass(frozen=True)
class Formulation:
    """The model's arrays and the meaning of each column block (index arrays per block).

    ``f_pledge``/``g_pledge`` and the budget rows index *payers* (``payers.problem``); after
    ``in_pledges`` they index the scenario's pledges again (``payer_of`` is then the identity)."""

    problem: Problem
    payers: Problem
    payer_of: IntArray  # (P,) payer of each pledge
    model: Assembled
    x_line: IntArray
    x_month: IntArray
    x_pool: IntArray
    d_req: IntArray
    d_month: IntArray
    f_pledge: IntArray
    f_pool: IntArray
    y_line: IntArray
    y_start: IntArray
    g_pledge: IntArray
    g_class: IntArray
    g_start: IntArray
    line_class: IntArray
    budget_row: int
    first: dict[str, int]
    per_unit: bool = False
    extension: Any = None  # what an ``extend`` step returned (capacity projects: ``builds.py``)

    @property
    def f_cents(self) -> FloatArray:
        """Cents of money per unit of each f column (pooled money, or whole units per pledge)."""
        if self.per_unit:
            pool_line = np.zeros(int(self.x_pool.max(initial=-1)) + 1, dtype=np.int64)
            pool_line[self.x_pool] = self.x_line
            return self.problem.unit_cost[pool_line[self.f_pool]].astype(np.float64)
        return np.full(len(self.f_pledge), 1.0 / MONEY_SCALE)

    @cached_property
    def row_line(self) -> IntArray:
        """(rows,) the line an opening, one-of or lot row belongs to; -1 for other rows."""
        m = self.model
        row_block, col_block = m.row_key >> 56, m.col_key >> 56
        link = np.nonzero((row_block[m.a_index] == R_LINK) & (col_block[m.entry_col] == X))[0]
        of_y = np.nonzero(col_block[m.entry_col] == Y)[0]
        line = np.full(len(m.row_lower), -1, dtype=np.int64)
        line[m.a_index[of_y]] = self.y_line[m.entry_col[of_y] - self.first["y"]]
        line[m.a_index[link]] = self.x_line[m.entry_col[link] - self.first["x"]]
        line[(row_block != R_LINK) & (row_block != R_ONE) & (row_block != R_LOT)] = -1
        return line

    def cols(self, block: str) -> IntArray:
        """Column indices of a block (``x``, ``d``, ``f``, ``y`` or ``g``)."""
        size = {
            "x": self.x_line,
            "d": self.d_req,
            "f": self.f_pledge,
            "y": self.y_line,
            "g": self.g_pledge,
        }[block]
        return np.arange(len(size), dtype=np.int64) + self.first[block]


Extend = Callable[[Problem, Builder, Production, int, IntArray], Any]


def build_formulation(
    p: Problem,
    *,
    per_unit: bool = False,
    payer_of: IntArray | None = None,
    extend: Extend | None = None,
) -> Formulation:
    """Run the ``define_*`` steps in order and assemble the sparse model; ``per_unit``: whole
    units per pledge (exact, small models only); ``payer_of`` overrides the payers; ``extend``
    adds columns and rows last (its result is the ``extension``)."""
    b = Builder()
    if payer_of is None:
        payer_of = np.arange(len(p.pledge_ids), dtype=np.int64) if per_unit else payer_groups(p)
    q = payer_problem(p, payer_of)
    budget_row = define_budgets(q, b)
    x = define_production(q, b)
    d_req, d_month, d_first = define_deliveries(q, b, x.line, x.month, x.first)
    funding = (define_unit_funding if per_unit else define_funding)(q, b, x, budget_row)
    setup = define_setup(q, b, x, funding.line_class, classes(q).cls_mask, budget_row)
    extension = extend(q, b, x, budget_row, payer_of) if extend is not None else None
    return Formulation(
        problem=p,
        payers=q,
        payer_of=payer_of,
        model=pledge_keys(b.finish(), payer_of),
        x_line=x.line,
        x_month=x.month,
        x_pool=funding.x_pool,
        d_req=d_req,
        d_month=d_month,
        f_pledge=funding.f_pledge,
        f_pool=funding.f_pool,
        y_line=setup.y_line,
        y_start=setup.y_start,
        g_pledge=setup.g_pledge,
        g_class=setup.g_class,
        g_start=setup.g_start,
        line_class=funding.line_class,
        budget_row=budget_row,
        per_unit=per_unit,
        extension=extension,
        first={
            "x": x.first,
            "d": d_first,
            "f": funding.f_first,
            "y": setup.y_first,
            "g": setup.g_first,
        },
    )


def define_production(p: Problem, b: Builder) -> Production:
    """``0 <= x[l,m] <= cap(l,m)`` where production can count. A line with a minimum lot may
    also produce in months whose output arrives too late, only to reach its lot (rule 5 counts
    all production); a line whose lot exceeds all its payable capacity gets no columns."""
    wanted = np.isin(p.line_capability, p.req_capability)
    lot_months = (p.capacity > 0) & p.fundable & (wanted & (p.min_lot > 1))[:, None]
    allowed = p.useful | lot_months
    lot_ok = (p.capacity * allowed).sum(axis=1) >= p.min_lot
    line, month = np.nonzero(allowed & lot_ok[:, None])
    first = b.add_cols(0.0, p.capacity[line, month].astype(np.float64), key(X, line, month))
    return Production(line, month, first)


def define_deliveries(
    p: Problem, b: Builder, x_line: IntArray, x_month: IntArray, x_first: int
) -> tuple[IntArray, IntArray, int]:
    """``0 <= d[r,a] <= quantity_r`` for months a where capability c_r can arrive; rows
    ``sum_{l in c} x[l, a - lag_l] - sum_{r in c} d[r,a] >= 0`` per capability-month, and
    ``sum_a d[r,a] <= quantity_r`` per requirement (rule 6, pooled)."""
    n_cap = len(p.capability_ids)
    on_time = np.nonzero(x_month + p.ship_lag[x_line] < p.horizon)[0]
    arrive = x_month[on_time] + p.ship_lag[x_line[on_time]]
    cap = p.line_capability[x_line[on_time]]
    can = np.zeros((n_cap, p.horizon), dtype=bool)
    can[cap, arrive] = True
    req, month = np.nonzero(can[p.req_capability])
    d_first = b.add_cols(
        0.0, p.quantity[req].astype(np.float64), key(D, req, month), value=p.value[req, month]
    )
    c_idx, a_idx = np.nonzero(can)
    row_of = np.full((n_cap, p.horizon), -1, dtype=np.int64)
    row_of[c_idx, a_idx] = b.add_rows(0.0, INF, key(R_ARRIVE, c_idx, a_idx)) + np.arange(len(c_idx))
    b.add(row_of[cap, arrive], on_time + x_first, 1.0)
    d_cols = np.arange(len(req)) + d_first
    b.add(row_of[p.req_capability[req], month], d_cols, -1.0)
    reqs = np.unique(req)
    req_row = np.full(len(p.requirement_ids), -1, dtype=np.int64)
    req_row[reqs] = b.add_rows(
        -INF, p.quantity[reqs].astype(np.float64), key(R_REQ, reqs, reqs * 0)
    ) + np.arange(len(reqs))
    b.add(req_row[req], d_cols, 1.0)
    return req, month, d_first


def define_budgets(p: Problem, b: Builder) -> int:
    """``sum_q f[p,q] + sum g[p,.] <= to_base(amount_p)`` per pledge (rule 4).

    Rows are made before every other step so that pledge p's budget is row p."""
    n = len(p.pledge_ids)
    idx = np.arange(n)
    # the solver may overshoot by its tolerance (1e-7 = a hundredth of a cent); the rounding
    # step pays in exact cents and never lets that through
    upper = p.budget.astype(np.float64) * MONEY_SCALE
    return b.add_rows(-INF, upper, key(R_BUDGET, idx, idx * 0))


def classes(p: Problem) -> Classes:
    """The eligibility classes and window segments of a problem (``Classes``)."""
    cls_mask, _, line_class = unique_rows(p.eligible)
    seg_mask, _, month_seg = unique_rows(np.ascontiguousarray(p.valid.T))
    return Classes(cls_mask, line_class, seg_mask, month_seg)


def define_funding(p: Problem, b: Builder, x: Production, budget_row: int) -> FundingBlock:
    """Per pool q = (class k, segment s): ``sum_{l in k, m in s} uc_l x[l,m] = sum_p f[p,q]``
    over pledges eligible for k and valid in s (rule 2, pooled); f enters p's budget row."""
    x_line, x_month, x_first = x
    cls_mask, line_class, seg_mask, month_seg = classes(p)
    pools, x_pool = unique_pairs(line_class[x_line], month_seg[x_month])
    rep_line = np.full(len(pools), len(p.line_ids), dtype=np.int64)
    np.minimum.at(rep_line, x_pool, x_line)
    rep_month = np.full(len(pools), p.horizon, dtype=np.int64)
    np.minimum.at(rep_month, x_pool, x_month)
    pool_row = b.add_rows(0.0, 0.0, key(R_POOL, rep_line, rep_month))
    uc = p.unit_cost[x_line].astype(np.float64) * MONEY_SCALE
    b.add(pool_row + x_pool, np.arange(len(x_line)) + x_first, uc)
    allowed = (
        cls_mask[pools[:, 0]] & seg_mask[pools[:, 1]] if len(pools) else np.zeros((0, 0), bool)
    )
    f_pool, f_pledge = np.nonzero(allowed)
    f_first = b.add_cols(
        0.0, INF, key(F, f_pledge, rep_line[f_pool] * p.horizon + rep_month[f_pool]), spend=1.0
    )
    f_cols = np.arange(len(f_pool)) + f_first
    b.add(pool_row + f_pool, f_cols, -1.0)
    b.add(budget_row + f_pledge, f_cols, 1.0)
    return FundingBlock(x_pool, f_pledge, f_pool, f_first, line_class)


def define_unit_funding(p: Problem, b: Builder, x: Production, budget_row: int) -> FundingBlock:
    """Exact (small models): per line l and window segment s,
    ``sum_{m in s} x[l,m] = sum_p u[p,l,s]`` with u the whole units pledge p pays there and
    ``uc_l u`` in p's budget row; with x and u integer no unit is split between pledges (rule
    2). Units per segment rather than per month lose nothing: every pledge valid in one month of
    a segment is valid in all of them, so integer monthly units and integer units per pledge
    with equal totals always fit together (a transportation problem with integer margins), and
    there are several times fewer integers, and fewer symmetric ones, to branch on."""
    x_line, x_month, x_first = x
    _, line_class, seg_mask, month_seg = classes(p)
    pools, x_pool = unique_pairs(x_line, month_seg[x_month])
    rep_month = np.full(len(pools), p.horizon, dtype=np.int64)
    np.minimum.at(rep_month, x_pool, x_month)
    pool_line = pools[:, 0]
    pool_row = b.add_rows(0.0, 0.0, key(R_POOL, pool_line, rep_month))
    b.add(pool_row + x_pool, np.arange(len(x_line)) + x_first, 1.0)
    allowed = p.eligible[pool_line] & seg_mask[pools[:, 1]]
    f_pool, f_pledge = np.nonzero(allowed.reshape(len(pools), len(p.pledge_ids)))
    money = p.unit_cost[pool_line[f_pool]].astype(np.float64) * MONEY_SCALE
    f_first = b.add_cols(
        0.0, INF, key(F, f_pledge, pool_line[f_pool] * p.horizon + rep_month[f_pool]), spend=money
    )
    f_cols = np.arange(len(f_pool)) + f_first
    b.add(pool_row + f_pool, f_cols, -1.0)
    b.add(budget_row + f_pledge, f_cols, money)
    return FundingBlock(x_pool, f_pledge, f_pool, f_first, line_class)


def in_pledges(form: Formulation, col_value: FloatArray) -> tuple[Formulation, FloatArray]:
    """The same solution with money columns per pledge instead of per payer (``split_money``):
    a formulation whose ``f``/``g`` blocks name pledges, and the matching column values. The
    model itself is not rebuilt: the result is for reading the solution, not for solving."""
    if len(form.payers.pledge_ids) == len(form.problem.pledge_ids) or not len(col_value):
        return form, col_value
    # production and setup money share each pledge's budget: split them together
    n_f = len(form.f_pledge)
    col, pledge, money = split_money(
        form.payer_of,
        form.problem.budget,
        np.concatenate([form.f_pledge, form.g_pledge]),
        np.concatenate([col_value[form.cols("f")], col_value[form.cols("g")]]),
        MONEY_SCALE,
    )
    is_f = col < n_f
    f_col, f_pledge, f_money = col[is_f], pledge[is_f], money[is_f]
    g_col, g_pledge, g_money = col[~is_f] - n_f, pledge[~is_f], money[~is_f]
    blocks = [col_value[form.cols("x")], col_value[form.cols("d")], f_money]
    blocks += [col_value[form.cols("y")], g_money]
    sizes = np.cumsum([0, *(len(v) for v in blocks)])
    split = dataclasses.replace(
        form,
        payers=form.problem,
        payer_of=np.arange(len(form.problem.pledge_ids), dtype=np.int64),
        f_pledge=f_pledge,
        f_pool=form.f_pool[f_col],
        g_pledge=g_pledge,
        g_class=form.g_class[g_col],
        g_start=form.g_start[g_col],
        first={block: int(sizes[i]) for i, block in enumerate("xdfyg")},
    )
    return split, np.concatenate(blocks)
