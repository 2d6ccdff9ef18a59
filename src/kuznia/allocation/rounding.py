"""The one rounding step: solver floats -> whole units and exact cents, keeping the plan valid.

Production is floored (never above capacity, never more money); a line left below its minimum
lot is topped up from its fractional months or closed (rule 5). Money is then assigned in
integer cents: each unit is paid wholly by one pledge (amount = units * to_base(unit_cost)),
guided by the LP's pooled funding, falling back to any eligible valid pledge with money left;
units nobody can pay are not produced (rules 2 and 4). Setups are paid first (rule 3).

Dropping units nobody could pay and paying again changes nothing else when no line closes: the
setups see the same lines opening in the same months, and every unit paid before is paid again
by the same pledges (a unit is left partly unpaid only after taking all that each pledge could
give, so fewer units take exactly that). The pass is repeated only when it would differ: a setup
could not be paid, a line falls below its lot, or a line's first production month moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.paying import Funding, Purse, SetupPayment, pay_units
from kuznia.allocation.problem import IntArray, Problem
from kuznia.allocation.solved import Solved

MAX_PASSES = 8
# solver values within this of a whole number are that number (HiGHS's integrality and
# feasibility tolerances are 1e-6); the exact money and capacity checks follow anyway
UNIT_TOL = 1e-4


@dataclass(frozen=True)
class Payments:
    """Integer results: production per x column and who pays what, in cents."""

    units: IntArray  # per x column
    funding: list[Funding]
    setup: list[SetupPayment]

    @property
    def total_cents(self) -> int:
        return sum(f.cents for f in self.funding) + sum(s.cents for s in self.setup)

    def spent(self, n_pledges: int) -> IntArray:
        """(P,) cents each pledge pays, production and setups."""
        out = np.zeros(n_pledges, dtype=np.int64)
        for f in self.funding:
            out[f.pledge] += f.cents
        for s in self.setup:
            out[s.pledge] += s.cents
        return out


def integer_production(form: Formulation, solved: Solved) -> IntArray:
    """``X = floor(x)``, then the minimum-lot repair: top up from the largest fractional parts."""
    p = form.problem
    x = solved.col_value[form.cols("x")] if len(solved.col_value) else np.zeros(len(form.x_line))
    cap = p.capacity[form.x_line, form.x_month]
    units = np.clip(np.floor(x + UNIT_TOL), 0, cap).astype(np.int64)
    frac = x - units
    return _repair_lots(p, form.x_line, units, frac)


def _short_lines(p: Problem, x_line: IntArray, units: IntArray) -> tuple[IntArray, IntArray]:
    """Lines producing something but less than their lot, and every line's total."""
    totals = np.bincount(x_line, weights=units, minlength=len(p.line_ids)).astype(np.int64)
    return np.nonzero((totals > 0) & (totals < p.min_lot))[0], totals


def _repair_lots(p: Problem, x_line: IntArray, units: IntArray, frac: np.ndarray) -> IntArray:
    units = units.copy()
    short, totals = _short_lines(p, x_line, units)
    if not len(short):
        return units
    by_line = np.argsort(x_line, kind="stable")  # each line's columns in column order
    bounds = np.searchsorted(x_line[by_line], [short, short + 1])
    for line, lo, hi in zip(short.tolist(), *bounds.tolist(), strict=True):
        cols = by_line[lo:hi]
        missing = int(p.min_lot[line] - totals[line])
        for col in cols[np.argsort(-frac[cols])]:
            if missing == 0 or frac[col] <= 1e-6:
                break
            units[col] += 1
            missing -= 1
        if missing > 0:
            units[cols] = 0
    return units


def _close_short(p: Problem, x_line: IntArray, units: IntArray) -> IntArray:
    """``_repair_lots`` without fractional parts: every line below its lot is closed."""
    short, _ = _short_lines(p, x_line, units)
    if not len(short):
        return units
    closing = np.zeros(len(p.line_ids), dtype=bool)
    closing[short] = True
    out = units.copy()
    out[closing[x_line]] = 0
    return out


def assign_money(form: Formulation, solved: Solved, units: IntArray) -> Payments:
    """Pay setups then units in cents; drop what cannot be paid and repeat until stable."""
    units = units.copy()
    allow = _within_budgets(form, _allowances(form, solved, "f"), _allowances(form, solved, "g"))
    for n_pass in range(MAX_PASSES):
        result, unpaid, closed = _one_pass(form, solved, units, allow)
        if not unpaid.any() and not closed:
            return result
        paid = units - unpaid
        after = paid.copy()
        after[np.isin(form.x_line, closed)] = 0
        after = _close_short(form.problem, form.x_line, after)
        if not closed and n_pass + 1 < MAX_PASSES and _repeats(form, units, paid, after):
            return Payments(units=after, funding=result.funding, setup=result.setup)
        units = after
    return _one_pass(form, solved, np.zeros_like(units), allow)[0]


def _repeats(form: Formulation, units: IntArray, paid: IntArray, after: IntArray) -> bool:
    """A pass over ``after`` would pay exactly what the pass over ``units`` paid (see the module
    docstring): no line closed for its lot, and every line opens in the same month."""
    if not np.array_equal(paid, after):
        return False
    return np.array_equal(_first_months(form, units), _first_months(form, after))


def _allowances(form: Formulation, solved: Solved, block: str) -> IntArray:
    if not len(solved.col_value):
        return np.zeros(len(form.cols(block)), dtype=np.int64)
    vals = np.clip(solved.col_value[form.cols(block)], 0, None)
    if block == "f" and form.per_unit:  # whole units per pledge: round them first, then cents
        return (np.floor(vals + UNIT_TOL) * form.f_cents).astype(np.int64)
    return np.floor(vals / MONEY_SCALE + 1e-3).astype(np.int64)


def _within_budgets(
    form: Formulation, f_allow: IntArray, g_allow: IntArray
) -> tuple[IntArray, IntArray]:
    """Allowances no pledge's budget cannot cover: where the solver's split (within its
    tolerances: a unit 1e-7 short of whole moves cents) asks a pledge for more than it has, its
    setup allowances give up the excess, which then comes from money no split reserves."""
    n = len(form.problem.pledge_ids)
    asked = np.bincount(form.f_pledge, weights=f_allow, minlength=n)
    asked += np.bincount(form.g_pledge, weights=g_allow, minlength=n)
    excess = np.clip(asked - form.problem.budget, 0, None).astype(np.int64)
    if not excess.any():
        return f_allow, g_allow
    g_allow = g_allow.copy()
    for col in np.nonzero(excess[form.g_pledge] > 0)[0][::-1].tolist():
        q = int(form.g_pledge[col])
        cut = min(int(excess[q]), int(g_allow[col]))
        g_allow[col] -= cut
        excess[q] -= cut
    return f_allow, g_allow


def _one_pass(
    form: Formulation, solved: Solved, units: IntArray, allow: tuple[IntArray, IntArray]
) -> tuple[Payments, IntArray, list[int]]:
    p = form.problem
    f_allow, g_allow = allow
    reserved = np.bincount(form.f_pledge, weights=f_allow, minlength=len(p.pledge_ids))
    reserved += np.bincount(form.g_pledge, weights=g_allow, minlength=len(p.pledge_ids))
    purse = Purse(p.budget, reserved.astype(np.int64))
    setup_rows, closed = _pay_setups(form, solved, units, purse, g_allow)
    funding, unpaid = pay_units(form, units, set(closed), purse, f_allow)
    return Payments(units=units, funding=funding, setup=setup_rows), unpaid, closed


def _pay_setups(
    form: Formulation, solved: Solved, units: IntArray, purse: Purse, g_allow: IntArray
) -> tuple[list[SetupPayment], list[int]]:
    """Each opening line's setup (in line order) from the pledges eligible for it and valid
    from its first month: guided by the solver's setup pool of the segment it opened in."""
    p = form.problem
    allow = _setup_allowances(form, g_allow)
    first_month = _first_months(form, units)
    opening = np.nonzero((first_month < p.horizon) & (p.setup_cost > 0))[0]
    opened_at = _opened_at(form, solved, first_month)
    valid_from: list[int] = p.valid_from.tolist()
    rows: list[SetupPayment] = []
    closed: list[int] = []
    for line in opening.tolist():
        m0 = int(first_month[line])
        pool = allow.get(int(form.line_class[line]) * p.horizon + int(opened_at[line]), {})
        eligible = p.eligible[line]
        guided = [q for q in sorted(pool) if pool[q] > 0 and eligible[q] and valid_from[q] <= m0]
        need = int(p.setup_cost[line])
        paid = _take(need, (guided, pool), purse, partial(_payers, p, line, m0))
        if sum(c for _, c, _ in paid) < need:
            for q, c, by_pool in paid:  # give it back: the line stays closed
                purse.refund(q, c, guided=by_pool)
            closed.append(line)
            continue
        for q, c, by_pool in paid:
            if by_pool:
                pool[q] -= c
            rows.append(SetupPayment(q, line, c))
    return rows, closed


def _payers(p: Problem, line: int, m0: int) -> list[int]:
    """Pledges that may pay the setup of a line first producing in month m0 (rule 3)."""
    payers: list[int] = np.nonzero(p.eligible[line] & (p.valid_from <= m0))[0].tolist()
    return payers


def _setup_allowances(form: Formulation, g_allow: IntArray) -> dict[int, dict[int, int]]:
    """Cents per setup pool (class * T + start) and pledge that the solver's split gives."""
    allow: dict[int, dict[int, int]] = {}
    on = np.nonzero(g_allow)[0]
    pools = (form.g_class[on] * form.problem.horizon + form.g_start[on]).tolist()
    for pool, q, cents in zip(pools, form.g_pledge[on].tolist(), g_allow[on].tolist(), strict=True):
        mine = allow.setdefault(pool, {})
        mine[q] = mine.get(q, 0) + cents
    return allow


def _opened_at(form: Formulation, solved: Solved, first_month: IntArray) -> IntArray:
    """Per line, the start month of the segment the solver opened it in (it may produce
    later): the latest open segment starting by its first month, else the latest segment
    starting by then, else the first month itself."""
    mine = form.y_start <= first_month[form.y_line]
    opened = mine & solved.y_open if len(solved.y_open) else mine
    latest = []
    for mask in (opened, mine):
        best = np.full(len(first_month), -1, dtype=np.int64)
        np.maximum.at(best, form.y_line[mask], form.y_start[mask])
        latest.append(best)
    return np.where(latest[0] >= 0, latest[0], np.where(latest[1] >= 0, latest[1], first_month))


def _take(
    need: int,
    guide: tuple[list[int], dict[int, int]],
    purse: Purse,
    payers: Callable[[], list[int]],
) -> list[tuple[int, int, bool]]:
    """Cents from each payer: (payer, cents, guided), in the purse's three passes: the guided
    payers (in order) within their allowances, then all payers' free money, then any money;
    stopping once ``need`` is met."""
    left, reserved = purse.left, purse.reserved
    taken: list[tuple[int, int, bool]] = []
    guided, allowance = guide
    for q in guided:
        cents = min(need, allowance[q], left[q])
        if cents > 0:
            purse.pay(q, cents, guided=True)
            need -= cents
            taken.append((q, cents, True))
    if need == 0:
        return taken
    everyone = payers()
    for stage in (1, 2):
        for q in everyone:
            if need == 0:
                return taken
            cents = min(need, left[q] - reserved[q] if stage == 1 else left[q])
            if cents > 0:
                purse.pay(q, cents, guided=False)
                need -= cents
                taken.append((q, cents, False))
    return taken


def _first_months(form: Formulation, units: IntArray) -> IntArray:
    p = form.problem
    first = np.full(len(p.line_ids), p.horizon, dtype=np.int64)
    on = units > 0
    np.minimum.at(first, form.x_line[on], form.x_month[on])
    return first
