"""A built project's plan rows carry the project's id (ALLOCATION.md, plan format 2): what the
pages draw from them counts its units under its capability instead of failing."""

from __future__ import annotations

from kuznia.scenario.kinds import kind_of_proposal
from kuznia.scenario.lines import plan_lines
from kuznia.web.plan_charts import production_chart
from tests.support.factory import line, need, pledge
from tests.support.planning import plan_of, produced
from tests.support.projects import project, scenario2


def _gettext(text: str) -> str:
    return text


def test_the_production_chart_counts_a_built_projects_units_under_its_capability():
    scenario = scenario2(
        needs=(need(quantity=100, priority=10.0, due_month="2026-06"),),
        lines=(line(monthly_capacity=5),),
        pledges=(pledge(amount="10000.00", purposes=("production", "investment")),),
        projects=(project(),),
    )
    plan = plan_of(scenario)
    assert produced(plan, "proj-1") == 50
    assert plan_lines(scenario, plan)["proj-1"].capability == "cap-1"
    chart = production_chart(scenario, plan, "cap-1", _gettext, "en")
    assert chart.headers[2] == "Produced"
    assert [row[2] for row in chart.rows] == ["5", "15", "15", "15", "15", "15"]  # 30 + 50


def test_a_projects_kind_is_the_one_it_declares():
    assert kind_of_proposal(project(site_country="DK", company_country="UA")).value == (
        "ukrainian_abroad"
    )
