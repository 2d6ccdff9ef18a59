"""Matching a capacity project with the money that would pay its capex (issue 17, item 5).

* A Ukrainian firm's project abroad (``ukrainian_abroad``) whose site is not chosen yet (no
  ``site_id``: its ``site_country`` is only proposed): every partner country but Ukraine in
  which some pledge would pay its capex, with what the plan would gain there.
* Any other project (a foreign firm's factory in Ukraine first of all): the pledges that would
  pay its capex where it is.

A pledge would pay when :func:`~kuznia.services.registries.project_rules.capex_payer_problems`
finds nothing (its purposes include investment, every earmark holds the project placed in that
country) and it is valid in some month from the project's first possible start
``max(earliest_start, start_month)`` inside the horizon. Its money left is its amount in base
currency less what the current plan spends of it. The start in a country is the first month an
eligible pledge is valid; the gain is :meth:`~kuznia.services.investment.value.Valuation.
estimate` from that start (the value of one more unit of capacity-month on the capability times
the units the project would add, minus nothing else); a project the plan builds, where it is
built, gains what the plan delivers from it.

Need-to-know: a pledge is named (id, partner, money left) only to who may read it (the
``pledges`` read rule); the others are counted. A country's total money left is shown only when
every pledge in it is named; whether the money covers the capex, to all who read the project.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import NotFound
from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index, month_range
from kuznia.scenario.model import Pledge, Project
from kuznia.scenario.plan import spend_by_pledge
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.investment.value import Valuation, ValueBasis, delivered_values
from kuznia.services.investment.view import readable_pledges, terms_of
from kuznia.services.planning.views import PlannedScenario
from kuznia.services.registries.project_export import project_document
from kuznia.services.registries.project_rules import ProjectLine, capex_payer_problems, project_line

UKRAINE = "UA"


class MatchMode(StrEnum):
    HOSTS = "hosts"  # a Ukrainian firm's project abroad, its host country still open
    SITE = "site"  # the pledges that would pay it where it is


@dataclass(frozen=True, slots=True)
class PledgeMatch:
    pledge: str
    partner: str
    left_cents: int
    valid_from: str
    valid_to: str


@dataclass(frozen=True, slots=True)
class HostMatch:
    country: str
    pledges: tuple[PledgeMatch, ...]
    """The eligible pledges the viewer may read."""
    unnamed: int
    """Eligible pledges the viewer may not read."""
    left_cents: int | None
    covers_capex: bool
    start_month: str | None
    units: int
    gain: float
    basis: ValueBasis


@dataclass(frozen=True, slots=True)
class Matching:
    project: str
    kind: str
    mode: MatchMode
    capex_cents: int | None
    base_currency: str
    hosts: tuple[HostMatch, ...]
    plan_sha256: str


@dataclass(frozen=True, slots=True)
class _Context:
    planned: PlannedScenario
    valuation: Valuation
    project: Project
    readable: frozenset[str]
    left: dict[str, int]
    capex: int | None


def _window(ctx: _Context, pledge: Pledge) -> int | None:
    """The first month index from the project's first start in which ``pledge`` is valid."""
    s = ctx.planned.scenario
    first = ctx.valuation.first_start(ctx.project)
    start = max(first, month_index(s.start_month, pledge.valid_from))
    valid = start <= month_index(s.start_month, pledge.valid_to) and start < s.horizon_months
    return start if valid else None


def _host(ctx: _Context, line: ProjectLine, country: str) -> HostMatch | None:
    placed = replace(line, site_country=country)
    eligible = [
        (g, at)
        for g in ctx.planned.scenario.pledges
        if not capex_payer_problems(terms_of(g), placed) and (at := _window(ctx, g)) is not None
    ]
    if not eligible:
        return None
    months = month_range(ctx.planned.scenario.start_month, ctx.planned.scenario.horizon_months)
    start = min(at for _, at in eligible)
    named = tuple(
        PledgeMatch(g.id, g.partner, ctx.left.get(g.id, 0), g.valid_from, g.valid_to)
        for g, _ in eligible
        if g.id in ctx.readable
    )
    total = sum(ctx.left.get(g.id, 0) for g, _ in eligible)
    units, gain, basis = _gain(ctx, country, start)
    return HostMatch(
        country, named, len(eligible) - len(named),
        total if len(named) == len(eligible) else None,
        ctx.capex is not None and total >= ctx.capex, months[start], units, gain, basis,
    )  # fmt: skip


def _gain(ctx: _Context, country: str, start: int) -> tuple[int, float, ValueBasis]:
    """Built by the plan where it is: what the plan delivers from it; else the estimate."""
    s, plan = ctx.planned.scenario, ctx.planned.plan
    built = {b.project: b.start_month for b in plan.builds or ()}
    if ctx.project.id in built and country == ctx.project.site_country:
        at = month_index(s.start_month, built[ctx.project.id])
        value = delivered_values(s, plan).get(ctx.project.id, 0.0)
        return ctx.valuation.units(ctx.project, at), value, ValueBasis.DELIVERED
    return ctx.valuation.estimate(ctx.project.model_copy(update={"site_country": country}), start)


def _left(planned: PlannedScenario) -> dict[str, int]:
    s = planned.scenario
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    spent = spend_by_pledge(planned.plan)
    return {
        g.id: fx.to_base(Money(round_cents(g.amount), g.currency)).cents - spent.get(g.id, 0)
        for g in s.pledges
    }


def _capex(planned: PlannedScenario, row: db.CapacityProject) -> int | None:
    s = planned.scenario
    if row.currency != s.base_currency and row.currency not in s.fx_rates:
        return None  # a currency the plan has no rate for
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    return fx.to_base(Money(row.capex_cents, row.currency)).cents


def _countries(session: Session, row: db.CapacityProject) -> list[str]:
    partners = session.scalars(select(db.Partner.country).distinct())
    return sorted({c for c in partners if c and c != UKRAINE} | {row.site_country} - {UKRAINE})


def match_project(
    session: Session, viewer: Viewer, project_id: str, planned: PlannedScenario
) -> Matching:
    """The matching of project ``project_id`` (module docstring), for a reader of it."""
    row = session.get(db.CapacityProject, project_id)
    if row is None or not viewer.may("capacity_projects", columns_of(row)):
        raise NotFound(f"no capacity project {project_id!r}")
    line = project_line(session, row)
    project = Project.model_validate(project_document(row, line.company_country))
    ctx = _Context(
        planned, Valuation.of(planned.scenario, planned.plan), project,
        frozenset(g.id for g in readable_pledges(viewer, planned.scenario)),
        _left(planned), _capex(planned, row),
    )  # fmt: skip
    open_host = project.kind.value == db.ProposalKind.UKRAINIAN_ABROAD and row.site_id is None
    mode = MatchMode.HOSTS if open_host else MatchMode.SITE
    countries = _countries(session, row) if open_host else [row.site_country]
    hosts = [h for c in countries if (h := _host(ctx, line, c)) is not None]
    hosts.sort(key=lambda h: (-h.gain, not h.covers_capex, h.country))
    return Matching(
        row.id, project.kind.value, mode, ctx.capex, planned.scenario.base_currency,
        tuple(hosts), planned.sha256,
    )  # fmt: skip
