"""The line a capacity project becomes (ALLOCATION.md "Capacity projects"), stated once in
``scenario.lines``: the optimizer, the plan validator and the registries all take it."""

from __future__ import annotations

from decimal import Decimal

from kuznia.scenario.lines import line_of
from tests.support.projects import project


def test_a_project_built_from_a_month_is_a_line_whose_lead_is_that_month_plus_its_build() -> None:
    j = project(build_months=3, unit_cost="120.50", monthly_capacity=40, ramp_up_months=2)
    built = line_of(j, 5)
    assert built.lead_time_months == 8
    assert built.setup_cost == Decimal(0)  # the capex paid for it
    assert (built.id, built.unit_cost, built.monthly_capacity, built.ramp_up_months) == (
        j.id,
        Decimal("120.50"),
        40,
        2,
    )
    assert (built.company, built.site_country, built.capability, built.kind) == (
        j.company,
        j.site_country,
        j.capability,
        j.kind,
    )


def test_a_project_built_already_is_a_line_with_no_lead_time() -> None:
    j = project(build_months=7)
    assert line_of(j, -j.build_months).lead_time_months == 0
