"""The re-plan of one disruption path: a small LP over the plan's candidate lines.

Variables (money in thousands of base currency, ``MONEY_SCALE`` per cent, as in allocation):

* ``x[l,m]``  production of candidate line l in month m, ``X[l,m] <= x <= cap(l,m)`` where X is
  the plan's production (the plan's lines keep their units; more is bought with money a strike
  frees);
* ``d[r,a]``  units delivered to requirement r in month a, value ``v(r,a)`` each;
* ``f[p,k,s]`` money of payer p (pledges alike in eligibility and window) for lines of
  eligibility class k in months of window segment s.

Rows: arrivals per capability-month ``sum_{l in c} x[l, a - lag_l] - sum_{r in c} d[r,a] >= 0``;
requirements ``sum_a d[r,a] <= q_r``; pools ``sum_{l in k, m in s} uc_l x[l,m] = sum_p
f[p,k,s]``; budgets ``sum f[p,.] <= B_p``; lots ``sum_m x[l,m] >= lot_l`` (robust model only).
Objective: maximise ``sum v(r,a) d[r,a]``. The same pooling as the optimizer's (docs/allocation.md
"Why pooling keeps the optimum") makes the capability-month rows exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE, Assembled, Builder
from kuznia.allocation.problem import FloatArray, IntArray, unique_rows
from kuznia.risk.plandata import PlanData

BUDGET_SLACK_CENTS = 0.01  # the plan's own spend fits its budget rows after float rounding (HiGHS's
# feasibility tolerance 1e-7 is 0.01 cent in model units)
X_BLOCK, D_BLOCK, F_BLOCK = 1, 2, 3


class Blocks(NamedTuple):
    """Where the LP's blocks lie: x columns first (line, month, bounds), then d, then f."""

    x_line: IntArray
    x_month: IntArray
    x_lower: FloatArray
    x_upper: FloatArray
    d_req: IntArray
    d_month: IntArray
    d_first: int
    f_first: int
    f_payer: IntArray
    payer: IntArray  # (P,) payer of each pledge, -1 for none


@dataclass(frozen=True)
class RecourseModel:
    """The assembled LP and its blocks."""

    assembled: Assembled
    x_line: IntArray
    x_month: IntArray
    x_lower: FloatArray
    x_upper: FloatArray
    d_req: IntArray
    d_month: IntArray
    d_first: int
    f_first: int
    f_payer: IntArray
    payer: IntArray


def _keys(block: int, n: int) -> IntArray:
    return (np.int64(block) << 56) | np.arange(n, dtype=np.int64)


def _x_cells(data: PlanData, funders: np.ndarray) -> tuple[IntArray, IntArray]:
    """Production cells: capacity and either the plan's units or a use (arrival in the
    horizon, a requirement of the capability, a funder allowed to pay in that month)."""
    t = data.horizon
    fundable = (
        data.eligible[:, funders].astype(np.int32) @ data.valid[funders].astype(np.int32)
    ) > 0
    in_time = np.arange(t)[None, :] + data.ship_lag[:, None] < t
    wanted = np.isin(data.line_capability, data.req_capability)[:, None]
    cells = (data.capacity > 0) & ((data.production > 0) | (in_time & wanted & fundable))
    line, month = np.nonzero(cells)
    return line.astype(np.int64), month.astype(np.int64)


def _define_deliveries(
    data: PlanData, b: Builder, line: IntArray, month: IntArray
) -> tuple[IntArray, IntArray, int]:
    """d columns where units of the requirement's capability can arrive; arrival and
    requirement rows."""
    t, n_cap = data.horizon, len(data.capability_ids)
    arrival = month + data.ship_lag[line]
    ok = arrival < t
    arrive_row = b.add_rows(0.0, np.inf, _keys(1, n_cap * t))
    cap = data.line_capability[line]
    b.add(arrive_row + cap[ok] * t + arrival[ok], np.nonzero(ok)[0], 1.0)
    possible = np.zeros(n_cap * t, dtype=bool)
    possible[cap[ok] * t + arrival[ok]] = True
    req, at = np.nonzero(possible.reshape(n_cap, t)[data.req_capability])
    req, at = req.astype(np.int64), at.astype(np.int64)
    d_first = b.add_cols(
        0.0,
        data.quantity[req].astype(np.float64),
        _keys(D_BLOCK, len(req)),
        value=data.value[req, at],
    )
    cols = d_first + np.arange(len(req))
    b.add(arrive_row + data.req_capability[req] * t + at, cols, -1.0)
    req_row = b.add_rows(-np.inf, data.quantity.astype(np.float64), _keys(2, len(data.quantity)))
    b.add(req_row + req, cols, 1.0)
    return req, at, d_first


def payer_of(data: PlanData, budget: IntArray) -> IntArray:
    """Funders alike in eligibility (over the candidate lines) and window are one payer, as in
    the optimizer: (P,) the payer of each pledge, -1 for a pledge with no money here."""
    fund = np.nonzero(budget > 0)[0]
    alike = np.concatenate([data.eligible[:, fund].T, data.valid[fund]], axis=1)
    _, _, group = unique_rows(alike)
    out = np.full(len(budget), -1, dtype=np.int64)
    out[fund] = group
    return out


def _define_money(
    data: PlanData, b: Builder, line: IntArray, month: IntArray, budget: IntArray
) -> tuple[int, IntArray, IntArray]:
    """Pools by eligibility class and window segment (over the payers), money columns of the
    payers allowed to pay each pool, and one budget row per payer."""
    payer = payer_of(data, budget)
    n_payers = int(payer.max()) + 1 if len(payer) else 0
    fund = np.array([int(np.nonzero(payer == i)[0][0]) for i in range(n_payers)], dtype=np.int64)
    payer_budget = np.bincount(payer[payer >= 0], weights=budget[payer >= 0], minlength=n_payers)
    cls_mask, _, line_class = unique_rows(data.eligible[:, fund])
    seg_mask, _, month_seg = unique_rows(data.valid[fund].T)
    n_seg = len(seg_mask)
    pool_row = b.add_rows(0.0, 0.0, _keys(3, len(cls_mask) * n_seg))
    cost = data.unit_cost[line].astype(np.float64) * MONEY_SCALE
    b.add(pool_row + line_class[line] * n_seg + month_seg[month], np.arange(len(line)), cost)
    k, s, f_payer = np.nonzero(cls_mask[:, None, :] & seg_mask[None, :, :])
    f_first = b.add_cols(0.0, np.inf, _keys(F_BLOCK, len(f_payer)))
    cols = f_first + np.arange(len(f_payer))
    b.add(pool_row + k * n_seg + s, cols, -1.0)
    upper = ((payer_budget + BUDGET_SLACK_CENTS) * MONEY_SCALE).astype(np.float64)
    budget_row = b.add_rows(-np.inf, upper, _keys(4, n_payers))
    b.add(budget_row + f_payer, cols, 1.0)
    return f_first, f_payer.astype(np.int64), payer


def _define_lots(data: PlanData, b: Builder, line: IntArray) -> None:
    """``sum_m x[l,m] >= lot_l`` for the plan's lines that carry a minimum lot."""
    lotted = np.nonzero(data.min_lot > 0)[0]
    row = b.add_rows(data.min_lot[lotted].astype(np.float64), np.inf, _keys(5, len(lotted)))
    index = np.full(len(data.min_lot), -1, dtype=np.int64)
    index[lotted] = np.arange(len(lotted))
    on = index[line] >= 0
    b.add(row + index[line][on], np.nonzero(on)[0], 1.0)


def define_recourse(
    data: PlanData, b: Builder, *, budget: IntArray, from_plan: bool, lots: bool = False
) -> Blocks:
    """The LP's columns and rows: ``x`` from the plan's units (``from_plan``) or from zero,
    up to capacity."""
    line, month = _x_cells(data, budget > 0)
    upper = data.capacity[line, month].astype(np.float64)
    lower = data.production[line, month].astype(np.float64) if from_plan else np.zeros(len(line))
    b.add_cols(lower, upper, _keys(X_BLOCK, len(line)))
    req, at, d_first = _define_deliveries(data, b, line, month)
    f_first, f_payer, payer = _define_money(data, b, line, month, budget)
    if lots:
        _define_lots(data, b, line)
    return Blocks(line, month, lower, upper, req, at, d_first, f_first, f_payer, payer)


def build_recourse(
    data: PlanData, *, budget: IntArray, from_plan: bool, lots: bool = False
) -> RecourseModel:
    b = Builder()
    blocks = define_recourse(data, b, budget=budget, from_plan=from_plan, lots=lots)
    return RecourseModel(b.finish(), *blocks)
