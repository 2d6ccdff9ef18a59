"""Small worlds for the risk engine: scenarios, their plans and risk files."""

from __future__ import annotations

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.risk import Duration, RiskClass, RiskSection, RiskSite, disruption_of, plan_data
from kuznia.risk.disruption import Disruption
from kuznia.risk.plandata import PlanData
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan

DIGEST = "0" * 64
FOREVER = (Duration(months=600, probability=1.0),)
NEVER = RiskClass(id="never", monthly_probability=0.0, durations=FOREVER)
CERTAIN = RiskClass(id="certain", monthly_probability=1.0, capacity_loss=1.0, durations=FOREVER)


def plan_of(scenario: Scenario) -> Plan:
    plan = plan_scenario(scenario, DIGEST, SolverOptions(threads=1, time_limit=300)).plan
    assert plan.production, f"no production in the plan: {plan.status} {plan.notes}"
    return plan


def risk_of(classes: dict[str, RiskClass], sites: dict[str, tuple[str, ...]]) -> RiskSection:
    """``classes``: site -> class; ``sites``: site -> its lines."""
    unique = {c.id: c for c in classes.values()}
    return RiskSection(
        classes=tuple(unique.values()),
        sites=tuple(
            RiskSite(id=s, risk_class=classes[s].id, proposals=lines) for s, lines in sites.items()
        ),
    )


def world(
    scenario: Scenario, risk: RiskSection, plan: Plan | None = None
) -> tuple[PlanData, Disruption, Plan]:
    plan = plan or plan_of(scenario)
    return plan_data(scenario, plan, risk), disruption_of(risk), plan
