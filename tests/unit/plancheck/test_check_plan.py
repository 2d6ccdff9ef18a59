"""The validator finds each broken rule in an otherwise valid plan, with its location."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kuznia.plancheck import check_plan, recompute_value
from kuznia.scenario.plan import Plan, dump_plan, parse_plan
from tests.support.factory import line, need, pledge, scenario
from tests.support.planning import plan_of

S = scenario(
    needs=(need(quantity=20, due_month="2026-02"),),
    lines=(line(setup_cost="200.00", min_total_units=3, monthly_capacity=5, ship_lag_months=1),),
    pledges=(pledge(amount="2000.00", capabilities=("cap-1",)),),
    horizon=4,
)


@pytest.fixture(scope="module")
def valid() -> Plan:
    return plan_of(S)


def edit(plan: Plan, **rows: Any) -> Plan:
    """A copy of the plan with some row tuples replaced (kept well-formed)."""
    return plan.model_copy(update=rows)


def rules(plan: Plan) -> set[int]:
    return {v.rule for v in check_plan(S, plan)}


def test_the_engines_plan_is_valid_and_its_value_recomputes(valid: Plan) -> None:
    assert check_plan(S, valid) == []
    assert recompute_value(S, valid) == pytest.approx(valid.value)
    assert parse_plan(dump_plan(valid)) == valid


def test_production_above_capacity_breaks_rule_1(valid: Plan) -> None:
    row = valid.production[0].model_copy(update={"units": 6})
    assert 1 in rules(edit(valid, production=(row, *valid.production[1:])))


def test_funding_that_does_not_match_production_breaks_rule_2(valid: Plan) -> None:
    assert 2 in rules(edit(valid, funding=valid.funding[1:]))


def test_funding_outside_the_pledge_window_breaks_rule_2(valid: Plan) -> None:
    row = valid.funding[0].model_copy(update={"month": "2025-12"})
    found = check_plan(S, edit(valid, funding=(row, *valid.funding[1:])))
    assert any(v.rule == 2 and v.path == "funding[0].month" for v in found)


def test_a_missing_setup_breaks_rule_3(valid: Plan) -> None:
    assert 3 in rules(edit(valid, setup=()))


def test_spending_beyond_the_pledge_breaks_rule_4(valid: Plan) -> None:
    big = valid.setup[0].model_copy(update={"amount": Decimal("5000.00")})
    assert 4 in rules(edit(valid, setup=(big,)))


def test_production_below_the_minimum_lot_breaks_rule_5(valid: Plan) -> None:
    first = valid.production[0].model_copy(update={"units": 1})
    fund = valid.funding[0].model_copy(update={"units": 1, "amount": Decimal("100.00")})
    plan = edit(valid, production=(first,), funding=(fund,), deliveries=())
    assert 5 in rules(plan)


def test_delivering_before_shipping_breaks_rule_6(valid: Plan) -> None:
    row = valid.deliveries[0].model_copy(update={"month": valid.production[0].month})
    assert 6 in rules(edit(valid, deliveries=(row, *valid.deliveries[1:])))


def test_a_wrong_value_is_reported(valid: Plan) -> None:
    found = check_plan(S, edit(valid, value=valid.value + 1))
    assert [v.path for v in found] == ["value"]
