from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from kuznia.demo import DemoWorld, generate
from kuznia.demo.measures import capacity_units
from kuznia.scenario import Pledge, Proposal


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


@pytest.mark.parametrize(("scale", "limit"), [("national", 2.0), ("stress", 6.0)])
def test_generation_is_fast(scale: str, limit: float) -> None:
    began = time.perf_counter()
    generate(scale, 11)  # type: ignore[arg-type]
    assert time.perf_counter() - began < limit
