"""plancheck rejects each broken rule of capacity projects (7-9) and rules 1-6 on a built one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kuznia.plancheck import check_plan
from kuznia.scenario.plan import BuildRow, CapexRow, FundingRow, Plan, dump_plan, parse_plan
from tests.support.factory import line, need, pledge
from tests.support.planning import plan_of
from tests.support.projects import project, scenario2

S = scenario2(
    needs=(need(quantity=100, priority=10.0, due_month="2026-06"),),
    lines=(line(monthly_capacity=5),),
    pledges=(
        pledge("both", amount="10000.00", purposes=("production", "investment")),
        pledge("inv", amount="5000.00", purposes=("investment",), valid_from="2026-02"),
        pledge("prod", amount="500.00"),
        pledge("late", amount="5000.00", purposes=("investment",), valid_from="2026-05"),
    ),
    projects=(project(min_total_units=5), project("proj-2", build_months=6)),
)


@pytest.fixture(scope="module")
def valid() -> Plan:
    return plan_of(S)


def rules(plan: Plan) -> set[int]:
    return {v.rule for v in check_plan(S, plan)}


def edit(plan: Plan, **rows: Any) -> Plan:
    return plan.model_copy(update=rows)


def test_the_joint_plan_is_valid_and_reads_back(valid: Plan) -> None:
    assert check_plan(S, valid) == []
    assert valid.builds
    assert valid.capex
    assert parse_plan(dump_plan(valid)) == valid


def test_rule_7_production_without_a_build(valid: Plan) -> None:
    assert 7 in rules(edit(valid, builds=()))


def test_rule_7_a_build_before_its_earliest_start(valid: Plan) -> None:
    late = S.model_copy(
        update={"projects": (S.projects[0].model_copy(update={"earliest_start": "2026-02"}),)}
    )
    assert 7 in {v.rule for v in check_plan(late, valid)}


def test_rule_7_a_build_outside_the_horizon(valid: Plan) -> None:
    row = valid.builds[0]  # type: ignore[index]
    moved = BuildRow(project=row.project, start_month="2026-07")
    assert 7 in rules(edit(valid, builds=(moved,)))


def test_rule_7_capex_in_another_month(valid: Plan) -> None:
    rows = tuple(r.model_copy(update={"month": "2026-03"}) for r in valid.capex or ())
    assert 7 in rules(edit(valid, capex=rows))


def test_rule_7_capex_short_of_the_cost(valid: Plan) -> None:
    rows = tuple(r.model_copy(update={"amount": Decimal("1.00")}) for r in valid.capex or ())
    assert 7 in rules(edit(valid, capex=rows))


def test_rule_7_capex_from_a_pledge_that_may_not_invest(valid: Plan) -> None:
    rows = tuple(r.model_copy(update={"pledge": "prod"}) for r in valid.capex or ())
    assert 7 in rules(edit(valid, capex=rows))


def test_rule_7_capex_from_a_pledge_not_valid_in_the_start_month(valid: Plan) -> None:
    first = (valid.capex or ())[0]
    moved = CapexRow(pledge="late", project=first.project, month=first.month, amount=first.amount)
    assert first.month < "2026-05"
    assert 7 in rules(edit(valid, capex=(moved, *(valid.capex or ())[1:])))


def test_rule_1_a_built_project_above_its_capacity(valid: Plan) -> None:
    rows = tuple(
        r.model_copy(update={"units": r.units + 1}) if r.proposal == "proj-1" else r
        for r in valid.production
    )
    assert 1 in rules(edit(valid, production=rows))


def test_rule_8_funding_from_an_investment_only_pledge(valid: Plan) -> None:
    rows = tuple(
        FundingRow(pledge="inv", proposal=r.proposal, month=r.month, units=r.units, amount=r.amount)
        for r in valid.funding
    )
    assert 8 in rules(edit(valid, funding=rows))


def test_rule_9_capex_and_funding_beyond_the_budget(valid: Plan) -> None:
    payer = (valid.capex or ())[0].pledge
    spent = sum(r.amount for r in (*valid.funding, *(valid.capex or ())) if r.pledge == payer)
    tight = S.model_copy(
        update={
            "pledges": tuple(
                g.model_copy(update={"amount": spent - 1}) if g.id == payer else g
                for g in S.pledges
            )
        }
    )
    found = {v.rule for v in check_plan(tight, valid)}
    assert 9 in found


def test_every_unbuilt_project_is_listed(valid: Plan) -> None:
    assert [r.project for r in valid.unbuilt or ()] == ["proj-2"]
    assert 0 in rules(edit(valid, unbuilt=()))


def test_total_spend_counts_capex(valid: Plan) -> None:
    capex = sum(r.amount for r in valid.capex or ())
    assert 0 in rules(edit(valid, total_spend=valid.total_spend - capex))
