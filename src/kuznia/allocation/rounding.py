"""The one rounding step: solver floats -> whole units and exact cents, keeping the plan valid.

Production is floored (never above capacity, never more money); a line left below its minimum
lot is topped up from its fractional months or closed (rule 5). Payments is then assigned in
integer cents: each unit is paid wholly by one pledge (amount = units * to_base(unit_cost)),
guided by the LP's pooled funding, falling back to any eligible valid pledge with money left;
units nobody can pay are not produced (rules 2 and 4). Setups are paid first (rule 3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import IntArray, Problem
from kuznia.allocation.strategy import Solved

MAX_PASSES = 8


@dataclass(frozen=True)
class Payments:
    """Integer results: production per x column and who pays what, in cents."""

    units: IntArray  # per x column
    funding: list[tuple[int, int, int, int, int]]  # pledge, line, month, units, cents
    setup: list[tuple[int, int, int]]  # pledge, line, cents

    @property
    def total_cents(self) -> int:
        return sum(c for *_, c in self.funding) + sum(c for *_, c in self.setup)


def integer_production(form: Formulation, solved: Solved) -> IntArray:
    """``X = floor(x)``, then the minimum-lot repair: top up from the largest fractional parts."""
    p = form.problem
    x = solved.col_value[form.cols("x")] if len(solved.col_value) else np.zeros(len(form.x_line))
    cap = p.capacity[form.x_line, form.x_month]
    units = np.clip(np.floor(x + 1e-6), 0, cap).astype(np.int64)
    frac = x - units
    return _repair_lots(p, form.x_line, units, frac)


def _repair_lots(p: Problem, x_line: IntArray, units: IntArray, frac: np.ndarray) -> IntArray:
    units = units.copy()
    totals = np.bincount(x_line, weights=units, minlength=len(p.line_ids)).astype(np.int64)
    short = np.nonzero((totals > 0) & (totals < p.min_lot))[0]
    for line in short:
        cols = np.nonzero(x_line == line)[0]
        missing = int(p.min_lot[line] - totals[line])
        for col in cols[np.argsort(-frac[cols])]:
            if missing == 0 or frac[col] <= 1e-6:
                break
            units[col] += 1
            missing -= 1
        if missing > 0:
            units[cols] = 0
    return units


def assign_money(form: Formulation, solved: Solved, units: IntArray) -> Payments:
    """Pay setups then units in cents; drop what cannot be paid and repeat until stable."""
    units = units.copy()
    for _ in range(MAX_PASSES):
        result, unpaid, closed = _one_pass(form, solved, units)
        if not unpaid.any() and not closed:
            return result
        units = units - unpaid
        for line in closed:
            units[form.x_line == line] = 0
        units = _repair_lots(form.problem, form.x_line, units, np.zeros(len(units)))
    return _one_pass(form, solved, np.zeros_like(units))[0]


def _allowances(form: Formulation, solved: Solved, block: str) -> IntArray:
    if not len(solved.col_value):
        return np.zeros(len(form.cols(block)), dtype=np.int64)
    per = form.f_cents if block == "f" else np.full(len(form.cols(block)), 1.0 / MONEY_SCALE)
    vals = np.clip(solved.col_value[form.cols(block)], 0, None) * per
    return np.floor(vals + 1e-3).astype(np.int64)


def _one_pass(
    form: Formulation, solved: Solved, units: IntArray
) -> tuple[Payments, IntArray, list[int]]:
    p = form.problem
    remaining = [int(b) for b in p.budget]
    totals = np.bincount(form.x_line, weights=units, minlength=len(p.line_ids))
    setup_rows, closed = _pay_setups(form, solved, units, totals, remaining)
    funding, unpaid = _pay_units(form, solved, units, set(closed), remaining)
    return Payments(units=units, funding=funding, setup=setup_rows), unpaid, closed


def _pay_setups(
    form: Formulation, solved: Solved, units: IntArray, totals: np.ndarray, remaining: list[int]
) -> tuple[list[tuple[int, int, int]], list[int]]:
    p = form.problem
    allow: dict[tuple[int, int], int] = defaultdict(int)
    for col, amount in enumerate(_allowances(form, solved, "g")):
        allow[
            (int(form.g_class[col]) * p.horizon + int(form.g_start[col]), int(form.g_pledge[col]))
        ] += int(amount)
    rows: list[tuple[int, int, int]] = []
    closed: list[int] = []
    producing = np.nonzero((totals > 0) & (p.setup_cost > 0))[0]
    first_month = _first_months(form, units)
    for line in producing:
        m0 = first_month[line]
        payers = np.nonzero(p.eligible[line] & (p.valid_from <= m0))[0]
        pool = int(form.line_class[line]) * p.horizon
        starts = form.y_start[(form.y_line == line) & (form.y_start <= m0)]
        pool += int(starts.max()) if len(starts) else m0
        need = int(p.setup_cost[line])
        order = sorted(payers, key=lambda q: (-allow[(pool, int(q))], -remaining[q]))
        payer_ids = [int(q) for q in order]
        paid = _take(need, payer_ids, remaining, {q: allow[(pool, q)] for q in payer_ids})
        if sum(c for _, c in paid) < need:
            for q, c in paid:
                remaining[q] += c
            closed.append(int(line))
            continue
        for q, c in paid:
            allow[(pool, q)] = max(0, allow[(pool, q)] - c)
            rows.append((q, int(line), c))
    return rows, closed


def _take(
    need: int, payers: list[int], remaining: list[int], allowance: dict[int, int]
) -> list[tuple[int, int]]:
    """Cents from each payer: first up to its allowance, then up to its remaining budget."""
    take: dict[int, int] = defaultdict(int)
    for guided in (True, False):
        for q in payers:
            cents = min(need, remaining[q], allowance[q] if guided else remaining[q])
            if cents > 0:
                remaining[q] -= cents
                need -= cents
                take[q] += cents
    return list(take.items())


def _first_months(form: Formulation, units: IntArray) -> IntArray:
    p = form.problem
    first = np.full(len(p.line_ids), p.horizon, dtype=np.int64)
    on = units > 0
    np.minimum.at(first, form.x_line[on], form.x_month[on])
    return first


def _pay_units(
    form: Formulation, solved: Solved, units: IntArray, closed: set[int], remaining: list[int]
) -> tuple[list[tuple[int, int, int, int, int]], IntArray]:
    p = form.problem
    allow = [int(a) for a in _allowances(form, solved, "f")]
    pool_cols: dict[int, list[int]] = defaultdict(list)
    for col, pool in enumerate(form.f_pool):
        pool_cols[int(pool)].append(col)
    for cols in pool_cols.values():
        cols.sort(key=lambda c: -allow[c])
    paid: dict[tuple[int, int, int], int] = defaultdict(int)
    unpaid = np.zeros(len(units), dtype=np.int64)
    for i in np.nonzero(units > 0)[0]:
        line, month, n = int(form.x_line[i]), int(form.x_month[i]), int(units[i])
        if line in closed:
            continue
        uc = int(p.unit_cost[line])
        cols = pool_cols[int(form.x_pool[i])]
        for use_allowance in (True, False):
            for c in cols:
                if n == 0:
                    break
                q = int(form.f_pledge[c])
                money = min(allow[c], remaining[q]) if use_allowance else remaining[q]
                k = n if uc == 0 else min(n, money // uc)
                if k > 0:
                    paid[(q, line, month)] += k
                    remaining[q] -= k * uc
                    allow[c] = max(0, allow[c] - k * uc)
                    n -= k
        unpaid[i] = n
    rows = [(q, ln, m, k, k * int(p.unit_cost[ln])) for (q, ln, m), k in paid.items()]
    return rows, unpaid
