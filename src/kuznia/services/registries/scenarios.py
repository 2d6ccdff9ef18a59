"""Scenario files in and out of the database.

Import is all-or-nothing: the whole file is checked (format, then against what the database
already holds) before anything is written, and the caller's transaction commits it at once.
Export writes the canonical form, so importing a file and exporting it again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import InvalidInput, NotFound, Problem
from kuznia.money import format_cents
from kuznia.scenario.kinds import UKRAINE, kind_of
from kuznia.scenario.model import Capability, Pledge, Project, Proposal, Requirement, Scenario
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.kernel.upsert import UpsertCount, existing_rows, upsert
from kuznia.services.registries.lifecycle import (
    IMPORTED_PLEDGE,
    IMPORTED_PROPOSAL,
    OPEN_PLEDGES,
    OPEN_PROPOSALS,
    PLANNED_PLEDGES,
    PLANNED_PROPOSALS,
)
from kuznia.services.registries.rules import kind_problems, pledge_change_problems
from kuznia.services.registries.scenario_projects import (
    cents_of,
    company_country_conflicts,
    import_projects,
    scenario_project_problems,
)


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, UpsertCount] = field(default_factory=dict)

    def lines(self) -> Iterable[str]:
        for kind, c in self.counts.items():
            yield f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"


def _rule_problems(session: Session, s: Scenario) -> list[Problem]:
    """The registry's rules on the file's records (``rules.py``), as every path applies them:
    a proposal's kind, and a registered pledge's change against what it answers for."""
    problems = []
    for i, p in enumerate(s.proposals):
        row = {**proposal_row(p), "company_id": p.company}
        problems += [Problem(f"proposals[{i}].{f}", m) for f, m in kind_problems(session, row)]
        derived = kind_of(p.company_country == UKRAINE, p.site_country)
        if p.kind not in (None, derived) and session.get(db.Company, p.company) is None:
            problems.append(
                Problem(
                    f"proposals[{i}].kind",
                    f"company {p.company} is in {p.company_country} and the site in "
                    f"{p.site_country}: the line is {derived.value}, not {p.kind}",
                )
            )
    for i, g in enumerate(s.pledges):
        stored = session.get(db.Pledge, g.id)
        if stored is None:
            continue
        before = {c.name: getattr(stored, c.name) for c in stored.__table__.columns}
        stated = pledge_row(g)
        if s.version == 1:  # a /1 file does not state them: the registered ones stay
            del stated["purposes"], stated["earmark_projects"]
        after = {**before, **stated, "status": stored.status}
        problems += [
            Problem(f"pledges[{i}].{f}", m)
            for f, m in pledge_change_problems(session, before, after)
        ]
    return problems


def _company_problems(session: Session, s: Scenario) -> list[Problem]:
    problems = []
    for c in company_country_conflicts(session, s.proposals):
        if c.registered is not None:
            message = f"company {c.company!r} is registered in {c.registered}, not {c.country}"
        else:
            message = (
                f"{c.country} contradicts proposals[{c.earlier}] ({c.earlier_country}) for "
                f"company {c.company!r}"
            )
        problems.append(Problem(f"proposals[{c.index}].company_country", message))
    return problems


def store_settings(uow: UnitOfWork, s: Scenario) -> None:
    """Write the planning frame and exchange rates of ``s``, recording the change."""
    session = uow.session
    session.merge(
        db.PlanningSettings(
            id=1,
            start_month=s.start_month,
            horizon_months=s.horizon_months,
            base_currency=s.base_currency,
            lateness_decay=s.lateness_decay,
        )
    )
    session.execute(delete(db.FxRate))
    rates = {s.base_currency: "1", **s.fx_rates}
    session.add_all(db.FxRate(currency=c, rate=r) for c, r in rates.items())
    uow.record(
        "planning_settings",
        "1",
        "update",
        None,
        {
            "start_month": s.start_month,
            "horizon_months": s.horizon_months,
            "base_currency": s.base_currency,
            "lateness_decay": s.lateness_decay,
            "fx_rates": rates,
        },
    )


def capability_row(c: Capability) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "unit": c.unit, "category": c.category,
        "name_uk": c.name_uk, "category_uk": c.category_uk,
    }  # fmt: skip


def requirement_row(r: Requirement) -> dict[str, Any]:
    return {
        "id": r.id,
        "capability_id": r.capability,
        "quantity": r.quantity,
        "due_month": r.due_month,
        "priority": r.priority,
    }


def proposal_row(p: Proposal, site_id: str | None = None) -> dict[str, Any]:
    return {
        "id": p.id,
        "company_id": p.company,
        "site_id": site_id,
        "site_country": p.site_country,
        "capability_id": p.capability,
        "unit_cost_cents": cents_of(p.unit_cost),
        "currency": p.currency,
        "monthly_capacity": p.monthly_capacity,
        "lead_time_months": p.lead_time_months,
        "ramp_up_months": p.ramp_up_months,
        "setup_cost_cents": cents_of(p.setup_cost),
        "min_total_units": p.min_total_units,
        "ship_lag_months": p.ship_lag_months,
        "kind": None if p.kind is None else p.kind.value,
        "offtake_until": p.offtake_until,
        "offtake_share_percent": p.offtake_share_percent,
        "status": IMPORTED_PROPOSAL,
    }


def pledge_row(g: Pledge) -> dict[str, Any]:
    return {
        "id": g.id,
        "partner_id": g.partner,
        "amount_cents": cents_of(g.amount),
        "currency": g.currency,
        "valid_from": g.valid_from,
        "valid_to": g.valid_to,
        "earmark_capabilities": list(g.capabilities),
        "earmark_site_countries": list(g.site_countries),
        "earmark_company_countries": list(g.company_countries),
        "earmark_projects": list(g.projects),
        "purposes": [purpose.value for purpose in g.purposes],
        "status": IMPORTED_PLEDGE,
    }


def new_parties(
    session: Session, proposals: Iterable[Proposal | Project], pledges: Iterable[Pledge]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the companies and partners named by ``proposals`` and ``pledges`` that are not
    registered yet (registered by id, named after it)."""
    company_country = {p.company: p.company_country for p in proposals}
    known_companies = existing_rows(session, db.Company, sorted(company_country), [])
    companies = [
        {"id": c, "name": c, "country": country, "ukrainian": country == "UA"}
        for c, country in sorted(company_country.items())
        if c not in known_companies
    ]
    partners_named = sorted({g.partner for g in pledges})
    known_partners = existing_rows(session, db.Partner, partners_named, [])
    partners = [{"id": p, "name": p} for p in partners_named if p not in known_partners]
    return companies, partners


def ensure_parties(
    uow: UnitOfWork, proposals: Iterable[Proposal | Project], pledges: Iterable[Pledge]
) -> dict[str, UpsertCount]:
    """Companies and partners named but not registered yet are registered, by id."""
    companies, partners = new_parties(uow.session, proposals, pledges)
    return {
        "companies": upsert(uow, db.Company, companies),
        "partners": upsert(uow, db.Partner, partners),
    }


def import_scenario(
    uow: UnitOfWork, s: Scenario, proposal_sites: Mapping[str, str] | None = None
) -> ImportSummary:
    """Upsert every record of ``s`` by id. Review statuses of existing records are kept.

    ``proposal_sites`` places proposals at registered sites (a scenario names only countries).
    """
    sites = proposal_sites or {}
    session = uow.session
    problems = (
        _company_problems(session, s)
        + _rule_problems(session, s)
        + scenario_project_problems(session, s)
    )
    if problems:
        raise InvalidInput(problems, "the scenario does not fit the registered companies")
    store_settings(uow, s)
    counts = ensure_parties(uow, [*s.proposals, *s.projects], s.pledges)
    counts["capabilities"] = upsert(uow, db.Capability, [capability_row(c) for c in s.capabilities])
    counts["requirements"] = upsert(
        uow, db.Requirement, [requirement_row(r) for r in s.requirements]
    )
    counts["proposals"] = upsert(
        uow,
        db.Proposal,
        [proposal_row(p, sites.get(p.id)) for p in s.proposals],
        # a scenario names only countries: a registered line keeps its site unless placed here
        keep_on_update=["status"] if sites else ["status", "site_id"],
    )
    # a /1 file does not state purposes or project earmarks: a registered pledge keeps its own
    kept = ["status"] if s.version == 2 else ["status", "purposes", "earmark_projects"]
    counts["pledges"] = upsert(
        uow, db.Pledge, [pledge_row(g) for g in s.pledges], keep_on_update=kept
    )
    session.flush()
    if (projects := import_projects(uow, s)) is not None:
        counts["capacity_projects"] = projects
    session.flush()
    return ImportSummary(counts)


def export_scenario(session: Session, *, include_unreviewed: bool = False) -> Scenario:
    """The database as a scenario: vetted proposals and confirmed pledges (or all not rejected
    or withdrawn, with ``include_unreviewed``)."""
    frame = session.get(db.PlanningSettings, 1)
    if frame is None:
        raise NotFound("no planning frame yet: import a scenario or load the demo first")
    rates = {r.currency: r.rate for r in session.scalars(select(db.FxRate))}
    rates.pop(frame.base_currency, None)
    proposal_ok = OPEN_PROPOSALS if include_unreviewed else PLANNED_PROPOSALS
    pledge_ok = OPEN_PLEDGES if include_unreviewed else PLANNED_PLEDGES
    countries: dict[str, str] = dict(
        session.execute(select(db.Company.id, db.Company.country)).all()
    )
    return Scenario(
        start_month=frame.start_month,
        horizon_months=frame.horizon_months,
        base_currency=frame.base_currency,
        fx_rates=rates,
        lateness_decay=frame.lateness_decay,
        capabilities=tuple(
            Capability(
                id=c.id,
                name=c.name,
                unit=c.unit,
                category=c.category,
                name_uk=c.name_uk,
                category_uk=c.category_uk,
            )
            for c in session.scalars(select(db.Capability))
        ),
        requirements=tuple(
            Requirement(
                id=r.id,
                capability=r.capability_id,
                quantity=r.quantity,
                due_month=r.due_month,
                priority=r.priority,
            )
            for r in session.scalars(select(db.Requirement))
        ),
        proposals=tuple(
            proposal_model(p, countries[p.company_id])
            for p in session.scalars(select(db.Proposal).where(db.Proposal.status.in_(proposal_ok)))
        ),
        pledges=tuple(
            pledge_model(g)
            for g in session.scalars(select(db.Pledge).where(db.Pledge.status.in_(pledge_ok)))
        ),
    )


def proposal_model(p: db.Proposal, company_country: str) -> Proposal:
    return Proposal(
        id=p.id,
        company=p.company_id,
        company_country=company_country,
        site_country=p.site_country,
        capability=p.capability_id,
        unit_cost=format_cents(p.unit_cost_cents),
        currency=p.currency,
        monthly_capacity=p.monthly_capacity,
        lead_time_months=p.lead_time_months,
        ramp_up_months=p.ramp_up_months,
        setup_cost=format_cents(p.setup_cost_cents),
        min_total_units=p.min_total_units,
        ship_lag_months=p.ship_lag_months,
        kind=p.kind,
        offtake_until=p.offtake_until,
        offtake_share_percent=p.offtake_share_percent,
    )


def pledge_model(g: db.Pledge) -> Pledge:
    return Pledge(
        id=g.id,
        partner=g.partner_id,
        amount=format_cents(g.amount_cents),
        currency=g.currency,
        valid_from=g.valid_from,
        valid_to=g.valid_to,
        capabilities=tuple(g.earmark_capabilities),
        site_countries=tuple(g.earmark_site_countries),
        company_countries=tuple(g.earmark_company_countries),
    )
