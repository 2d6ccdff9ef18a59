"""One hand-solvable scenario per validity rule: the expected plan is worked out by hand in each
docstring, and each would come out different if the engine ignored that rule."""

from __future__ import annotations

from kuznia.scenario.plan import PlanStatus
from tests.support.factory import capability, line, need, pledge, scenario
from tests.support.planning import delivered, plan_of, produced, spent


def test_production_never_exceeds_the_ramped_up_capacity_of_a_month() -> None:
    """cap = floor(10 * min(1, (m - 1 + 1) / 3)) for lead 1, ramp 3: 0, 3, 6, 10 -> 19 units."""
    s = scenario(
        needs=(need(quantity=100, due_month="2026-01"),),
        lines=(line(monthly_capacity=10, lead_time_months=1, ramp_up_months=3),),
        pledges=(pledge(),),
        horizon=4,
    )
    plan = plan_of(s)
    assert [(r.month, r.units) for r in plan.production] == [
        ("2026-02", 3),
        ("2026-03", 6),
        ("2026-04", 10),
    ]
    assert plan.status is PlanStatus.OPTIMAL


def test_only_eligible_pledges_valid_in_the_month_pay_for_units() -> None:
    """The DK pledge is earmarked to site country DK, the UA line cannot use it; the UA pledge
    is valid from March only, so nothing is made in January or February."""
    s = scenario(
        needs=(need(quantity=50),),
        lines=(line(monthly_capacity=10),),
        pledges=(
            pledge("dk", site_countries=("DK",), amount="100000.00"),
            pledge("ua", valid_from="2026-03", amount="100000.00"),
        ),
        horizon=4,
    )
    plan = plan_of(s)
    assert {r.pledge for r in plan.funding} == {"ua"}
    assert min(r.month for r in plan.production) == "2026-03"
    assert produced(plan) == 20


def test_a_setup_is_paid_in_full_by_a_pledge_valid_from_the_first_production_month() -> None:
    """Setup 500, units 100, due January, decay 0.5. Starting in January, only "early" (1,000)
    may pay the setup: 5 units in January, and "late" (300, from March) pays 3 in March:
    5 + 3 * 0.25 = 5.75. Were "late" allowed to pay the setup, 8 units in January would give 8."""
    s = scenario(
        needs=(need(quantity=50, due_month="2026-01"),),
        lines=(line(setup_cost="500.00", monthly_capacity=10),),
        pledges=(
            pledge("early", amount="1000.00"),
            pledge("late", amount="300.00", valid_from="2026-03"),
        ),
        horizon=3,
        decay=0.5,
    )
    plan = plan_of(s)
    assert [(r.pledge, str(r.amount)) for r in plan.setup] == [("early", "500.00")]
    assert [(r.month, r.units) for r in plan.production] == [("2026-01", 5), ("2026-03", 3)]
    assert plan.value == 5.75


def test_a_pledge_never_pays_more_than_its_amount_in_base_currency() -> None:
    """1,000 USD at 0.92 = 920.00 EUR buys 9 units of 100.00 EUR, not 10."""
    s = scenario(
        needs=(need(quantity=50),),
        lines=(line(monthly_capacity=100),),
        pledges=(pledge(amount="1000.00", currency="USD"),),
    )
    plan = plan_of(s)
    assert produced(plan) == 9
    assert spent(plan, "pledge-1") == "900.00"


def test_a_line_that_cannot_reach_its_minimum_lot_produces_nothing() -> None:
    """Money for 5 units of a line whose lot is 8: the line stays closed; the other, dearer line
    without a lot makes 2 units (money 500 / 250)."""
    s = scenario(
        needs=(need(quantity=50),),
        lines=(line("lot", min_total_units=8), line("dear", unit_cost="250.00")),
        pledges=(pledge(amount="500.00"),),
    )
    plan = plan_of(s)
    assert produced(plan, "lot") == 0
    assert produced(plan, "dear") == 2


def test_deliveries_wait_for_shipping_match_the_capability_and_stay_inside_the_horizon() -> None:
    """Ship lag 2 in a 3-month horizon: only January's 10 units arrive (in March); they go to
    the need of the line's capability, never to the other; 4 of them are wanted."""
    s = scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(need("small", quantity=4), need("other", capability="cap-2", priority=9.0)),
        lines=(line(monthly_capacity=10, ship_lag_months=2),),
        pledges=(pledge(),),
        horizon=3,
    )
    plan = plan_of(s)
    assert [(r.requirement, r.month, r.units) for r in plan.deliveries] == [("small", "2026-03", 4)]
    assert delivered(plan, "other") == 0
    assert produced(plan) == 4  # the least spend among the plans of maximal value


def test_the_value_counts_lateness_decay_per_month_after_the_due_month() -> None:
    """Capacity 1 a month from January, due January, decay 0.5: 1 + 0.5 + 0.25 = 1.75."""
    s = scenario(
        needs=(need(quantity=3, due_month="2026-01"),),
        lines=(line(monthly_capacity=1),),
        pledges=(pledge(),),
        horizon=3,
        decay=0.5,
    )
    assert plan_of(s).value == 1.75
