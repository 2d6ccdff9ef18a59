"""The lines a plan produces on: the scenario's proposals, and each project the plan builds as
the line it becomes (ALLOCATION.md "Capacity projects": built from month ``b``, a project is a
line with ``lead = b + build_months`` and no setup cost).

Every reader of a plan's rows looks lines up here, so a ``kuznia.plan/2`` row on a built
project's line is never an unknown id.
"""

from __future__ import annotations

from decimal import Decimal

from kuznia.months import month_index
from kuznia.scenario.model import Project, Proposal, Scenario
from kuznia.scenario.plan import Plan


def line_of(project: Project, start: int) -> Proposal:
    """The line a project becomes when built from month index ``start`` (no setup cost)."""
    return Proposal.model_construct(
        id=project.id,
        company=project.company,
        company_country=project.company_country,
        site_country=project.site_country,
        capability=project.capability,
        unit_cost=project.unit_cost,
        currency=project.currency,
        monthly_capacity=project.monthly_capacity,
        lead_time_months=start + project.build_months,
        ramp_up_months=project.ramp_up_months,
        setup_cost=Decimal(0),
        min_total_units=project.min_total_units,
        ship_lag_months=project.ship_lag_months,
        kind=project.kind,
        offtake_until=project.offtake_until,
        offtake_share_percent=project.offtake_share_percent,
    )


def plan_lines(scenario: Scenario, plan: Plan | None = None) -> dict[str, Proposal]:
    """The proposals by id, and the lines of the projects ``plan`` builds."""
    lines = {p.id: p for p in scenario.proposals}
    if plan is None or not plan.builds:
        return lines
    projects = {j.id: j for j in scenario.projects}
    for b in plan.builds:
        project = projects.get(b.project)
        if project is not None:
            start = month_index(scenario.start_month, b.start_month)
            lines[project.id] = line_of(project, start)
    return lines


def with_built_lines(scenario: Scenario, plan: Plan) -> Scenario:
    """``scenario`` with the lines of the projects ``plan`` builds among its proposals: the
    production problem the plan solved once its builds were decided."""
    if not plan.builds:
        return scenario
    lines = tuple(plan_lines(scenario, plan).values())
    return scenario.model_copy(update={"proposals": lines})
