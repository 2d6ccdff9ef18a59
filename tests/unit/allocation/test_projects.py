"""The joint plan (ALLOCATION.md "Capacity projects") on cases solvable by hand.

The base case: a need of 100 units worth 10 points each (due at the horizon's end, six months);
an existing line making 5 a month at 100 (30 units in the horizon); a project that makes 10 a
month at 100 from one month after its build starts (50 units), for ``capex``; one pledge of
10,000 for production and investment. Without the project: 30 units, value 300, spend 3,000.
With it (capex 2,000): 80 units cost 8,000, all 10,000 spent, value 800.
"""

from __future__ import annotations

from kuznia.scenario.plan import Plan, UnbuiltReason
from tests.support.factory import line, need, pledge
from tests.support.planning import plan_of, produced
from tests.support.projects import project, scenario2

BOTH = ("production", "investment")


def base(**kw: object) -> dict[str, object]:
    out: dict[str, object] = {
        "needs": (need(quantity=100, priority=10.0, due_month="2026-06"),),
        "lines": (line(monthly_capacity=5),),
        "pledges": (pledge(amount="10000.00", purposes=BOTH),),
        "projects": (project(),),
    }
    out.update(kw)
    return out


def built(plan: Plan) -> dict[str, str]:
    return {row.project: row.start_month for row in plan.builds or ()}


def reasons(plan: Plan) -> dict[str, UnbuiltReason]:
    return {row.project: row.reason for row in plan.unbuilt or ()}


def test_a_project_that_pays_off_is_built_at_once_and_its_capex_paid_that_month():
    plan = plan_of(scenario2(**base()))
    assert plan.format == "kuznia.plan/2"
    assert built(plan) == {"proj-1": "2026-01"}
    assert [(r.pledge, r.month, str(r.amount)) for r in plan.capex or ()] == [
        ("pledge-1", "2026-01", "2000.00")
    ]
    assert plan.value == 800.0
    assert str(plan.total_spend) == "10000.00"  # capex counts in the spend (and the budget)
    assert produced(plan, "proj-1") == 50
    assert plan.unbuilt == ()
    assert plan.baseline is not None
    assert plan.baseline.value == 300.0


def test_a_project_that_adds_nothing_is_not_built():
    plan = plan_of(
        scenario2(**base(needs=(need(quantity=30, priority=10.0, due_month="2026-06"),)))
    )
    assert built(plan) == {}
    assert reasons(plan) == {"proj-1": UnbuiltReason.NOT_CHOSEN}
    assert plan.value == 300.0
    assert str(plan.total_spend) == "3000.00"


def test_a_project_whose_capex_would_buy_more_elsewhere_is_not_built():
    # capex 9,000 leaves 1,000: 10 units (value 100) instead of 30 without the project (300)
    plan = plan_of(scenario2(**base(projects=(project(capex="9000.00"),))))
    assert built(plan) == {}
    assert reasons(plan) == {"proj-1": UnbuiltReason.NOT_CHOSEN}
    assert plan.value == 300.0


def test_just_paying_off_against_just_not():
    # capex c leaves 10,000 - c: with the project every unit costs 100, value (10,000 - c) / 10
    # up to 80 units; without, 300. It pays off while (10,000 - c) / 10 > 300, i.e. c < 7,000.
    assert built(plan_of(scenario2(**base(projects=(project(capex="6900.00"),))))) != {}
    assert built(plan_of(scenario2(**base(projects=(project(capex="7100.00"),))))) == {}


def test_too_late_when_even_the_earliest_start_cannot_deliver_inside_the_horizon():
    plan = plan_of(scenario2(**base(projects=(project(build_months=6),))))
    assert reasons(plan) == {"proj-1": UnbuiltReason.TOO_LATE}
    late_start = plan_of(scenario2(**base(projects=(project(earliest_start="2026-07"),))))
    assert reasons(late_start) == {"proj-1": UnbuiltReason.TOO_LATE}


def test_no_eligible_investment_when_no_pledge_may_pay_the_capex():
    production_only = base(pledges=(pledge(amount="10000.00"),))  # purposes default: production
    assert reasons(plan_of(scenario2(**production_only))) == {
        "proj-1": UnbuiltReason.NO_ELIGIBLE_INVESTMENT
    }
    other = project("proj-2", capex="999999.00")
    elsewhere = base(
        pledges=(pledge(amount="10000.00", purposes=BOTH, projects=("proj-2",)),),
        projects=(project(), other),
    )
    assert reasons(plan_of(scenario2(**elsewhere))) == {
        "proj-1": UnbuiltReason.NO_ELIGIBLE_INVESTMENT,
        "proj-2": UnbuiltReason.NOT_CHOSEN,
    }


def test_rule_7_the_build_starts_no_earlier_than_earliest_start_and_capacity_follows():
    plan = plan_of(scenario2(**base(projects=(project(earliest_start="2026-03"),))))
    assert built(plan) == {"proj-1": "2026-03"}
    assert produced(plan, "proj-1") == 30  # lead = 2 + 1: months 3 to 5 (April to June)
    assert all(row.month >= "2026-04" for row in plan.production if row.proposal == "proj-1")


def test_rule_7_the_capex_is_paid_by_a_pledge_valid_in_the_start_month():
    # the investment pledge is valid from March: the build starts then, not in January
    money = (
        pledge("prod", amount="8000.00"),
        pledge("inv", amount="2000.00", purposes=("investment",), valid_from="2026-03"),
    )
    plan = plan_of(scenario2(**base(pledges=money)))
    assert built(plan) == {"proj-1": "2026-03"}
    assert [(r.pledge, r.month) for r in plan.capex or ()] == [("inv", "2026-03")]


def test_rule_8_investment_money_never_pays_production():
    money = (
        pledge("prod", amount="1000.00"),
        pledge("inv", amount="50000.00", purposes=("investment",)),
    )
    plan = plan_of(scenario2(**base(pledges=money)))
    assert {r.pledge for r in plan.funding} <= {"prod"}
    assert produced(plan) == 10  # 1,000 of production money at 100 a unit
    assert built(plan) == {}  # building adds nothing when production money is the limit


def test_rule_9_the_budget_counts_capex():
    # 2,000 of capex and 80 units at 100 would need 10,000; the pledge has 9,000: capex plus
    # funding stays within it, so 70 units are bought
    plan = plan_of(scenario2(**base(pledges=(pledge(amount="9000.00", purposes=BOTH),))))
    assert built(plan) == {"proj-1": "2026-01"}
    assert produced(plan) == 70
    assert str(plan.total_spend) == "9000.00"


def test_capacity_value_is_what_one_more_unit_a_month_adds_where_capacity_binds():
    plan = plan_of(scenario2(**base(pledges=(pledge(amount="100000.00", purposes=BOTH),))))
    assert plan.capacity_value is not None
    # one more unit a month on line-1: 6 more units at 10; on the project (5 months): 5 at 10
    assert plan.capacity_value.lines == {"line-1": 60.0, "proj-1": 50.0}
    slack = plan_of(scenario2(**base(needs=(need(quantity=30, priority=10.0),))))
    assert slack.capacity_value is not None
    assert set(slack.capacity_value.lines.values()) == {0.0}


def test_a_format_2_scenario_without_projects_plans_as_format_1_does():
    from tests.support.factory import scenario

    two = plan_of(scenario2(**base(projects=())))
    one = plan_of(
        scenario(
            **{k: v for k, v in base().items() if k in {"needs", "lines"}},
            pledges=(pledge(amount="10000.00"),),
        )
    )
    assert two.format == "kuznia.plan/2"
    assert one.format == "kuznia.plan/1"
    assert two.value == one.value
    assert two.total_spend == one.total_spend
    assert two.builds == ()
    assert one.builds is None


def test_kuznia_plan_on_a_format_2_file_builds_exactly_when_it_pays_off(tmp_path):
    import json

    from typer.testing import CliRunner

    from kuznia.cli.plan import plan_app
    from kuznia.scenario.io import dump_scenario

    runner = CliRunner()
    for capex, expected in (("6900.00", ["proj-1"]), ("7100.00", [])):
        scenario, out = tmp_path / f"s-{capex}.json", tmp_path / f"p-{capex}.json"
        scenario.write_bytes(dump_scenario(scenario2(**base(projects=(project(capex=capex),)))))
        result = runner.invoke(plan_app, [str(scenario), "--out", str(out), "--time-limit", "5"])
        assert result.exit_code == 0, result.output
        assert "projects built" in result.output
        doc = json.loads(out.read_bytes())
        assert doc["format"] == "kuznia.plan/2"
        assert [b["project"] for b in doc["builds"]] == expected
        check = runner.invoke(plan_app, ["check", str(scenario), str(out)])
        assert check.exit_code == 0, check.output
        assert "nine rules" in check.output
