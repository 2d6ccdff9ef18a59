"""The one rounding step: solver floats -> whole units and exact cents, keeping the plan valid.

Production is floored (never above capacity, never more money); a line left below its minimum
lot is topped up from its fractional months or closed (rule 5). Money is then assigned in
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
# solver values within this of a whole number are that number (HiGHS's integrality and
# feasibility tolerances are 1e-6); the exact money and capacity checks follow anyway
UNIT_TOL = 1e-4


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
    units = np.clip(np.floor(x + UNIT_TOL), 0, cap).astype(np.int64)
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
    vals = np.clip(solved.col_value[form.cols(block)], 0, None)
    if block == "f" and form.per_unit:  # whole units per pledge: round them first, then cents
        return (np.floor(vals + UNIT_TOL) * form.f_cents).astype(np.int64)
    return np.floor(vals / MONEY_SCALE + 1e-3).astype(np.int64)


class _Purse:
    """Cents left per pledge, and how much of it the solver's split still reserves for others.

    Each payment first uses its own guided allowance; a shortfall is then taken from money no
    allowance reserves (``free``), and only last from reserved money, so a repair in one place
    does not starve another."""

    def __init__(self, budget: IntArray, reserved: IntArray) -> None:
        self.left = [int(b) for b in budget]
        self.reserved = [int(r) for r in reserved]

    def free(self, q: int) -> int:
        return max(0, self.left[q] - self.reserved[q])

    def pay(self, q: int, cents: int, *, guided: bool) -> None:
        self.left[q] -= cents
        if guided:
            self.reserved[q] = max(0, self.reserved[q] - cents)

    def limits(self, q: int, allowance: int) -> tuple[int, int, int]:
        """What q may pay in the three passes: guided, free, any."""
        return min(allowance, self.left[q]), self.free(q), self.left[q]


def _one_pass(
    form: Formulation, solved: Solved, units: IntArray
) -> tuple[Payments, IntArray, list[int]]:
    p = form.problem
    f_allow, g_allow = _allowances(form, solved, "f"), _allowances(form, solved, "g")
    reserved = np.bincount(form.f_pledge, weights=f_allow, minlength=len(p.pledge_ids))
    reserved += np.bincount(form.g_pledge, weights=g_allow, minlength=len(p.pledge_ids))
    purse = _Purse(p.budget, reserved.astype(np.int64))
    totals = np.bincount(form.x_line, weights=units, minlength=len(p.line_ids))
    setup_rows, closed = _pay_setups(form, solved, units, totals, purse, g_allow)
    funding, unpaid = _pay_units(form, units, set(closed), purse, f_allow)
    return Payments(units=units, funding=funding, setup=setup_rows), unpaid, closed


def _pay_setups(
    form: Formulation,
    solved: Solved,
    units: IntArray,
    totals: np.ndarray,
    purse: _Purse,
    g_allow: IntArray,
) -> tuple[list[tuple[int, int, int]], list[int]]:
    p = form.problem
    allow: dict[tuple[int, int], int] = defaultdict(int)
    for col, amount in enumerate(g_allow):
        pool = int(form.g_class[col]) * p.horizon + int(form.g_start[col])
        allow[(pool, int(form.g_pledge[col]))] += int(amount)
    rows: list[tuple[int, int, int]] = []
    closed: list[int] = []
    first_month = _first_months(form, units)
    for line in np.nonzero((totals > 0) & (p.setup_cost > 0))[0]:
        m0 = int(first_month[line])
        pool = int(form.line_class[line]) * p.horizon + _opened_at(form, solved, int(line), m0)
        payers = [int(q) for q in np.nonzero(p.eligible[line] & (p.valid_from <= m0))[0]]
        need = int(p.setup_cost[line])
        paid = _take(need, payers, purse, {q: allow[(pool, q)] for q in payers})
        if sum(c for _, c, _ in paid) < need:
            for q, c, guided in paid:  # give it back: the line stays closed
                purse.left[q] += c
                purse.reserved[q] += c if guided else 0
            closed.append(int(line))
            continue
        for q, c, guided in paid:
            allow[(pool, q)] -= c if guided else 0
            rows.append((q, int(line), c))
    return rows, closed


def _opened_at(form: Formulation, solved: Solved, line: int, m0: int) -> int:
    """The start month of the segment the solver opened the line in (it may produce later)."""
    mine = (form.y_line == line) & (form.y_start <= m0)
    opened = mine & solved.y_open if len(solved.y_open) else mine
    starts = form.y_start[opened if opened.any() else mine]
    return int(starts.max()) if len(starts) else m0


def _take(
    need: int, payers: list[int], purse: _Purse, allowance: dict[int, int]
) -> list[tuple[int, int, bool]]:
    """Cents from each payer: (payer, cents, guided), in the purse's three passes."""
    taken: list[tuple[int, int, bool]] = []
    for stage in range(3):
        for q in payers:
            cents = min(need, purse.limits(q, allowance[q])[stage])
            if cents > 0:
                purse.pay(q, cents, guided=stage == 0)
                need -= cents
                taken.append((q, cents, stage == 0))
    return taken


def _first_months(form: Formulation, units: IntArray) -> IntArray:
    p = form.problem
    first = np.full(len(p.line_ids), p.horizon, dtype=np.int64)
    on = units > 0
    np.minimum.at(first, form.x_line[on], form.x_month[on])
    return first


def _pay_units(
    form: Formulation, units: IntArray, closed: set[int], purse: _Purse, f_allow: IntArray
) -> tuple[list[tuple[int, int, int, int, int]], IntArray]:
    p = form.problem
    allow = [int(a) for a in f_allow]
    pool_cols: dict[int, list[int]] = defaultdict(list)
    for col, pool in enumerate(form.f_pool):
        pool_cols[int(pool)].append(col)
    pledge_of = form.f_pledge.tolist()
    paid: dict[tuple[int, int, int], int] = defaultdict(int)
    unpaid = np.zeros(len(units), dtype=np.int64)
    for i in np.nonzero(units > 0)[0]:
        line, month, n = int(form.x_line[i]), int(form.x_month[i]), int(units[i])
        if line in closed:
            continue
        uc = int(p.unit_cost[line])
        cols = pool_cols[int(form.x_pool[i])]
        for stage in range(3):
            for c in cols:
                if n == 0:
                    break
                if stage == 0 and allow[c] < max(uc, 1):
                    continue  # most pool columns carry no allowance: skip them cheaply
                q = pledge_of[c]
                money = purse.limits(q, allow[c])[stage]
                k = n if uc == 0 else min(n, money // uc)
                if k > 0:
                    paid[(q, line, month)] += k
                    purse.pay(q, k * uc, guided=stage == 0)
                    allow[c] -= k * uc if stage == 0 else 0
                    n -= k
        unpaid[i] = n
    rows = [(q, ln, m, k, k * int(p.unit_cost[ln])) for (q, ln, m), k in paid.items()]
    return rows, unpaid
