"""The disruption model of the database as a ``kuznia.risk/1`` section, for a plan's scenario."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.registries import CapacityProject, Proposal, Site
from kuznia.db.resilience import RiskClassRow, SiteRisk
from kuznia.demo.records import DemoWorld
from kuznia.risk.demo import DEMO_CLASSES, class_of
from kuznia.risk.model import RiskClass, RiskSection, RiskSite, dump_risk
from kuznia.scenario.model import Scenario
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.resilience.classes import put_risk_class, set_site_class


def risk_section(session: Session, scenario: Scenario | None = None) -> RiskSection:
    """Every class and every classed site, with its lines (those of ``scenario``, if given):
    the proposals there, and the capacity projects there (the line a built one becomes has the
    project's id)."""
    classes = tuple(
        RiskClass.model_validate(
            {
                "id": r.id,
                "name": r.name,
                "monthly_probability": r.monthly_probability,
                "capacity_loss": r.capacity_loss,
                "durations": r.durations,
            }
        )
        for r in session.scalars(select(RiskClassRow).order_by(RiskClassRow.id))
    )
    wanted = (
        {p.id for p in scenario.proposals} | {j.id for j in scenario.projects} if scenario else None
    )
    lines: dict[str, list[str]] = defaultdict(list)
    for table in (Proposal, CapacityProject):
        stmt = select(table.id, table.site_id).where(table.site_id.is_not(None))
        for line, site in session.execute(stmt.order_by(table.id)):
            if site is not None and (wanted is None or line in wanted):
                lines[site].append(line)
    sites = tuple(
        RiskSite(id=s.site_id, risk_class=s.risk_class_id, proposals=tuple(lines[s.site_id]))
        for s in session.scalars(select(SiteRisk).order_by(SiteRisk.site_id))
    )
    return RiskSection(classes=classes, sites=sites)


def risk_sha256(section: RiskSection) -> str:
    return hashlib.sha256(dump_risk(section)).hexdigest()


def load_demo_risk(uow: UnitOfWork, world: DemoWorld) -> int:
    """The notional classes of ``kuznia.risk.demo`` and a class for every site of ``world``
    that is registered; returns how many sites were classed."""
    for c in DEMO_CLASSES:
        put_risk_class(uow, c.model_dump(mode="json"))
    known = set(uow.session.scalars(select(Site.id)))
    classed = 0
    for site in world.sites:
        if site.id in known:
            set_site_class(uow, site.id, class_of(site.country, site.longitude))
            classed += 1
    return classed
