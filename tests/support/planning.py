"""Plan a scenario in tests and always put the result through the independent validator."""

from __future__ import annotations

from kuznia.allocation import SolverOptions, WarmStart, plan_scenario
from kuznia.allocation.engine import PlanOutcome
from kuznia.plancheck import check_plan
from kuznia.scenario.io import dump_scenario, scenario_sha256
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan

FAST = SolverOptions(time_limit=5.0)


def plan_checked(
    s: Scenario, options: SolverOptions = FAST, warm: WarmStart | None = None
) -> PlanOutcome:
    """Plan ``s`` and fail the test if plancheck finds any violation."""
    data = dump_scenario(s)
    outcome = plan_scenario(s, scenario_sha256(data), options, warm)
    violations = check_plan(s, outcome.plan, data)
    assert not violations, "\n".join(str(v) for v in violations)
    return outcome


def plan_of(s: Scenario, options: SolverOptions = FAST) -> Plan:
    return plan_checked(s, options).plan


def produced(plan: Plan, proposal: str | None = None) -> int:
    return sum(r.units for r in plan.production if proposal in (None, r.proposal))


def delivered(plan: Plan, requirement: str | None = None) -> int:
    return sum(r.units for r in plan.deliveries if requirement in (None, r.requirement))


def spent(plan: Plan, pledge: str) -> str:
    cents = sum(round(r.amount * 100) for r in (*plan.funding, *plan.setup) if r.pledge == pledge)
    return f"{cents // 100}.{cents % 100:02d}"
