"""The database as a scenario file, with capacity projects: ``kuznia.scenario/2`` exactly when
there is something of version 2 to say, otherwise the ``/1`` bytes as before.

ALLOCATION.md ("Capacity projects"): a ``/2`` file adds ``projects`` rows (id, company,
company_country, site_country, capability, kind, capex + currency, earliest_start,
build_months, unit_cost, monthly_capacity, ramp_up_months, min_total_units, ship_lag_months)
and, on pledges, ``purposes`` (a non-empty subset of production and investment) and the
``projects`` earmark. A database with no project to plan and only production pledges without
a project earmark exports the same ``/1`` bytes (and digests) it always did.

Exported are the projects a plan may decide to build: vetted and financed (with unreviewed
records, submitted ones too), never rejected, building or producing ones (a producing project
is a proposal now). A pledge's project earmark keeps only exported projects; a pledge whose
earmark names none of them may pay no project, so it loses the investment purpose, and a pledge
left with no purpose is not exported (it could pay for nothing in this scenario).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.money import format_cents
from kuznia.scenario.io import canonical_json_bytes, dump_scenario, natural_key, scenario_document
from kuznia.scenario.kinds import UKRAINE, kind_of
from kuznia.services.registries.lifecycle import OPEN_PROJECTS, PLANNED_PROJECTS
from kuznia.services.registries.scenarios import export_scenario

SCENARIO_FORMAT_2 = "kuznia.scenario/2"
PURPOSE_ORDER = (db.PledgePurpose.PRODUCTION.value, db.PledgePurpose.INVESTMENT.value)
DEFAULT_PURPOSES = [db.PledgePurpose.PRODUCTION.value]


def project_document(row: db.CapacityProject, company_country: str) -> dict[str, Any]:
    """A ``projects`` row of the scenario file, its fields in ALLOCATION.md's order."""
    kind = row.kind or kind_of(company_country == UKRAINE, row.site_country)
    return {
        "id": row.id,
        "company": row.company_id,
        "company_country": company_country,
        "site_country": row.site_country,
        "capability": row.capability_id,
        "kind": db.ProposalKind(kind).value,
        "capex": format_cents(row.capex_cents),
        "currency": row.currency,
        "earliest_start": row.earliest_start,
        "build_months": row.build_months,
        "unit_cost": format_cents(row.unit_cost_cents),
        "monthly_capacity": row.monthly_capacity,
        "ramp_up_months": row.ramp_up_months,
        "min_total_units": row.min_total_units,
        "ship_lag_months": row.ship_lag_months,
        **{
            k: v
            for k, v in (
                ("offtake_until", row.offtake_until),
                ("offtake_share_percent", row.offtake_share_percent),
            )
            if v is not None
        },
    }


def _projects(session: Session, include_unreviewed: bool) -> list[dict[str, Any]]:
    statuses = OPEN_PROJECTS if include_unreviewed else PLANNED_PROJECTS
    stmt = (
        select(db.CapacityProject, db.Company.country)
        .join(db.Company, db.Company.id == db.CapacityProject.company_id)
        .where(db.CapacityProject.status.in_(statuses))
    )
    rows = [project_document(row, country) for row, country in session.execute(stmt)]
    return sorted(rows, key=lambda r: natural_key(r["id"]))


def _pledge_terms(pledge: db.Pledge, exported: set[str]) -> tuple[list[str], list[str]]:
    """The purposes and project earmark a pledge is exported with (see the module's note)."""
    purposes = [p for p in PURPOSE_ORDER if p in (pledge.purposes or DEFAULT_PURPOSES)]
    earmark = list(pledge.earmark_projects or ())
    kept = sorted((j for j in earmark if j in exported), key=natural_key)
    if earmark and not kept and db.PledgePurpose.INVESTMENT.value in purposes:
        purposes.remove(db.PledgePurpose.INVESTMENT.value)
    return purposes, kept


def _is_version2(
    projects: list[dict[str, Any]], terms: Mapping[str, tuple[list[str], list[str]]]
) -> bool:
    return bool(projects) or any(
        purposes != DEFAULT_PURPOSES or earmark for purposes, earmark in terms.values()
    )


def scenario_bytes(session: Session, *, include_unreviewed: bool = False) -> bytes:
    """The canonical scenario file of the database: ``/1`` (byte for byte as
    :func:`~kuznia.scenario.io.dump_scenario` writes it) when nothing of version 2 is there,
    else ``/2`` with the projects and every pledge's purposes and project earmark."""
    scenario = export_scenario(session, include_unreviewed=include_unreviewed)
    projects = _projects(session, include_unreviewed)
    exported = {j["id"] for j in projects}
    ids = [g.id for g in scenario.pledges]
    rows = {g.id: g for g in session.scalars(select(db.Pledge).where(db.Pledge.id.in_(ids)))}
    terms = {i: _pledge_terms(rows[i], exported) for i in ids}
    if not _is_version2(projects, terms):
        return dump_scenario(scenario)
    doc = scenario_document(scenario)
    doc["format"] = SCENARIO_FORMAT_2
    pledges = []
    for pledge in doc["pledges"]:
        purposes, earmark = terms[pledge["id"]]
        if purposes:
            pledges.append({**pledge, "purposes": purposes, "projects": earmark})
    doc["pledges"] = pledges
    doc["projects"] = projects
    return canonical_json_bytes(doc)
