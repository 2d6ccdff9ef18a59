"""The line a capacity project becomes (ALLOCATION.md "Capacity projects"), stated once.

A project built from month index ``start`` (its capex paid in full that month) is a line with
``lead = start + build_months``, no set-up cost (the capex paid for it), and the project's own
company, site, capability, kind, unit cost, capacity, ramp-up, minimum total and shipping lag.
The optimizer plans it as that line, the plan validator checks it as that line (rules 1-6), and
a project that starts producing enters the registries as that line, built already
(``services/registries/projects.py``: ``start = -build_months``, so no lead time).
"""

from __future__ import annotations

from decimal import Decimal

from kuznia.scenario.model import Project, Proposal


def line_of(project: Project, start: int) -> Proposal:
    """The line ``project`` is when built from month index ``start`` (no set-up cost)."""
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
    )
