"""The plan page: value against the greedy baseline, unmet needs and why, marginal value of
money per pledge, production and deliveries over time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from kuznia.services.contracting.drafting import funded_lines
from kuznia.services.contracting.views import Wanted, party_names
from kuznia.services.kernel.actors import Role
from kuznia.services.planning.aggregates import pledge_labels
from kuznia.web import plan_charts
from kuznia.web.contract_forms import draft_query
from kuznia.web.names import local_planned
from kuznia.web.page import Page, WebRoute, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
PLAN_READERS = (Role.COORDINATOR, Role.PARTNER, Role.AUDITOR)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    current: CurrentPage, capability: Annotated[str | None, Query(max_length=100)] = None
) -> HTMLResponse:
    actor = current.require(*PLAN_READERS)
    _, locale = current._, current.lang
    with current.web.database.reading() as session:
        planned = local_planned(session, current.current_plan(session), locale)
        labels = pledge_labels(session, actor, planned.scenario, locale)
        lines = funded_lines(session, actor, planned.plan) if actor.role is Role.COORDINATOR else []
        wanted = Wanted(
            partners={f.partner_id for f in lines},
            capabilities={f.capability_id for f in lines},
            proposals={f.proposal_id for f in lines},
        )
        parties = party_names(session, actor, wanted)
    scenario, plan = planned.scenario, planned.plan
    options = [(c.id, c.name) for c in scenario.capabilities]
    chosen = capability if capability in dict(options) else (options[0][0] if options else "")
    production = plan_charts.production_chart(scenario, plan, chosen, _, locale)
    if current.is_htmx:
        return current.render("partials/production.html", production=production)
    baseline = plan.baseline.value if plan.baseline else 0.0
    return current.render(
        "plan.html",
        title=_("Plan"),
        plan=plan,
        scenario=scenario,
        gain=(plan.value / baseline - 1) if baseline else None,
        status=_(plan_charts.STATUS_LABELS[plan.status.value]),
        value_chart=plan_charts.value_chart(plan, _, locale),
        marginal=plan_charts.marginal_chart(plan, labels, scenario.base_currency, _, locale),
        unmet=plan_charts.unmet_lines(scenario, plan, _),
        capabilities=options,
        chosen=chosen,
        production=production,
        funded=lines,
        parties=parties,
        draft_by_hand=draft_query,
        scenario_sha256=planned.sha256,
    )
