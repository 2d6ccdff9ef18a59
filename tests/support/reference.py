"""A straightforward second formulation of ALLOCATION.md in PuLP, solved by CBC (test/bench only).

Nothing is pooled: whole units per (pledge, line, month), deliveries per (requirement, line,
month) with cumulative shipping rows, a binary "first production month" per line. It is slow
and obviously right, which is the point: the optimizer's value must match its optimum.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import pulp

from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index
from kuznia.plancheck.check import capacity, eligible
from kuznia.scenario.model import Scenario


@dataclass(frozen=True)
class Reference:
    status: str
    value: float
    seconds: float
    variables: int
    constraints: int


def solve_reference(s: Scenario, time_limit: float = 60.0, gap: float = 0.0) -> Reference:
    start = time.perf_counter()
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    horizon = s.horizon_months
    base = lambda amount, cur: fx.to_base(Money(round_cents(amount), cur)).cents  # noqa: E731
    prob = pulp.LpProblem("kuznia_reference", pulp.LpMaximize)
    x, u, z, pay, d = {}, {}, {}, {}, {}
    for ln in s.proposals:
        for m in range(horizon):
            if capacity(ln, m) > 0:
                x[ln.id, m] = prob.add_variable(f"x_{ln.id}_{m}", 0, capacity(ln, m), cat="Integer")
                z[ln.id, m] = prob.add_variable(f"z_{ln.id}_{m}", cat="Binary")
        for g in s.pledges:
            if not eligible(g, ln):
                continue
            pay[g.id, ln.id] = prob.add_variable(f"s_{g.id}_{ln.id}", 0)
            lo, hi = (
                month_index(s.start_month, g.valid_from),
                month_index(s.start_month, g.valid_to),
            )
            for m in range(max(lo, 0), min(hi, horizon - 1) + 1):
                if (ln.id, m) in x:
                    u[g.id, ln.id, m] = prob.add_variable(f"u_{g.id}_{ln.id}_{m}", 0, cat="Integer")
    for r in s.requirements:
        for ln in s.proposals:
            if ln.capability == r.capability:
                for m in range(horizon):
                    d[r.id, ln.id, m] = prob.add_variable(f"d_{r.id}_{ln.id}_{m}", 0)
    value = {}
    for r in s.requirements:
        due = month_index(s.start_month, r.due_month)
        for m in range(horizon):
            value[r.id, m] = r.priority * s.lateness_decay ** max(0, m - due)
    prob += pulp.lpSum(value[r, m] * var for (r, _, m), var in d.items())
    for ln in s.proposals:
        months = [m for m in range(horizon) if (ln.id, m) in x]
        opened = pulp.lpSum(z[ln.id, m] for m in months)
        prob += opened <= 1
        for m in months:
            prob += x[ln.id, m] == pulp.lpSum(
                v for (g, l_, mm), v in u.items() if l_ == ln.id and mm == m
            )
            prob += x[ln.id, m] <= capacity(ln, m) * pulp.lpSum(
                z[ln.id, k] for k in months if k <= m
            )
        prob += pulp.lpSum(x[ln.id, m] for m in months) >= ln.min_total_units * opened
        setup = base(ln.setup_cost, ln.currency)
        payers = [g for g in s.pledges if (g.id, ln.id) in pay]
        prob += pulp.lpSum(pay[g.id, ln.id] for g in payers) == setup * opened
        for g in payers:
            vf = month_index(s.start_month, g.valid_from)
            prob += pay[g.id, ln.id] <= setup * pulp.lpSum(z[ln.id, m] for m in months if m >= vf)
        for m in range(horizon):
            shipped = pulp.lpSum(v for (r, l_, mm), v in d.items() if l_ == ln.id and mm <= m)
            made = pulp.lpSum(x[ln.id, k] for k in months if k <= m - ln.ship_lag_months)
            prob += shipped <= made
    for g in s.pledges:
        cost = pulp.lpSum(
            base(
                next(p for p in s.proposals if p.id == l_).unit_cost,
                next(p for p in s.proposals if p.id == l_).currency,
            )
            * v
            for (gg, l_, _), v in u.items()
            if gg == g.id
        )
        prob += cost + pulp.lpSum(v for (gg, _), v in pay.items() if gg == g.id) <= base(
            g.amount, g.currency
        )
    for r in s.requirements:
        prob += pulp.lpSum(v for (rr, _, _), v in d.items() if rr == r.id) <= r.quantity
    with warnings.catch_warnings():
        # PULP_CBC_CMD (the CBC bundled with PuLP) is deprecated for PuLP 4; it is still the one
        # CBC installed here, and this is test-only code
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=gap)
        prob.solve(solver)
    status = pulp.LpStatus[prob.status].lower()
    objective = pulp.value(prob.objective) or 0.0
    return Reference(
        status,
        float(objective),
        time.perf_counter() - start,
        len(prob.variables()),
        prob.numConstraints(),
    )
