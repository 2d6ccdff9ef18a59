"""A straightforward second formulation of ALLOCATION.md in PuLP, solved by CBC (test/bench only).

Capacity projects (format 2): a binary per project and *every* start month in the horizon (no
candidate pruning), capacity ``x[j,m] <= sum_b cap_b(j,m) w[j,b]``, capex per (pledge, project,
start) from pledges that may invest and are valid then, in the pledges' budgets; production and
setups only from production-purpose pledges.

Nothing is pooled: whole units per (pledge, line, month), deliveries per (requirement, line,
month) with cumulative shipping rows, a binary "first production month" per line. It is slow
and obviously right, which is the point: the optimizer's value must match its optimum.
"""

from __future__ import annotations

import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulp

from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index
from kuznia.plancheck.check import capacity, eligible
from kuznia.scenario.eligibility import may_pay_capex
from kuznia.scenario.lines import line_of
from kuznia.scenario.model import Pledge, Scenario


@dataclass(frozen=True)
class Reference:
    status: str
    value: float
    seconds: float
    variables: int
    constraints: int


def solve_reference(
    s: Scenario,
    time_limit: float = 60.0,
    gap: float = 0.0,
    *,
    progress: Callable[[str], None] | None = None,
    log_path: str | None = None,
    solver: str = "cbc",
) -> Reference:
    """CBC's (or, ``solver="highs"``, HiGHS's) optimum of the naive model. ``progress`` is told
    each phase as it is reached (the benchmark reports how far a run got); ``log_path`` receives
    CBC's own log. HiGHS through PuLP's in-process interface skips CBC's MPS round trip, which
    makes it the quicker exact reference for the many small models of property tests."""
    start = time.perf_counter()
    say = progress or (lambda _message: None)
    say("building the PuLP model")
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    horizon = s.horizon_months
    base = lambda amount, cur: fx.to_base(Money(round_cents(amount), cur)).cents  # noqa: E731
    prob = pulp.LpProblem("kuznia_reference", pulp.LpMaximize)
    x, u, z, pay, d = {}, {}, {}, {}, {}
    project_lines = [
        line_of(j, max(month_index(s.start_month, j.earliest_start), 0)) for j in s.projects
    ]
    lines = (*s.proposals, *project_lines)
    for ln in lines:
        for m in range(horizon):
            if capacity(ln, m) > 0:
                x[ln.id, m] = prob.add_variable(f"x_{ln.id}_{m}", 0, capacity(ln, m), cat="Integer")
                z[ln.id, m] = prob.add_variable(f"z_{ln.id}_{m}", cat="Binary")
        for g in s.pledges:
            if not eligible(g, ln) or not _for_production(g):
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
        for ln in lines:
            if ln.capability == r.capability:
                for m in range(horizon):
                    d[r.id, ln.id, m] = prob.add_variable(f"d_{r.id}_{ln.id}_{m}", 0)
    n_vars = len(x) + len(z) + len(pay) + len(u) + len(d)
    say(f"variables created in {time.perf_counter() - start:.1f} s: {n_vars:,}")
    value = {}
    for r in s.requirements:
        due = month_index(s.start_month, r.due_month)
        for m in range(horizon):
            value[r.id, m] = r.priority * s.lateness_decay ** max(0, m - due)
    prob += pulp.lpSum(value[r, m] * var for (r, _, m), var in d.items())
    u_by_lm: dict[tuple[str, int], list[Any]] = defaultdict(list)
    spend: dict[str, list[Any]] = defaultdict(list)
    unit = {ln.id: base(ln.unit_cost, ln.currency) for ln in lines}
    for (g, l_, m), var in u.items():
        u_by_lm[l_, m].append(var)
        spend[g].append(unit[l_] * var)
    d_by_l: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    d_by_r: dict[str, list[Any]] = defaultdict(list)
    for (r, l_, m), var in d.items():
        d_by_l[l_].append((m, var))
        d_by_r[r].append(var)
    for ln in lines:
        _line_rows(prob, s, ln, x, z, u_by_lm, d_by_l, pay, spend, base(ln.setup_cost, ln.currency))
    _project_rows(prob, s, x, spend, base)
    for g in s.pledges:
        prob += pulp.lpSum(spend[g.id]) <= base(g.amount, g.currency)
    for r in s.requirements:
        prob += pulp.lpSum(d_by_r[r.id]) <= r.quantity
    say(
        f"model built in {time.perf_counter() - start:.1f} s: {n_vars:,} vars, "
        f"{prob.numConstraints():,} rows; writing it for CBC"
    )
    with warnings.catch_warnings():
        # PULP_CBC_CMD (the CBC bundled with PuLP) is deprecated for PuLP 4; it is still the one
        # CBC installed here, and this is test-only code
        warnings.simplefilter("ignore", DeprecationWarning)
        if solver == "highs":  # no threads option: HiGHS's scheduler is one per process, and
            # a thread count other than the optimizer's first one makes every later run fail
            backend = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=gap)
        else:
            backend = pulp.PULP_CBC_CMD(
                msg=False, timeLimit=time_limit, gapRel=gap, logPath=log_path
            )
        prob.solve(backend)
    say(f"CBC returned at {time.perf_counter() - start:.1f} s")
    status = pulp.LpStatus[prob.status].lower()
    objective = pulp.value(prob.objective) or 0.0
    return Reference(
        status,
        float(objective),
        time.perf_counter() - start,
        len(prob.variables()),
        prob.numConstraints(),
    )


def _for_production(g: Pledge) -> bool:
    return "production" in g.purposes


def _project_rows(
    prob: Any, s: Scenario, x: dict[Any, Any], spend: dict[str, list[Any]], base: Any
) -> None:
    """Build binaries per project and start month, capacity once built, capex from payers."""
    horizon = s.horizon_months
    for j in s.projects:
        b0 = max(month_index(s.start_month, j.earliest_start), 0)
        w = {b: prob.add_variable(f"w_{j.id}_{b}", cat="Binary") for b in range(b0, horizon)}
        prob += pulp.lpSum(w.values()) <= 1
        for m in range(horizon):
            if (j.id, m) in x:
                prob += x[j.id, m] <= pulp.lpSum(
                    capacity(line_of(j, b), m) * var for b, var in w.items()
                )
        capex = base(j.capex, j.currency)
        for b, var in w.items():
            payers = []
            for g in s.pledges:
                lo = month_index(s.start_month, g.valid_from)
                hi = month_index(s.start_month, g.valid_to)
                if may_pay_capex(g, j) and lo <= b <= hi:
                    c = prob.add_variable(f"c_{g.id}_{j.id}_{b}", 0)
                    payers.append(c)
                    spend[g.id].append(c)
            prob += pulp.lpSum(payers) == capex * var


def _line_rows(
    prob: Any,
    s: Scenario,
    ln: Any,
    x: dict[Any, Any],
    z: dict[Any, Any],
    u_by_lm: dict[Any, list[Any]],
    d_by_l: dict[str, list[tuple[int, Any]]],
    pay: dict[Any, Any],
    spend: dict[str, list[Any]],
    setup: int,
) -> None:
    """Capacity after opening, units paid, minimum lot, setup payers, cumulative shipping."""
    horizon = s.horizon_months
    months = [m for m in range(horizon) if (ln.id, m) in x]
    opened = pulp.lpSum(z[ln.id, m] for m in months)
    prob += opened <= 1
    for m in months:
        prob += x[ln.id, m] == pulp.lpSum(u_by_lm[ln.id, m])
        prob += x[ln.id, m] <= capacity(ln, m) * pulp.lpSum(z[ln.id, k] for k in months if k <= m)
    prob += pulp.lpSum(x[ln.id, m] for m in months) >= ln.min_total_units * opened
    payers = [g for g in s.pledges if (g.id, ln.id) in pay]
    prob += pulp.lpSum(pay[g.id, ln.id] for g in payers) == setup * opened
    for g in payers:
        vf = month_index(s.start_month, g.valid_from)
        prob += pay[g.id, ln.id] <= setup * pulp.lpSum(z[ln.id, m] for m in months if m >= vf)
        spend[g.id].append(pay[g.id, ln.id])
    for m in range(horizon):
        shipped = pulp.lpSum(v for mm, v in d_by_l[ln.id] if mm <= m)
        made = pulp.lpSum(x[ln.id, k] for k in months if k <= m - ln.ship_lag_months)
        prob += shipped <= made
