"""A plan and its scenario as the plain arrays the recourse model is built from.

Everything here pickles (numpy arrays and tuples), so a Dask worker receives it once and builds
its own HiGHS model; solver objects never cross a process boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuznia.allocation.problem import BoolArray, FloatArray, IntArray, Problem, build_problem
from kuznia.money import round_cents
from kuznia.months import month_index
from kuznia.risk.model import RiskSection
from kuznia.scenario.lines import with_built_lines
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan


@dataclass(frozen=True, slots=True)
class PlanData:
    """The candidate lines of a re-plan (those the plan produces on, and those with no setup
    and no minimum lot: nothing to open), the plan's production on them, and its money.

    Indices: candidate lines ``l``, months ``m``, requirements ``r``, capabilities ``c``,
    pledges ``p``, sites ``s`` (the risk file's order; -1 for a line at no listed site).
    """

    months: tuple[str, ...]
    capability_ids: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    line_ids: tuple[str, ...]
    line_capability: IntArray  # (L,)
    line_site: IntArray  # (L,) site index or -1
    unit_cost: IntArray  # (L,) cents of base currency
    ship_lag: IntArray  # (L,)
    min_lot: IntArray  # (L,) minimum lot of a line the plan opened, else 0
    capacity: IntArray  # (L, T)
    production: IntArray  # (L, T) the plan's units
    req_capability: IntArray  # (R,)
    quantity: IntArray  # (R,)
    value: FloatArray  # (R, T) value of a unit delivered to r in month m
    budget: IntArray  # (P,) cents the plan spends on production from each pledge
    free_budget: IntArray  # (P,) cents of each pledge not spent on the plan's setups
    eligible: BoolArray  # (L, P)
    valid: BoolArray  # (P, T)
    delivered: FloatArray  # (R, T) the plan's deliveries
    unit_value: FloatArray  # (L, T) value per unit produced: ``arrival_unit_value``

    @property
    def horizon(self) -> int:
        return len(self.months)


def _plan_rows(problem: Problem, plan: Plan) -> tuple[IntArray, FloatArray]:
    """(L, T) production and (R, T) deliveries of the plan, all lines."""
    start = problem.months[0]
    line = {lid: i for i, lid in enumerate(problem.line_ids)}
    req = {rid: i for i, rid in enumerate(problem.requirement_ids)}
    shape = (len(problem.line_ids), problem.horizon)
    production = np.zeros(shape, dtype=np.int64)
    for row in plan.production:
        production[line[row.proposal], month_index(start, row.month)] += row.units
    delivered = np.zeros((len(problem.requirement_ids), problem.horizon))
    for d in plan.deliveries:
        delivered[req[d.requirement], month_index(start, d.month)] += d.units
    return production, delivered


def arrival_unit_value(
    line_capability: IntArray,
    ship_lag: IntArray,
    req_capability: IntArray,
    delivered: FloatArray,
    value: FloatArray,
) -> FloatArray:
    """(L, T): the mean value of the units of a line's capability delivered in the month its
    production of month m arrives (0 where none is delivered then)."""
    horizon = delivered.shape[1]
    n_cap = int(max(line_capability.max(initial=-1), req_capability.max(initial=-1))) + 1
    units = np.zeros((n_cap, horizon))
    worth = np.zeros((n_cap, horizon))
    np.add.at(units, req_capability, delivered)
    np.add.at(worth, req_capability, delivered * value)
    mean = np.divide(worth, units, out=np.zeros_like(worth), where=units > 0)
    arrival = np.arange(horizon)[None, :] + ship_lag[:, None]
    inside = arrival < horizon
    out = np.zeros((len(line_capability), horizon))
    rows = np.broadcast_to(line_capability[:, None], arrival.shape)
    out[inside] = mean[rows[inside], arrival[inside]]
    return out


def _spend(problem: Problem, plan: Plan) -> tuple[IntArray, IntArray]:
    pledge = {pid: i for i, pid in enumerate(problem.pledge_ids)}
    production = np.zeros(len(problem.pledge_ids), dtype=np.int64)
    setup = np.zeros(len(problem.pledge_ids), dtype=np.int64)
    for f in plan.funding:
        production[pledge[f.pledge]] += round_cents(f.amount)
    for g in plan.setup:
        setup[pledge[g.pledge]] += round_cents(g.amount)
    return production, setup


def site_index(problem: Problem, risk: RiskSection | None) -> IntArray:
    """(all lines,) index of each line's site in the risk file, -1 where none is listed."""
    at = {ln: i for i, s in enumerate(risk.sites) for ln in s.proposals} if risk else {}
    return np.array([at.get(lid, -1) for lid in problem.line_ids], dtype=np.int64)


def plan_data(scenario: Scenario, plan: Plan, risk: RiskSection | None) -> PlanData:
    """Derive the re-plan's arrays: the plan's production, deliveries and spend, per line."""
    problem = build_problem(with_built_lines(scenario, plan))
    production, delivered = _plan_rows(problem, plan)
    spend, setup = _spend(problem, plan)
    opened = production.sum(axis=1) > 0
    keep = np.nonzero(opened | ((problem.setup_cost == 0) & (problem.min_lot == 0)))[0]
    return PlanData(
        months=problem.months,
        capability_ids=problem.capability_ids,
        requirement_ids=problem.requirement_ids,
        line_ids=tuple(problem.line_ids[i] for i in keep),
        line_capability=problem.line_capability[keep],
        line_site=site_index(problem, risk)[keep],
        unit_cost=problem.unit_cost[keep],
        ship_lag=problem.ship_lag[keep],
        min_lot=np.where(opened[keep], problem.min_lot[keep], 0),
        capacity=np.maximum(problem.capacity[keep], production[keep]),
        production=production[keep],
        req_capability=problem.req_capability,
        quantity=problem.quantity,
        value=problem.value,
        budget=spend,
        free_budget=np.maximum(problem.budget - setup, 0),
        eligible=problem.eligible[keep],
        valid=problem.valid,
        delivered=delivered,
        unit_value=arrival_unit_value(
            problem.line_capability[keep],
            problem.ship_lag[keep],
            problem.req_capability,
            delivered,
            problem.value,
        ),
    )
