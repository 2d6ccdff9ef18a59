"""The disruption model of the database as a ``kuznia.risk/1`` section, for a plan's scenario,
and a scenario file's ``risk`` section into the database (docs/risk.md)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.registries import CapacityProject, Proposal, Site
from kuznia.db.resilience import RiskClassRow, SiteRisk
from kuznia.demo.records import DemoWorld
from kuznia.risk.demo import DEMO_CLASSES, class_of
from kuznia.risk.model import RiskClass, RiskSection, RiskSite, dump_risk
from kuznia.scenario.model import Scenario
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.kernel.upsert import UpsertCount
from kuznia.services.resilience.classes import class_fields, put_risk_class, set_site_class


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


@dataclass(frozen=True)
class RiskImport:
    """What loading a scenario file's ``risk`` section did (``kuznia scenario import``)."""

    classes: UpsertCount
    sites: UpsertCount
    unknown_sites: tuple[str, ...]
    lines_elsewhere: int

    def lines(self) -> Iterable[str]:
        for kind, c in (("risk classes", self.classes), ("sites' risk classes", self.sites)):
            yield f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
        if self.unknown_sites:
            shown = ", ".join(self.unknown_sites[:10])
            more = len(self.unknown_sites) - 10
            yield (
                f"risk section: {len(self.unknown_sites)} site(s) not in the registry, not "
                f"classed: {shown}" + (f" and {more} more" if more > 0 else "")
            )
        if self.lines_elsewhere:
            yield (
                f"risk section: {self.lines_elsewhere} line(s) listed at a site the registry "
                "has at another site or none; the registry's sites of lines are kept"
            )


def _put_class(uow: UnitOfWork, c: RiskClass) -> UpsertCount:
    row = uow.session.get(RiskClassRow, c.id)
    wanted = class_fields(c)
    if row is not None and all(getattr(row, k) == v for k, v in wanted.items()):
        return UpsertCount(unchanged=1)
    put_risk_class(uow, c.model_dump(mode="json"))
    return UpsertCount(created=1) if row is None else UpsertCount(updated=1)


def _put_site(uow: UnitOfWork, site: RiskSite) -> UpsertCount:
    row = uow.session.get(SiteRisk, site.id)
    if row is not None and row.risk_class_id == site.risk_class:
        return UpsertCount(unchanged=1)
    set_site_class(uow, site.id, site.risk_class)
    return UpsertCount(created=1) if row is None else UpsertCount(updated=1)


def _lines_elsewhere(session: Session, section: RiskSection) -> int:
    """Lines the section lists at a site that the registry has at another site (or none)."""
    stated = {line: s.id for s in section.sites for line in s.proposals}
    registered: dict[str, str | None] = {}
    for table in (Proposal, CapacityProject):
        stmt = select(table.id, table.site_id).where(table.id.in_(stated))
        registered.update({str(line): site for line, site in session.execute(stmt)})
    return sum(1 for line, site in stated.items() if registered.get(line, site) != site)


def load_risk_section(uow: UnitOfWork, section: RiskSection) -> RiskImport:
    """A scenario file's ``risk`` section into the database, as the coordinator's forms write
    it (same rules, audit trail and secret-field log): every class created or replaced, and the
    class of every listed site that is registered; sites that are not are reported, not
    classed. Which lines run at a site stays the registry's (a proposal's site)."""
    classes = sum((_put_class(uow, c) for c in section.classes), UpsertCount())
    known = set(
        uow.session.scalars(select(Site.id).where(Site.id.in_([s.id for s in section.sites])))
    )
    sites = sum((_put_site(uow, s) for s in section.sites if s.id in known), UpsertCount())
    unknown = tuple(s.id for s in section.sites if s.id not in known)
    return RiskImport(classes, sites, unknown, _lines_elsewhere(uow.session, section))
