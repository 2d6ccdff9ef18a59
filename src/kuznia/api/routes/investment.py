"""Investment: where capacity is missing (per capability, country and kind, over time) and the
capacity projects ranked by value per million of capex, from the current stored plan; the
matching of a project with the money that would pay its capex. Need-to-know by the access
policy (``access.rules.INVESTMENT_VIEW``): the public and anyone reading the aggregates only."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from kuznia.api.deps import CurrentActor, database, optional_actor
from kuznia.money import format_cents
from kuznia.services.access.policy import Viewer
from kuznia.services.investment.matching import Matching, match_project
from kuznia.services.investment.value import ProjectValue
from kuznia.services.investment.view import (
    InvestmentView,
    investment_view,
    planned_or_not_found,
    ranked_page,
)
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.views import CurrentPlan, PlanCache
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1/invest", tags=["investment"])
MaybeActor = Annotated[Actor, Depends(optional_actor)]
Cursor = Annotated[str | None, Query(min_length=1, max_length=500)]
Limit = Annotated[int, Query(ge=1, le=200)]


class Cell(BaseModel):
    site_country: str = Field(description='"*": the cells of fewer than 3 firms, folded')
    kind: str | None
    lines: int
    companies: int
    declared_monthly: int
    built_monthly: int
    funded_units: int
    value_per_unit: float | None


class CapabilityGap(BaseModel):
    capability: str
    name: str
    unit: str
    needed_units: int
    declared_monthly: int = Field(description="monthly capacity of the vetted lines")
    built_monthly: int = Field(description="monthly capacity of the projects the plan builds")
    funded_units: int = Field(description="units the plan produces over the horizon")
    unmet_units: int
    value_per_unit: float | None = Field(
        description="value points of one more unit of monthly capacity (plan/2 capacity_value)"
    )
    gap_by_month: list[int] = Field(description="units due by each month, not delivered by it")
    cells: list[Cell]


class PlanShown(BaseModel):
    plan_sha256: str = Field(description="the scenario digest of the plan shown")
    plan_format: str
    up_to_date: bool = Field(description="false: a newer plan is being computed")
    base_currency: str


class GapPage(PlanShown):
    months: list[str]
    split: bool = Field(description="every cell shown (else small cells are folded)")
    items: list[CapabilityGap]
    next_cursor: str | None = None


class ProjectOut(BaseModel):
    project: str
    company: str
    company_country: str
    site_country: str
    capability: str
    kind: str
    capex: str = Field(description="decimal, base currency")
    built_from: str | None
    unbuilt_reason: str | None
    units: int = Field(description="capacity inside the horizon, whose output arrives in time")
    value: float = Field(description="value points it adds (basis says how it is estimated)")
    basis: str
    value_per_million: float = Field(description="value points per million of capex")


class ProjectPage(PlanShown):
    items: list[ProjectOut]
    next_cursor: str | None = None


class PledgeMatchOut(BaseModel):
    pledge: str
    partner: str
    left: str = Field(description="money left in the current plan, decimal, base currency")
    valid_from: str
    valid_to: str


class HostOut(BaseModel):
    country: str
    pledges: list[PledgeMatchOut] = Field(description="the eligible pledges the caller reads")
    unnamed: int = Field(description="eligible pledges the caller may not read")
    left: str | None = Field(description="their money left, when every one is named")
    covers_capex: bool
    start_month: str | None
    units: int
    gain: float = Field(description="value points the plan would gain (estimate)")
    basis: str


class MatchingOut(BaseModel):
    project: str
    kind: str
    mode: str = Field(description="hosts: a host country is to be chosen; site: where it is")
    capex: str | None
    base_currency: str
    plan_sha256: str
    hosts: list[HostOut]


def plan_cache(request: Request) -> PlanCache:
    """The pages' plan cache when the web is mounted (one parse of the plan for both)."""
    state = request.app.state
    cache: PlanCache | None = getattr(state, "invest_plans", None)
    if cache is None:
        web = getattr(state, "web", None)
        cache = web.plans if web is not None else PlanCache()
        state.invest_plans = cache
    return cache


def _shown(current: CurrentPlan, view: InvestmentView) -> dict[str, Any]:
    return {
        "plan_sha256": view.plan_sha256,
        "plan_format": view.plan_format,
        "up_to_date": current.up_to_date,
        "base_currency": view.base_currency,
    }


def _view(request: Request, actor: Actor) -> tuple[CurrentPlan, InvestmentView]:
    db = database(request)
    with db.reading() as session:
        current = plan_cache(request).current(session, db)
        planned = planned_or_not_found(current)
        return current, investment_view(session, Viewer.of(session, actor), planned)


def project_out(v: ProjectValue) -> dict[str, Any]:
    return {**asdict(v), "capex": format_cents(v.capex_cents),
            "value_per_million": v.value_per_million}  # fmt: skip


@router.get("/gaps", response_model=GapPage, operation_id="invest_gaps")
def gaps(request: Request, actor: MaybeActor, cursor: Cursor = None, limit: Limit = 50) -> Any:
    """Where capacity is missing, per capability (largest unmet need first)."""
    current, view = _view(request, actor)
    page = ranked_page(view.capabilities, "invest-gaps", view.plan_sha256, cursor, limit)
    return {
        **_shown(current, view),
        "months": list(view.months),
        "split": view.split,
        "items": [asdict(row) for row in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/projects", response_model=ProjectPage, operation_id="invest_projects")
def projects(request: Request, actor: MaybeActor, cursor: Cursor = None, limit: Limit = 50) -> Any:
    """The capacity projects the caller may see, by value per million of capex (the public
    sees none)."""
    current, view = _view(request, actor)
    page = ranked_page(view.projects, "invest-projects", view.plan_sha256, cursor, limit)
    return {
        **_shown(current, view),
        "items": [project_out(v) for v in page.items],
        "next_cursor": page.next_cursor,
    }


def matching_out(m: Matching) -> dict[str, Any]:
    hosts = [
        {
            **asdict(h),
            "pledges": [{**asdict(g), "left": format_cents(g.left_cents)} for g in h.pledges],
            "left": None if h.left_cents is None else format_cents(h.left_cents),
        }
        for h in m.hosts
    ]
    capex = None if m.capex_cents is None else format_cents(m.capex_cents)
    return {**asdict(m), "capex": capex, "hosts": hosts}


@router.get("/projects/{id}/matching", response_model=MatchingOut, operation_id="invest_matching")
def matching(id: str, request: Request, actor: CurrentActor) -> Any:
    """The partner countries (a Ukrainian firm's project abroad, host still open) or the pledges
    whose money would pay the project's capex, and what the plan would gain."""
    db = database(request)
    with db.reading() as session:
        planned = planned_or_not_found(plan_cache(request).current(session, db))
        return matching_out(match_project(session, Viewer.of(session, actor), id, planned))
