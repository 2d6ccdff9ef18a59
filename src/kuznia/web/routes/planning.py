"""The plan page: value against the greedy baseline, unmet needs and why, marginal value of
money per pledge, production and deliveries over time."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kuznia.services.contracting.drafting import FundedLine, funded_lines
from kuznia.services.contracting.views import Wanted, party_names
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.planning.aggregates import pledge_labels
from kuznia.services.planning.views import PlannedScenario
from kuznia.web import plan_charts
from kuznia.web.charts import Chart
from kuznia.web.contract_forms import draft_query
from kuznia.web.names import local_planned
from kuznia.web.page import Page, WebRoute, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
PLAN_READERS = (Role.COORDINATOR, Role.PARTNER, Role.AUDITOR)
FUNDED_PER_PAGE = 100
"""Funded lines per page: a national plan funds thousands, each with its form."""


@dataclass(frozen=True, slots=True)
class _PlanParts:
    """What the plan page shows that depends only on the stored data, the plan, the language
    and the reader's role: computed once per commit (seconds at national scale)."""

    planned: PlannedScenario
    labels: Mapping[str, str]
    funded: list[FundedLine]
    unmet: list[plan_charts.UnmetLine]
    value_chart: Chart
    marginal: Chart


def _plan_parts(current: Page, session: Session, actor: Actor) -> _PlanParts:
    _, locale = current._, current.lang
    planned = local_planned(session, current.current_plan(session), locale)
    scenario, plan = planned.scenario, planned.plan
    labels = pledge_labels(session, actor, scenario, locale)
    return _PlanParts(
        planned,
        labels,
        funded_lines(session, actor, plan) if actor.role is Role.COORDINATOR else [],
        plan_charts.unmet_lines(scenario, plan, _),
        plan_charts.value_chart(plan, _, locale),
        plan_charts.marginal_chart(plan, labels, scenario.base_currency, _, locale),
    )


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    current: CurrentPage,
    capability: Annotated[str | None, Query(max_length=100)] = None,
    lines: Annotated[int, Query(ge=1, le=1_000_000, description="page of funded lines")] = 1,
) -> HTMLResponse:
    actor = current.require(*PLAN_READERS)
    _, locale = current._, current.lang
    key = ("plan", locale, actor.role.value, actor.partner_id)
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        parts = current.web.plans.derived(
            session, planned, key, lambda: _plan_parts(current, session, actor)
        )
        pages = max(1, math.ceil(len(parts.funded) / FUNDED_PER_PAGE))
        number = min(lines, pages)
        shown = parts.funded[(number - 1) * FUNDED_PER_PAGE : number * FUNDED_PER_PAGE]
        wanted = Wanted(
            partners={f.partner_id for f in shown},
            capabilities={f.capability_id for f in shown},
            proposals={f.proposal_id for f in shown},
        )
        parties = party_names(session, actor, wanted)
    scenario, plan = parts.planned.scenario, parts.planned.plan
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
        value_chart=parts.value_chart,
        marginal=parts.marginal,
        unmet=parts.unmet,
        capabilities=options,
        chosen=chosen,
        production=production,
        funded=shown,
        parties=parties,
        draft_by_hand=draft_query,
        funded_page=number,
        funded_pages=pages,
        scenario_sha256=parts.planned.sha256,
    )
