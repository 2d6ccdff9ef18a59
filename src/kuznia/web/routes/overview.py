"""Overview and funding flows: aggregates every role (and the public) may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from kuznia.services.contracting import views as contracting
from kuznia.services.planning import aggregates
from kuznia.web import dashboards
from kuznia.web.page import Page, WebRoute, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


@router.get("/", response_class=HTMLResponse)
def overview(current: CurrentPage) -> HTMLResponse:
    _, locale = current._, current.lang
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        scenario, plan = planned.scenario, planned.plan
        months, coverage = aggregates.coverage_over_time(scenario, plan)
        delivered = contracting.delivered_by_capability(session) or None  # None: nothing recorded
        capacity = aggregates.capacity_rows(session, scenario, plan, delivered)
        flows = contracting.flows_by_partner(session) or None
        money = aggregates.money_by_partner(session, current.viewer, scenario, plan, flows)
    needed = sum(r.needed for r in capacity)
    delivered_on_plan = sum(d.units for d in plan.deliveries)
    return current.render(
        "overview.html",
        title=_("Overview"),
        plan=plan,
        scenario=scenario,
        need_share=delivered_on_plan / needed if needed else 0.0,
        coverage=dashboards.coverage_chart(months, coverage, _, locale),
        capacity=dashboards.capacity_chart(capacity, _, locale),
        money=dashboards.money_chart(money, _, locale),
        pledged=sum((m.pledged.cents for m in money), 0) / 100,
    )


@router.get("/flows", response_class=HTMLResponse)
def flows(current: CurrentPage) -> HTMLResponse:
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        graph = aggregates.funding_flows(session, current.viewer, planned.scenario, planned.plan)
    return current.render(
        "flows.html",
        title=current._("Funding flows"),
        flows=dashboards.flows_chart(graph, current._, current.lang),
        graph=graph,
    )
