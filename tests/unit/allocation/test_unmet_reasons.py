"""Each of the five unmet reasons from the smallest scenario that shows it."""

from __future__ import annotations

from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import PlanStatus
from tests.support.factory import capability, line, need, pledge, scenario
from tests.support.planning import plan_of


def reasons(s: Scenario) -> list[tuple[str, int, str]]:
    return [(r.requirement, r.units, r.reason.value) for r in plan_of(s).unmet]


def test_a_need_without_any_line_of_its_capability_is_unmet_for_no_capacity() -> None:
    s = scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(need(capability="cap-2", quantity=5),),
        lines=(line(),),
        pledges=(pledge(),),
    )
    assert reasons(s) == [("req-1", 5, "no_capacity")]


def test_a_need_whose_lines_deliver_after_the_horizon_is_unmet_for_too_late() -> None:
    s = scenario(
        needs=(need(quantity=5),),
        lines=(line(lead_time_months=4, ship_lag_months=2),),
        pledges=(pledge(),),
        horizon=6,
    )
    assert reasons(s) == [("req-1", 5, "too_late")]


def test_a_need_no_pledge_may_pay_for_is_unmet_for_no_eligible_funding() -> None:
    s = scenario(
        needs=(need(quantity=5),),
        lines=(line(),),
        pledges=(
            pledge(company_countries=("DE",)),
            pledge("expired", valid_to="2025-12", valid_from="2025-01"),
        ),
    )
    assert reasons(s) == [("req-1", 5, "no_eligible_funding")]


def test_a_need_left_short_while_capacity_is_idle_is_unmet_for_insufficient_budget() -> None:
    s = scenario(
        needs=(need(quantity=30),),
        lines=(line(monthly_capacity=10),),
        pledges=(pledge(amount="1000.00"),),
    )
    assert reasons(s) == [("req-1", 20, "insufficient_budget")]


def test_a_need_left_short_with_every_line_at_capacity_is_unmet_for_insufficient_capacity() -> None:
    s = scenario(
        needs=(need(quantity=100),),
        lines=(line(monthly_capacity=10),),
        pledges=(pledge(),),
        horizon=3,
    )
    assert reasons(s) == [("req-1", 70, "insufficient_capacity")]


def test_an_empty_scenario_gives_an_empty_optimal_plan_not_an_error() -> None:
    plan = plan_of(scenario())
    assert plan.status is PlanStatus.OPTIMAL
    assert (plan.value, str(plan.total_spend), plan.production) == (0.0, "0.00", ())


def test_needs_without_money_give_a_plan_with_every_need_unmet() -> None:
    plan = plan_of(scenario(needs=(need(quantity=3),), lines=(line(),)))
    assert plan.status is PlanStatus.OPTIMAL
    assert [(r.units, r.reason.value) for r in plan.unmet] == [(3, "no_eligible_funding")]
