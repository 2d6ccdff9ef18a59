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


Action = tuple[str, str, tuple[str, ...], tuple[str, ...], str | None, int | None]


def actions(s: Scenario) -> list[Action]:
    """(reason, limit, pledges, lines, extra money, extra capacity) per unmet row."""
    out = []
    for row in plan_of(s).unmet:
        a = row.action
        assert a is not None
        money = str(a.extra_money) if a.extra_money is not None else None
        out.append((row.reason.value, a.limit.value, a.pledges, a.lines, money, a.extra_capacity))
    return out


def test_a_capability_whose_lines_all_start_after_the_horizon_is_too_late_not_no_capacity() -> None:
    s = scenario(
        needs=(need(quantity=5),),
        lines=(line(lead_time_months=6), line("line-2", lead_time_months=9, monthly_capacity=50)),
        pledges=(pledge(),),
        horizon=6,
    )
    assert actions(s) == [("too_late", "horizon", (), ("line-1", "line-2"), None, 5)]


def test_a_line_without_capacity_cannot_deliver_in_the_horizon_either() -> None:
    s = scenario(needs=(need(quantity=4),), lines=(line(monthly_capacity=0),), pledges=(pledge(),))
    assert reasons(s) == [("req-1", 4, "too_late")]


def test_no_proposal_for_the_capability_names_no_lines_and_no_money() -> None:
    s = scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(need(capability="cap-2", quantity=5),),
        lines=(line(),),
        pledges=(pledge(),),
    )
    assert actions(s) == [("no_capacity", "no_proposal", (), (), None, None)]


def test_money_earmarked_away_from_the_lines_is_named_with_the_cost_of_the_missing_units() -> None:
    s = scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(need(quantity=30),),
        lines=(line(monthly_capacity=10, unit_cost="100.00"),),
        pledges=(
            pledge(amount="1000.00"),
            pledge("drones-only", amount="5000.00", capabilities=("cap-2",)),
        ),
    )
    # 10 units paid; 20 more at 100.00 each would need 2,000.00 a pledge for line-1 may pay
    assert actions(s) == [
        ("insufficient_budget", "earmarks", ("drones-only",), ("line-1",), "2000.00", None)
    ]


def test_money_valid_only_after_the_lines_can_deliver_is_a_window_limit() -> None:
    s = scenario(
        needs=(need(quantity=20, due_month="2026-01"),),
        lines=(line(monthly_capacity=10, unit_cost="100.00"),),
        pledges=(pledge(amount="1000.00"), pledge("late", amount="9000.00", valid_from="2026-07")),
        horizon=2,
    )
    assert actions(s) == [
        ("insufficient_budget", "windows", ("late",), ("line-1",), "1000.00", None)
    ]


def test_every_payer_spent_is_a_budget_limit_and_extra_money_pays_a_closed_lines_setup() -> None:
    s = scenario(
        needs=(need(quantity=25),),
        lines=(
            line(monthly_capacity=10, unit_cost="100.00", min_total_units=0),
            line("line-2", monthly_capacity=10, unit_cost="90.00", setup_cost="500.00",
                 min_total_units=8),
        ),
        pledges=(pledge(amount="1000.00"),),
        horizon=1,
    )  # fmt: skip
    # 10 units on line-1 (1,000.00); of the 15 missing, line-2 could make 10 (its setup,
    # then 10 >= its lot of 8 at 90.00) and 5 exceed all capacity of the month
    assert actions(s) == [
        ("insufficient_budget", "budget", ("pledge-1",), ("line-2",), "1400.00", 5)
    ]


def test_lines_at_capacity_say_how_many_units_no_money_could_buy() -> None:
    s = scenario(
        needs=(need(quantity=100),),
        lines=(line(monthly_capacity=10),),
        pledges=(pledge(),),
        horizon=3,
    )
    assert actions(s) == [("insufficient_capacity", "capacity", (), ("line-1",), None, 70)]


def test_lines_no_pledge_may_pay_name_the_earmark_and_the_money_they_would_need() -> None:
    s = scenario(
        needs=(need(quantity=5),),
        lines=(line(unit_cost="100.00"),),
        pledges=(pledge(company_countries=("DE",)),),
    )
    assert actions(s) == [
        ("no_eligible_funding", "earmarks", ("pledge-1",), ("line-1",), "500.00", None)
    ]
