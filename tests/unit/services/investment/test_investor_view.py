"""Where capacity is missing and what a project adds, on a hand-made plan/2 whose numbers can
be checked by hand (services.investment.gaps and .value)."""

from __future__ import annotations

from typing import Any

import pytest

from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan
from kuznia.services.access.policy import Viewer
from kuznia.services.investment.gaps import capacity_gaps
from kuznia.services.investment.value import Valuation, ValueBasis, project_values
from kuznia.services.investment.view import OTHER_CELLS, visible_gaps
from kuznia.services.kernel.actors import Actor, Role
from tests.support.factory import capability, line, need
from tests.support.projects import project, scenario2


def world() -> Scenario:
    """cap-1: two lines (firm-1 in Ukraine, firm-2 Ukrainian in Denmark) and three projects;
    cap-2: a need and no line at all, one project."""
    return scenario2(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(
            need("req-1", quantity=100, due_month="2026-03", priority=2.0),
            need("req-2", capability="cap-2", quantity=30, due_month="2026-02", priority=5.0),
        ),
        lines=(
            line("line-1", company="firm-1"),
            line("line-2", company="firm-2", site_country="DK", monthly_capacity=5),
        ),
        projects=(
            project("proj-1"),  # built in 2026-01, producing from 2026-02
            project(
                "proj-2",
                capability="cap-2",
                company_country="UA",
                site_country="DK",
                capex="4000.00",
                earliest_start="2026-02",
                build_months=2,
                monthly_capacity=6,
                ramp_up_months=2,
            ),
            project("proj-3", earliest_start="2026-06", build_months=3),  # too late
            project("proj-4", capex="1000.00", build_months=0, monthly_capacity=5),
        ),
    )


def rows(kind: str, *items: tuple[Any, ...]) -> list[dict[str, Any]]:
    keys = {"production": ("proposal", "month", "units"),
            "deliveries": ("requirement", "proposal", "month", "units")}[kind]  # fmt: skip
    return [dict(zip(keys, item, strict=True)) for item in items]


def plan() -> Plan:
    months = [f"2026-0{m}" for m in range(1, 7)]
    return Plan.model_validate(
        {
            "format": "kuznia.plan/2",
            "scenario_sha256": "0" * 64,
            "status": "optimal",
            "solver": {"name": "hand", "version": "1", "mip_gap": 0.0},
            "timings_s": {"build": 0, "solve": 0, "total": 0},
            "value": 0.0,
            "total_spend": "0.00",
            "production": rows(
                "production",
                *(("line-1", m, 10) for m in months),
                ("line-2", "2026-02", 5),
                ("proj-1", "2026-02", 10),
                ("proj-1", "2026-04", 10),
            ),
            "deliveries": rows(
                "deliveries",
                ("req-1", "line-1", "2026-01", 10),
                ("req-1", "line-1", "2026-02", 10),
                ("req-1", "line-1", "2026-03", 10),
                ("req-1", "line-1", "2026-04", 10),
                ("req-1", "line-2", "2026-02", 5),
                ("req-1", "proj-1", "2026-02", 10),
                ("req-1", "proj-1", "2026-04", 10),
            ),
            "unmet": [
                {"requirement": "req-1", "units": 35, "reason": "insufficient_capacity"},
                {"requirement": "req-2", "units": 30, "reason": "no_capacity"},
            ],
            "builds": [{"project": "proj-1", "start_month": "2026-01"}],
            "capex": [],
            "unbuilt": [
                {"project": "proj-2", "reason": "not_chosen"},
                {"project": "proj-3", "reason": "too_late"},
                {"project": "proj-4", "reason": "not_chosen"},
            ],
            "capacity_value": {"lines": {"line-1": 6.0, "line-2": 0.0, "proj-1": 4.0}},
        }
    )


def test_each_capability_states_its_capacity_unmet_need_and_the_value_of_one_more_unit():
    gaps = capacity_gaps(world(), plan())
    second, first = gaps.capabilities  # the largest unmet need first
    assert (second.capability, second.needed_units, second.unmet_units) == ("cap-1", 100, 35)
    assert (second.declared_monthly, second.built_monthly) == (15, 10)
    assert second.funded_units == 60 + 5 + 20
    assert second.value_per_unit == 6.0
    assert (first.capability, first.unmet_units, first.value_per_unit) == ("cap-2", 30, None)
    assert first.cells == ()


def test_the_gap_by_month_is_what_is_due_by_then_and_not_delivered_by_then():
    gaps = {g.capability: g for g in capacity_gaps(world(), plan()).capabilities}
    assert gaps["cap-2"].gap_by_month == (0, 30, 30, 30, 30, 30)
    # cap-1: 100 due in 2026-03; 10, 25, 10, 20 delivered in months 1 to 4
    assert gaps["cap-1"].gap_by_month == (0, 0, 55, 35, 35, 35)


def test_capacity_splits_by_site_country_and_kind_with_the_best_line_value():
    first = capacity_gaps(world(), plan()).capabilities[0]
    cells = {(c.site_country, c.kind): c for c in first.cells}
    assert set(cells) == {("DK", "ukrainian_abroad"), ("UA", "foreign_in_ukraine"),
                          ("UA", "in_ukraine")}  # fmt: skip
    built = cells[("UA", "foreign_in_ukraine")]
    assert (built.built_monthly, built.declared_monthly, built.funded_units) == (10, 0, 20)
    assert built.value_per_unit == 4.0
    assert cells[("UA", "in_ukraine")].value_per_unit == 6.0


@pytest.mark.parametrize(("role", "split"), [(Role.COORDINATOR, True), (Role.PARTNER, True),
                                             (Role.PUBLIC, False), (Role.INVESTOR, False),
                                             (Role.COMPANY, False)])  # fmt: skip
def test_cells_of_fewer_than_three_firms_are_folded_for_who_does_not_read_every_proposal(
    role: Role, split: bool
):
    shown = visible_gaps(Viewer(Actor(role)), capacity_gaps(world(), plan()))
    cells = shown[0].cells
    if split:
        assert len(cells) == 3
    else:
        assert [(c.site_country, c.kind, c.lines, c.declared_monthly) for c in cells] == [
            (OTHER_CELLS, None, 3, 15)
        ]
        assert cells[0].value_per_unit == 6.0  # the capability's figure, no firm's alone
    assert shown[0].unmet_units == 35  # the capability's aggregates are everyone's


def test_projects_are_valued_by_the_stated_estimate_and_ranked_per_million_of_capex():
    values = {v.project: v for v in project_values(world(), plan())}
    # built: the value of its deliveries, 10 on time and 10 one month late at priority 2
    built = values["proj-1"]
    assert built.basis is ValueBasis.DELIVERED
    assert built.value == pytest.approx(20 + 18)
    assert built.built_from == "2026-01"
    # not built, capability with lines: v = max(6.0 / 6 months, 4.0 / 5 months) = 1.0 per
    # unit-month, u = 5 units x 6 months
    assert (values["proj-4"].basis, values["proj-4"].units) == (ValueBasis.CAPACITY_VALUE, 30)
    assert values["proj-4"].value == pytest.approx(30.0)
    assert values["proj-4"].value_per_million == pytest.approx(30.0 * 1_000_000 / 1000)
    # not built, no line of its capability: the unmet needs' priority over its 3 + 6 + 6 units
    assert (values["proj-2"].basis, values["proj-2"].units) == (ValueBasis.UNMET_NEED, 15)
    assert values["proj-2"].value == pytest.approx(15 * 5.0)
    # too late: nothing inside the horizon
    assert (values["proj-3"].value, values["proj-3"].unbuilt_reason) == (0.0, "too_late")
    ranked = [v.project for v in project_values(world(), plan())]
    assert ranked == ["proj-4", "proj-1", "proj-2", "proj-3"]


def test_a_later_start_gains_less():
    valuation = Valuation.of(world(), plan())
    proj4 = world().projects[3]
    assert valuation.estimate(proj4, 3) == (15, pytest.approx(15.0), ValueBasis.CAPACITY_VALUE)
    assert valuation.estimate(proj4, 6)[:2] == (0, 0.0)


def test_a_plan_1_values_nothing_it_cannot_know():
    old = plan().model_copy(update={"format": "kuznia.plan/1", "capacity_value": None})
    gaps = capacity_gaps(world(), old)
    assert all(g.value_per_unit is None for g in gaps.capabilities)
    values = {v.project: v for v in project_values(world(), old)}
    assert values["proj-4"].basis is ValueBasis.NONE
