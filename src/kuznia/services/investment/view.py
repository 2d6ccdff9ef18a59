"""The investor view under need-to-know: where capacity is missing and the projects open for
investment, as each role may see them (``access.rules``: :data:`INVESTMENT_VIEW` for the
projects, :data:`SPLIT_MIN_FIRMS` and the ``proposals`` read rule for the country split).

* the public: aggregates per capability; cells by country and kind only where they hold lines
  of at least ``SPLIT_MIN_FIRMS`` firms; no company, no project;
* an investor: the same aggregates, and the projects open for investment and its own;
* a company: the same aggregates, and its own projects;
* a partner: every cell (it reads every proposal), and the projects its pledges may pay;
* the coordinator and auditors: everything.

No project is shown with its site (locations stay in ``sites``, secret there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import InvalidInput, NotFound
from kuznia.scenario.model import Pledge, Scenario
from kuznia.services.access.policy import Action, Scope, Viewer, columns_of
from kuznia.services.access.rules import INVESTMENT_VIEW, SPLIT_MIN_FIRMS, ProjectsShown
from kuznia.services.investment.gaps import CapabilityGap, CellGap, Gaps, capacity_gaps
from kuznia.services.investment.value import ProjectValue, project_values
from kuznia.services.kernel.paging import Page, decode_cursor, encode_cursor
from kuznia.services.planning.views import CurrentPlan, PlannedScenario
from kuznia.services.registries.project_rules import (
    InvestmentTerms,
    ProjectLine,
    capex_payer_problems,
    project_line,
)

T = TypeVar("T")
OTHER_CELLS = "*"
"""The site country of the cell that folds the cells a viewer may not see one by one."""


@dataclass(frozen=True, slots=True)
class InvestmentView:
    plan_sha256: str
    plan_format: str
    base_currency: str
    months: tuple[str, ...]
    capabilities: tuple[CapabilityGap, ...]
    projects: tuple[ProjectValue, ...]
    split: bool
    """Whether every cell is shown (else small cells are folded into one)."""
    projects_shown: ProjectsShown


def sees_every_cell(viewer: Viewer) -> bool:
    """Who reads every proposal sees the capacity of every country and kind."""
    return viewer.grant("proposals", Action.READ) is Scope.ALL


def fold_cells(row: CapabilityGap) -> CapabilityGap:
    """``row`` with the cells of fewer than SPLIT_MIN_FIRMS firms folded into one."""
    kept = [c for c in row.cells if c.companies >= SPLIT_MIN_FIRMS]
    small = [c for c in row.cells if c.companies < SPLIT_MIN_FIRMS]
    if small:
        values = [c.value_per_unit for c in small if c.value_per_unit is not None]
        kept.append(
            CellGap(
                row.capability, OTHER_CELLS, None, sum(c.lines for c in small),
                sum(c.companies for c in small), sum(c.declared_monthly for c in small),
                sum(c.built_monthly for c in small), sum(c.funded_units for c in small),
                max(values) if values else None,
            )
        )  # fmt: skip
    return replace(row, cells=tuple(kept))


def visible_gaps(viewer: Viewer, gaps: Gaps) -> tuple[CapabilityGap, ...]:
    if sees_every_cell(viewer):
        return gaps.capabilities
    return tuple(fold_cells(row) for row in gaps.capabilities)


def _pays_any(pledges: list[InvestmentTerms], line: ProjectLine) -> bool:
    return any(not capex_payer_problems(g, line) for g in pledges)


def terms_of(pledge: Pledge) -> InvestmentTerms:
    """A scenario's pledge as a project's capex sees it."""
    return InvestmentTerms(
        pledge.id, tuple(pledge.purposes), pledge.capabilities, pledge.site_countries,
        pledge.company_countries, pledge.projects,
    )  # fmt: skip


def readable_pledges(viewer: Viewer, scenario: Scenario) -> list[Pledge]:
    """The pledges of the plan's scenario the viewer may read (the ``pledges`` read rule)."""
    if viewer.grant("pledges", Action.READ) is None:
        return []  # a role that reads no pledge (a company, the public)
    return [
        g for g in scenario.pledges if viewer.may("pledges", {"id": g.id, "partner_id": g.partner})
    ]


def visible_projects(
    session: Session, viewer: Viewer, scenario: Scenario, values: list[ProjectValue]
) -> list[ProjectValue]:
    """The valued projects the viewer's :data:`INVESTMENT_VIEW` rule lists."""
    shown = INVESTMENT_VIEW.get(viewer.actor.role, ProjectsShown.NONE)
    if viewer.grant("capacity_projects", Action.READ) is None:
        return []  # who reads no capacity project sees none here either
    if shown is ProjectsShown.ALL or not values:
        return values if shown is ProjectsShown.ALL else []
    if shown is ProjectsShown.NONE:
        return []
    ids = [v.project for v in values]
    rows = {r.id: r for r in session.scalars(
        select(db.CapacityProject).where(db.CapacityProject.id.in_(ids)))}  # fmt: skip
    if shown is ProjectsShown.READABLE:
        keep = {i for i, r in rows.items() if viewer.may("capacity_projects", columns_of(r))}
    else:
        mine = [terms_of(g) for g in readable_pledges(viewer, scenario)]
        keep = {i for i, r in rows.items() if _pays_any(mine, project_line(session, r))}
    return [v for v in values if v.project in keep]


def investment_view(session: Session, viewer: Viewer, planned: PlannedScenario) -> InvestmentView:
    """Where capacity is missing and the projects ranked by value per capex, as ``viewer``
    may see them, from the stored plan ``planned`` (pages never solve)."""
    scenario, plan = planned.scenario, planned.plan
    gaps = capacity_gaps(scenario, plan)
    values = project_values(scenario, plan)
    return InvestmentView(
        planned.sha256,
        plan.format,
        scenario.base_currency,
        gaps.months,
        visible_gaps(viewer, gaps),
        tuple(visible_projects(session, viewer, scenario, values)),
        sees_every_cell(viewer),
        INVESTMENT_VIEW.get(viewer.actor.role, ProjectsShown.NONE),
    )


def planned_or_not_found(current: CurrentPlan) -> PlannedScenario:
    """The plan a reader is shown; NotFound before the first plan is stored."""
    if current.planned is None:
        raise NotFound("no plan is stored yet: the first one is being computed")
    return current.planned


def ranked_page(
    items: Sequence[T], kind: str, plan_sha256: str, cursor: str | None, limit: int
) -> Page[T]:
    """A page of a ranked list of one plan: the cursor holds the plan and the position, so a
    cursor of another plan (the inputs changed meanwhile) is refused rather than skipping."""
    start = 0
    if cursor is not None:
        digest, start = decode_cursor(cursor, kind)
        if digest != plan_sha256 or type(start) is not int or not 0 <= start <= len(items):
            raise InvalidInput.single("cursor", "not a cursor of this list (the plan changed?)")
    end = start + limit
    more = end < len(items)
    return Page(list(items[start:end]), encode_cursor(kind, plan_sha256, end) if more else None)
