"""The investor view (``/invest``): where capacity is missing and the capacity projects ranked
by value per million of capex, from the current stored plan, as the viewer may see them
(``services.investment.view``; the public sees aggregates per capability)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from kuznia.months import month_index
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import UnbuiltReason
from kuznia.services.access.policy import Viewer
from kuznia.services.investment.matching import Matching, match_project
from kuznia.services.investment.value import ValueBasis
from kuznia.services.investment.view import InvestmentView, investment_view
from kuznia.services.planning.views import PlannedScenario
from kuznia.web.charts import Chart
from kuznia.web.dashboards import KIND_LABELS
from kuznia.web.invest_charts import gap_chart, value_chart
from kuznia.web.names import local_scenario
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter

REASONS = {
    UnbuiltReason.TOO_LATE: N_("too late: it could not deliver inside the horizon"),
    UnbuiltReason.NO_ELIGIBLE_INVESTMENT: N_("no pledge may pay its capex when it could start"),
    UnbuiltReason.NOT_CHOSEN: N_("not chosen: the money does more elsewhere"),
}
BASES = {
    ValueBasis.DELIVERED: N_("what the plan delivers from it"),
    ValueBasis.CAPACITY_VALUE: N_("capacity value of its capability's lines × its units"),
    ValueBasis.UNMET_NEED: N_("priority of the unmet needs it could meet"),
    ValueBasis.NONE: N_("nothing the plan can value"),
}
router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


def due_by_month(scenario: Scenario) -> dict[str, tuple[int, ...]]:
    """capability -> units of its needs due by each month (the heatmap's denominators)."""
    n = scenario.horizon_months
    due: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    for r in scenario.requirements:
        due[r.capability][min(max(month_index(scenario.start_month, r.due_month), 0), n - 1)] += (
            r.quantity
        )
    out = {}
    for capability, owed in due.items():
        total, row = 0, []
        for units in owed:
            total += units
            row.append(total)
        out[capability] = tuple(row)
    return out


@dataclass(frozen=True, slots=True)
class InvestPage:
    view: InvestmentView
    gaps: Chart
    values: Chart | None
    """None when no project shown adds any value (an empty chart says nothing)."""
    names: dict[str, str]
    """Capabilities' names in the reader's language."""


def _view_and_charts(session: Session, current: Page, planned: PlannedScenario) -> InvestPage:
    scenario = local_scenario(session, planned.scenario, current.lang)
    view = investment_view(session, Viewer.of(session, current.viewer),
                           replace(planned, scenario=scenario))  # fmt: skip
    names = {c.id: c.name for c in scenario.capabilities}
    gaps = gap_chart(view.months, view.capabilities, due_by_month(scenario), current._,
                     current.lang)  # fmt: skip
    valued = any(p.value > 0 for p in view.projects)
    values = value_chart(view.projects, names, current._, current.lang) if valued else None
    return InvestPage(view, gaps, values, names)


@router.get("/invest", response_class=HTMLResponse)
def invest_page(current: CurrentPage) -> HTMLResponse:
    # what the viewer may see depends on its role and organisation: part of the memory's key
    viewer = current.viewer
    key = ("invest", current.lang, viewer.role.value, viewer.partner_id, viewer.company_id)
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        shown = current.web.plans.derived(
            session, planned, key, lambda: _view_and_charts(session, current, planned)
        )
    labels = {"kinds": KIND_LABELS, "reasons": REASONS, "bases": BASES}
    context: dict[str, Any] = {"view": shown.view, "gaps": shown.gaps, "values": shown.values,
                               "names": shown.names, **labels}  # fmt: skip
    return current.render("invest.html", title=current._("Where capacity is missing"), **context)


def project_matching(current: Page, project_id: str) -> Matching | None:
    """The matching of a capacity project for its page, against the plan shown (None before
    the first plan is stored: the record page does not wait for it)."""
    with current.web.database.reading() as session:
        shown = current.web.plans.current(session, current.web.database)
        if shown.planned is None:
            return None
        viewer = Viewer.of(session, current.user())
        return match_project(session, viewer, project_id, shown.planned)
