from __future__ import annotations

from collections.abc import Sequence

import pytest

from kuznia.demo import DemoWorld, generate
from kuznia.demo.measures import (
    capability_overview,
    capacity_units,
    declared_capacity_value,
    pledged_value,
)
from kuznia.months import add_months, month_ordinal
from kuznia.scenario.kinds import ProposalKind
from kuznia.scenario.model import Pledge, Proposal


def eligible(pledge: Pledge, line: Proposal) -> bool:
    return (
        (not pledge.capabilities or line.capability in pledge.capabilities)
        and (not pledge.site_countries or line.site_country in pledge.site_countries)
        and (not pledge.company_countries or line.company_country in pledge.company_countries)
    )


def test_the_small_world_is_small(small: DemoWorld) -> None:
    s = small.scenario
    assert s.horizon_months == 12
    assert len(s.capabilities) == 10
    assert len(s.proposals) == 40
    assert len(s.requirements) == 20
    assert 6 <= len(s.pledges) <= 10


@pytest.mark.parametrize("world", ["small", "national"])
def test_every_pledge_can_pay_for_some_line(world: str, request: pytest.FixtureRequest) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    lines: Sequence[Proposal] = demo.scenario.proposals
    for pledge in demo.scenario.pledges:
        assert any(eligible(pledge, line) for line in lines), pledge.id


def test_capacity_units_follow_the_ramp_up_of_the_allocation_contract(national: DemoWorld) -> None:
    horizon = national.scenario.horizon_months
    for p in national.scenario.proposals[:300]:
        by_month = [
            p.monthly_capacity
            * min(p.ramp_up_months, m - p.lead_time_months + 1)
            // p.ramp_up_months
            if m >= p.lead_time_months
            else 0
            for m in range(horizon)
        ]
        assert capacity_units(p, horizon) == sum(by_month), p.id


def test_min_total_units_never_exceed_what_the_line_can_make(national: DemoWorld) -> None:
    horizon = national.scenario.horizon_months
    for p in national.scenario.proposals:
        assert p.min_total_units <= capacity_units(p, horizon), p.id


@pytest.mark.parametrize("world", ["small", "national"])
def test_every_capability_has_at_least_one_line(world: str, request: pytest.FixtureRequest) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    offered = {p.capability for p in demo.scenario.proposals}
    assert offered == {c.id for c in demo.scenario.capabilities}


def test_the_small_world_has_every_kind_of_line_and_usable_pledges(small: DemoWorld) -> None:
    s = small.scenario
    assert {p.kind for p in s.proposals} == set(ProposalKind)
    last = add_months(s.start_month, s.horizon_months - 1)
    for g in s.pledges:
        assert month_ordinal(g.valid_from) <= month_ordinal(last), g.id
        assert month_ordinal(g.valid_to) >= month_ordinal(s.start_month), g.id


def test_the_stress_world_is_about_three_times_national(national: DemoWorld) -> None:
    stress = generate("stress", 1)
    for field in ("capabilities", "requirements", "proposals", "pledges"):
        ratio = len(getattr(stress.scenario, field)) / len(getattr(national.scenario, field))
        assert 2.5 <= ratio <= 3.5, field
    assert 2.5 <= len(stress.companies) / len(national.companies) <= 3.5
    share = pledged_value(stress.scenario).cents / declared_capacity_value(stress.scenario).cents
    assert 0.2 <= share <= 0.5


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_pledged_share_of_capacity_holds_for_other_seeds(seed: int) -> None:
    s = generate("national", seed).scenario
    assert 0.2 <= pledged_value(s).cents / declared_capacity_value(s).cents <= 0.5


def test_the_capability_overview_adds_up_to_the_totals(small: DemoWorld) -> None:
    rows = capability_overview(small.scenario)
    assert [r.capability for r in rows] == [c.id for c in small.scenario.capabilities]
    assert sum(r.lines for r in rows) == len(small.scenario.proposals)
    assert sum(r.needed_units for r in rows) == sum(q.quantity for q in small.scenario.requirements)
    total = sum(r.capacity_value.cents for r in rows)
    assert total == declared_capacity_value(small.scenario).cents
