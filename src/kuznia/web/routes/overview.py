"""Overview and funding flows: aggregates every role (and the public) may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kuznia.services.contracting import views as contracting
from kuznia.services.planning import aggregates
from kuznia.services.planning.views import PlannedScenario
from kuznia.web import dashboards
from kuznia.web.charts import Chart
from kuznia.web.names import local_scenario
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


@dataclass(frozen=True, slots=True)
class OverviewCharts:
    need_share: float
    coverage: Chart
    capacity: Chart
    money: Chart
    pledged: float


def _viewer_key(current: Page) -> tuple[str, str | None]:
    """What the aggregates may name depends on the role and the partner (``named_partners``)."""
    return (current.viewer.role.value, current.viewer.partner_id)


def _overview_charts(session: Session, current: Page, planned: PlannedScenario) -> OverviewCharts:
    _, locale = current._, current.lang
    scenario, plan = local_scenario(session, planned.scenario, locale), planned.plan
    months, coverage = aggregates.coverage_over_time(scenario, plan)
    delivered = contracting.delivered_by_capability(session) or None  # None: nothing recorded
    capacity = aggregates.capacity_rows(session, scenario, plan, delivered)
    flows = contracting.flows_by_partner(session) or None
    money = aggregates.money_by_partner(session, current.viewer, scenario, plan, flows, lang=locale)
    needed = sum(r.needed for r in capacity)
    delivered_on_plan = sum(d.units for d in plan.deliveries)
    return OverviewCharts(
        need_share=delivered_on_plan / needed if needed else 0.0,
        coverage=dashboards.coverage_chart(months, coverage, _, locale),
        capacity=dashboards.capacity_chart(capacity, _, locale),
        money=dashboards.money_chart(money, _, locale),
        pledged=sum((m.pledged.cents for m in money), 0) / 100,
    )


@router.get("/", response_class=HTMLResponse)
def overview(current: CurrentPage) -> HTMLResponse:
    # The aggregates and charts depend only on the stored data, the plan shown, the language
    # and what the viewer may name: computed once per commit (about 0.8 s at national scale).
    key = ("overview", current.lang, _viewer_key(current))
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        charts = current.web.plans.derived(
            session, planned, key, lambda: _overview_charts(session, current, planned)
        )
    return current.render(
        "overview.html",
        title=current._("Overview"),
        plan=planned.plan,
        scenario=planned.scenario,
        need_share=charts.need_share,
        coverage=charts.coverage,
        capacity=charts.capacity,
        money=charts.money,
        pledged=charts.pledged,
    )


@router.get("/flows", response_class=HTMLResponse)
def flows(current: CurrentPage) -> HTMLResponse:
    key = ("flows", current.lang, _viewer_key(current))
    with current.web.database.reading() as session:
        planned = current.current_plan(session)

        def compute() -> tuple[aggregates.FlowGraph, Chart]:
            graph = aggregates.funding_flows(
                session, current.viewer, local_scenario(session, planned.scenario, current.lang),
                planned.plan, lang=current.lang,
            )  # fmt: skip
            return graph, dashboards.flows_chart(graph, current._, current.lang)

        graph, chart = current.web.plans.derived(session, planned, key, compute)
    return current.render(
        "flows.html",
        title=current._("Funding flows"),
        flows=chart,
        graph=graph,
    )
