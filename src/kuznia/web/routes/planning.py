"""The plan page: value against the greedy baseline, unmet needs and why, marginal value of
money per pledge, production and deliveries over time."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
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
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.state import WebState

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
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


def _plan_parts(
    web: WebState, lang: str, session: Session, actor: Actor, shown: PlannedScenario
) -> _PlanParts:
    _ = web.templates.gettext(lang)
    planned = local_planned(session, shown, lang)
    scenario, plan = planned.scenario, planned.plan
    labels = pledge_labels(session, actor, scenario, lang)
    return _PlanParts(
        planned,
        labels,
        funded_lines(session, actor, plan) if actor.role is Role.COORDINATOR else [],
        plan_charts.unmet_lines(scenario, plan, _),
        plan_charts.value_chart(plan, _, lang),
        plan_charts.marginal_chart(plan, labels, scenario.base_currency, _, lang),
    )


def _parts(
    web: WebState, lang: str, session: Session, actor: Actor, shown: PlannedScenario
) -> _PlanParts:
    """The plan page's parts for ``actor`` in ``lang``, made once per commit: they depend on
    the reader only through its role and partner (the key)."""
    key = ("plan", lang, actor.role.value, actor.partner_id)
    return web.plans.derived(
        session, shown, key, lambda: _plan_parts(web, lang, session, actor, shown)
    )


WARMED_FOR = Actor(role=Role.COORDINATOR, label="warming the plan page")
"""Whose plan page the served app makes before anyone asks (``web/warming.py``): the
coordinator's, who reads it most and for whom it costs most (every funded line)."""


def warm_plan_page(web: WebState, lang: str) -> None:
    """The coordinator's plan page parts in ``lang`` for the plan the pages show (none is queued
    when no plan is stored: a visit does that)."""
    with web.database.reading() as session:
        shown = web.plans.shown(session).planned
        if shown is not None:
            _parts(web, lang, session, WARMED_FOR, shown)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    current: CurrentPage,
    capability: Annotated[str | None, Query(max_length=100)] = None,
    lines: Annotated[int, Query(ge=1, le=1_000_000, description="page of funded lines")] = 1,
) -> HTMLResponse:
    actor = current.require(*PLAN_READERS)
    _, locale = current._, current.lang
    with current.web.database.reading() as session:
        parts = _parts(current.web, locale, session, actor, current.current_plan(session))
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
