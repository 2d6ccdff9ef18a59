"""Scenario -> plan: build, solve, round, disaggregate, explain; one call, never raises on
infeasible or empty inputs (they are results with a status and notes)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from kuznia.allocation.deliveries import whole_deliveries
from kuznia.allocation.extract import plan_rows
from kuznia.allocation.formulation import build_formulation, in_pledges
from kuznia.allocation.greedy import Greedy, greedy_plan
from kuznia.allocation.integer_stage import integer_stage
from kuznia.allocation.priorities import need_priorities
from kuznia.allocation.problem import Problem, build_problem
from kuznia.allocation.rounding import assign_money, integer_production
from kuznia.allocation.solved import Solved, WarmStart
from kuznia.allocation.solver import SOLVER_NAME, SolverOptions, SolveStatus, solver_version
from kuznia.allocation.strategy import solve
from kuznia.money import format_cents
from kuznia.months import month_index
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import (
    Baseline,
    MarginalValue,
    Plan,
    PlanStatus,
    SolverInfo,
    Timings,
)


@dataclass(frozen=True)
class PlanOutcome:
    """The plan file and what a re-plan of a slightly changed scenario may start from."""

    plan: Plan
    warm: WarmStart


def plan_scenario(
    scenario: Scenario,
    scenario_sha256: str,
    options: SolverOptions | None = None,
    warm: WarmStart | None = None,
    *,
    baseline: bool = True,
) -> PlanOutcome:
    """The optimal plan of ALLOCATION.md for a ``kuznia.scenario/1`` scenario (a ``/2`` one
    goes through ``joint.plan_joint``; ``kuznia.allocation.plan_scenario`` chooses)."""
    t0 = time.perf_counter()
    problem = build_problem(scenario)
    return plan_problem(problem, scenario_sha256, options, warm, baseline=baseline, t0=t0)[0]


def plan_problem(
    problem: Problem,
    scenario_sha256: str,
    options: SolverOptions | None = None,
    warm: WarmStart | None = None,
    *,
    baseline: bool = True,
    baseline_of: tuple[Problem, Greedy | None] | None = None,
    t0: float | None = None,
) -> tuple[PlanOutcome, Solved]:
    """The plan of ``problem`` and the solution it was read from; the greedy baseline is that
    of ``baseline_of`` (a problem and, if made, its greedy plan) when given (a joint plan's:
    the scenario without projects)."""
    options = options or SolverOptions()
    t0 = time.perf_counter() if t0 is None else t0
    form = build_formulation(problem)
    t_build = time.perf_counter() - t0
    t_base = time.perf_counter()
    greedy, base = _baseline(problem, baseline_of, warm, baseline=baseline)
    t_base = time.perf_counter() - t_base
    crash = WarmStart(first_month=greedy_openings(problem, greedy)) if greedy else None
    solved = solve(form, options, warm, crash)
    t_extract = time.perf_counter()
    whole = _whole_plan(problem, solved)
    gap = _gap(solved.bound, whole.value)
    if gap > options.mip_gap:  # keep working while time is left (integer_stage.py)
        solved, whole = _keep_working(problem, solved, whole, options, t0)
        gap = _gap(solved.bound, whole.value)
    t_extract = time.perf_counter() - t_extract
    timings = Timings(
        build=t_build,
        solve=solved.seconds,
        extraction=t_extract,
        baseline=t_base,
        total=time.perf_counter() - t0,
    )
    plan = Plan(
        scenario_sha256=scenario_sha256,
        status=_status(solved, gap, options),
        solver=_solver_info(solved, options, gap),
        timings_s=timings,
        value=whole.value,
        total_spend=format_cents(whole.spend_cents),
        **whole.rows,
        marginal_value=_marginal_value(problem, solved),
        priorities=need_priorities(problem),
        baseline=Baseline(value=base[0], total_spend=format_cents(base[1])) if base else None,
        notes=tuple(solved.notes),
    )  # fmt: skip
    return PlanOutcome(plan=plan, warm=_warm(solved, plan)), solved


def _baseline(
    problem: Problem,
    other: tuple[Problem, Greedy | None] | None,
    warm: WarmStart | None,
    *,
    baseline: bool,
) -> tuple[Greedy | None, tuple[float, int] | None]:
    """The greedy plan (its setups also give the relaxation of a cold plan its first basis) and
    the baseline's value and spend: of ``other`` (a problem and, if made, its greedy plan) when
    given, else of ``problem``."""
    if other is None:
        greedy = greedy_plan(problem) if baseline or warm is None else None
        base = (greedy.value(problem), greedy.spend(problem)) if greedy and baseline else None
        return greedy, base
    theirs = (other[1] or greedy_plan(other[0])) if baseline else None
    base = (theirs.value(other[0]), theirs.spend(other[0])) if theirs else None
    return (greedy_plan(problem) if warm is None else None), base


def _keep_working(
    problem: Problem, solved: Solved, whole: WholePlan, options: SolverOptions, t0: float
) -> tuple[Solved, WholePlan]:
    """A pooled plan above the configured gap: the integer stage, kept if it is worth more."""
    left = options.time_limit - (time.perf_counter() - t0)
    better = integer_stage(solved, options, left)
    if better is None:
        return solved, whole
    again = _whole_plan(problem, better)
    return (better, again) if again.value > whole.value else (solved, whole)


class WholePlan(NamedTuple):
    """The plan's rows in whole units and exact cents, its value and its spend."""

    rows: dict[str, tuple[object, ...]]
    value: float
    spend_cents: int


def _whole_plan(problem: Problem, solved: Solved) -> WholePlan:
    """The one step from solver floats to whole units and cents (``rounding.py``), then
    deliveries per line and the plan rows; the value is recomputed from the deliveries."""
    by_pledge, col_value = in_pledges(solved.form, solved.col_value)
    per_pledge = dataclasses.replace(solved, col_value=col_value)
    units = integer_production(by_pledge, per_pledge)
    money = assign_money(by_pledge, per_pledge, units)
    deliveries = whole_deliveries(by_pledge, col_value, money.units)
    rows = plan_rows(problem, by_pledge, money, deliveries)
    value = sum(d.units * float(problem.value[d.requirement, d.month]) for d in sorted(deliveries))
    return WholePlan(rows, value, money.total_cents)


def _marginal_value(problem: Problem, solved: Solved) -> MarginalValue:
    """Value per 1,000,000 on each pledge, and (where money binds) the units per capability and
    the needs that million would deliver."""
    duals = zip(problem.pledge_ids, solved.budget_dual.tolist(), strict=True)
    units: dict[str, dict[str, float]] = {}
    needs: dict[str, tuple[str, ...]] = {}
    more = solved.more_money
    for q, pid in enumerate(problem.pledge_ids if more is not None else ()):
        assert more is not None
        by_cap = {
            problem.capability_ids[c]: round(float(n), 2)
            for c, n in enumerate(more.units[q].tolist())
            if n >= 0.005
        }
        if by_cap:
            units[pid] = by_cap
            needs[pid] = tuple(problem.requirement_ids[r] for r in more.needs[q])
    return MarginalValue(
        pledges={pid: round(float(v), 9) for pid, v in duals}, units=units, needs=needs
    )


def greedy_openings(problem: Problem, greedy: Greedy) -> dict[str, int]:
    """Line id -> first month the greedy baseline produces on it."""
    on = np.nonzero(greedy.produced.sum(axis=1) > 0)[0]
    first = np.argmax(greedy.produced[on] > 0, axis=1)
    return {problem.line_ids[int(line)]: int(m) for line, m in zip(on, first, strict=True)}


def _gap(bound: float, value: float) -> float:
    if bound <= 1e-9:
        return 0.0
    return max(0.0, bound - value) / bound


def _status(solved: Solved, gap: float, options: SolverOptions) -> PlanStatus:
    if solved.status in {SolveStatus.ERROR, SolveStatus.UNBOUNDED}:
        return PlanStatus.ERROR
    if solved.status is SolveStatus.INFEASIBLE:
        return PlanStatus.INFEASIBLE
    if (
        solved.status in {SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT}
        and gap <= options.mip_gap + 1e-12
    ):
        return PlanStatus.OPTIMAL
    return PlanStatus.FEASIBLE


def _solver_info(solved: Solved, options: SolverOptions, gap: float) -> SolverInfo:
    form = solved.form
    m = form.model
    whole = len(form.x_line) + len(form.f_pledge) if form.per_unit else 0
    size = {
        "rows": len(m.row_lower),
        "cols": len(m.col_lower),
        "nnz": m.nnz,
        "integers": len(form.y_line) + whole,
    }
    return SolverInfo(
        name=SOLVER_NAME,
        version=solver_version(),
        options=options.as_dict(),
        mip_gap=gap,
        method=solved.method.value,
        bound=solved.bound,
        model=size,
    )


def _warm(solved: Solved, plan: Plan) -> WarmStart:
    months = solved.form.problem.months
    start = months[0] if months else "2000-01"
    return WarmStart(
        basis=solved.basis,
        first_month=first_months(plan, start),
        prices=solved.prices,
        # only a solved plan's bound is proven (a failed solve's is not a bound at all)
        bound=solved.bound if plan.status in {PlanStatus.OPTIMAL, PlanStatus.FEASIBLE} else np.inf,
        problem=solved.form.problem,
    )


def first_months(plan: Plan, start_month: str) -> dict[str, int]:
    """Line id -> index (from ``start_month``) of the line's first production month."""
    earliest: dict[str, str] = {}
    for row in plan.production:  # "YYYY-MM" strings order as their months do
        seen = earliest.get(row.proposal)
        if seen is None or row.month < seen:
            earliest[row.proposal] = row.month
    return {line: month_index(start_month, month) for line, month in earliest.items()}


def warm_start_from(plan: Plan, scenario: Scenario) -> WarmStart:
    """Re-plan from an earlier plan file: its lines open as they were (no basis in files)."""
    return WarmStart(first_month=first_months(plan, scenario.start_month))
