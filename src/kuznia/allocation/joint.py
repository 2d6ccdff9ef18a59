"""A ``kuznia.scenario/2`` scenario -> a ``kuznia.plan/2`` plan: builds, then the plan.

1. ``builds.choose_builds`` solves the joint model (lines and projects together, money shared)
   for which projects to build, when, and who pays each capex (exact cents, ``capex.py``);
2. each built project becomes a line with ``lead = start + build_months`` and no setup cost,
   each pledge's budget loses the capex it pays, and the plan is made by the engine exactly as
   for ``/1`` (pooling, payers, strategies, rounding, unmet reasons) on that problem;
3. the plan gains its ``builds``, ``capex``, ``unbuilt`` and ``capacity_value`` rows, the capex
   in ``total_spend``, the joint model's bound, and the greedy baseline of the scenario without
   projects (it builds nothing).

Step 2 keeps what step 1 found: the joint solution with its builds and capex is a solution of the
step-2 problem, so the plan is worth at least as much (up to rounding), and the step-1 bound
bounds every valid joint plan; the plan's gap is measured against it.
"""

from __future__ import annotations

import dataclasses
import time
from decimal import Decimal

import numpy as np

from kuznia.allocation.builds import Choice, choose_builds
from kuznia.allocation.capacity_value import line_values, ramp_share
from kuznia.allocation.engine import PlanOutcome, greedy_openings, plan_problem
from kuznia.allocation.greedy import greedy_plan
from kuznia.allocation.problem import Problem, build_problem
from kuznia.allocation.projects import Projects, project_arrays
from kuznia.allocation.solved import Solved, WarmStart
from kuznia.allocation.solver import SolverOptions
from kuznia.money import format_cents, round_cents
from kuznia.months import month_range
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import (
    PLAN_FORMAT_2,
    BuildRow,
    CapacityValue,
    CapexRow,
    Plan,
    PlanStatus,
    UnbuiltReason,
    UnbuiltRow,
)
from kuznia.scenario.projects import line_of


def plan_joint(
    scenario: Scenario,
    scenario_sha256: str,
    options: SolverOptions | None = None,
    *,
    baseline: bool = True,
) -> PlanOutcome:
    """The optimal ``kuznia.plan/2`` plan of a ``kuznia.scenario/2`` scenario."""
    options = options or SolverOptions()
    t0 = time.perf_counter()
    pr = project_arrays(scenario)
    without = build_problem(scenario)  # the scenario without projects: the greedy baseline's
    greedy = greedy_plan(without)  # its openings also start the joint model's relaxation
    choice = choose_builds(scenario, pr, options, greedy_openings(without, greedy))
    lines = scenario.proposals + tuple(
        line_of(pr.items[j], b) for j, b in sorted(choice.start.items())
    )
    built = scenario.model_copy(update={"proposals": lines, "projects": ()})
    problem = build_problem(built)
    paid = np.zeros(len(problem.pledge_ids), dtype=np.int64)
    for (_, pledge), cents in choice.capex.items():
        paid[pledge] += cents
    problem = dataclasses.replace(problem, budget=problem.budget - paid)
    left = max(options.time_limit - (time.perf_counter() - t0), 1.0)
    # the joint LP's basis starts the plan's relaxation (matched by key: lines, months, pools)
    start = WarmStart(basis=choice.basis) if choice.basis is not None else None
    outcome, solved = plan_problem(
        problem,
        scenario_sha256,
        dataclasses.replace(options, time_limit=left),
        start,
        baseline=baseline,
        baseline_of=(without, greedy),
        t0=t0,
    )
    plan = _joint_plan(outcome.plan, scenario, pr, choice, problem, solved, options, t0)
    return PlanOutcome(plan=plan, warm=outcome.warm)


def _joint_plan(
    plan: Plan,
    s: Scenario,
    pr: Projects,
    choice: Choice,
    problem: Problem,
    solved: Solved,
    options: SolverOptions,
    t0: float,
) -> Plan:
    builds, capex, unbuilt = _rows(s, pr, choice, problem)
    spend = round_cents(plan.total_spend) + sum(choice.capex.values())
    bound = plan.solver.bound if choice.bound is None else max(choice.bound, plan.value)
    gap = max(0.0, bound - plan.value) / bound if bound > 1e-9 else 0.0
    status = plan.status
    if status in {PlanStatus.OPTIMAL, PlanStatus.FEASIBLE}:
        status = PlanStatus.OPTIMAL if gap <= options.mip_gap + 1e-12 else PlanStatus.FEASIBLE
    method = f"{choice.method}+{plan.solver.method}"
    solver = plan.solver.model_copy(
        update={"bound": bound, "mip_gap": gap, "method": method, "options": options.as_dict()}
    )
    solve = plan.timings_s.solve + choice.seconds
    timings = plan.timings_s.model_copy(update={"solve": solve, "total": time.perf_counter() - t0})
    return plan.model_copy(
        update={
            "format": PLAN_FORMAT_2,
            "status": status,
            "solver": solver,
            "timings_s": timings,
            "total_spend": Decimal(format_cents(spend)),
            "builds": tuple(builds),
            "capex": tuple(capex),
            "unbuilt": tuple(unbuilt),
            "capacity_value": _capacity_value(s, pr, choice, problem, solved),
            "notes": (*plan.notes, *choice.notes),
        }
    )


def _rows(
    s: Scenario, pr: Projects, choice: Choice, problem: Problem
) -> tuple[list[BuildRow], list[CapexRow], list[UnbuiltRow]]:
    """The builds, capex and unbuilt rows of a choice."""
    months = month_range(s.start_month, s.horizon_months)
    capex = [
        CapexRow(
            pledge=problem.pledge_ids[pledge],
            project=pr.items[j].id,
            month=months[choice.start[j]],
            amount=format_cents(cents),
        )
        for (j, pledge), cents in sorted(choice.capex.items())
    ]
    builds = [
        BuildRow(project=pr.items[j].id, start_month=months[b])
        for j, b in sorted(choice.start.items())
    ]
    unbuilt = [
        UnbuiltRow(project=j.id, reason=pr.reasons[i] or UnbuiltReason.NOT_CHOSEN)
        for i, j in enumerate(pr.items)
        if i not in choice.start
    ]
    return builds, capex, unbuilt


def _capacity_value(
    s: Scenario, pr: Projects, choice: Choice, problem: Problem, solved: Solved
) -> CapacityValue:
    lead = [p.lead_time_months for p in s.proposals]
    ramp = [p.ramp_up_months for p in s.proposals]
    for j, b in sorted(choice.start.items()):
        lead.append(b + pr.items[j].build_months)
        ramp.append(pr.items[j].ramp_up_months)
    share = ramp_share(np.array(lead, np.int64), np.array(ramp, np.int64), problem.horizon)
    values = line_values(solved.form, solved.capacity_dual, share, len(problem.line_ids))
    return CapacityValue(
        lines={lid: round(float(v), 9) for lid, v in zip(problem.line_ids, values, strict=True)}
    )
