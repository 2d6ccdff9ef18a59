"""A ``kuznia.scenario/2`` file's capacity projects entering the registry: each checked by the
rules every other path applies (``project_rules.project_problems``: kind, site, capex, build
months, earliest start; the offtake terms of a plant abroad), its company's country against the
registry, then upserted with its review and build status kept. A new one comes in vetted
(``lifecycle.IMPORTED_PROJECT``): the export that wrote the file held only projects a plan may
build. A ``/1`` file has no projects and leaves the registered ones alone.

Here too: the rows a scenario file and a spreadsheet import make of projects, and the
company-country check they share with proposals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Problem
from kuznia.money import parse_decimal_amount, round_cents
from kuznia.scenario.model import Project, Proposal, Scenario
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.kernel.upsert import UpsertCount, existing_rows, upsert
from kuznia.services.registries.lifecycle import IMPORTED_PROJECT
from kuznia.services.registries.project_rules import project_problems
from kuznia.spreadsheets.project_rows import ProjectRow


def cents_of(amount: Any) -> int:
    return round_cents(parse_decimal_amount(amount) if isinstance(amount, str) else amount)


@dataclass(frozen=True, slots=True)
class CountryConflict:
    """Proposal ``index`` names ``country`` for its company, which is registered in
    ``registered``, or was given ``earlier_country`` by proposal ``earlier``."""

    index: int
    company: str
    country: str
    registered: str | None = None
    earlier: int = -1
    earlier_country: str = ""


def company_country_conflicts(
    session: Session, proposals: Sequence[Proposal | Project | ProjectRow]
) -> list[CountryConflict]:
    """A proposal's (or project's) company_country must agree with the company already
    registered and with earlier rows of the same company."""
    ids = sorted({p.company for p in proposals})
    known = existing_rows(session, db.Company, ids, ["country"])
    first_country: dict[str, tuple[int, str]] = {}
    conflicts = []
    for i, p in enumerate(proposals):
        registered = known.get(p.company, {}).get("country")
        if registered is not None and registered != p.company_country:
            conflicts.append(CountryConflict(i, p.company, p.company_country, registered))
            continue
        seen = first_country.setdefault(p.company, (i, p.company_country))
        if seen[1] != p.company_country:
            conflicts.append(CountryConflict(i, p.company, p.company_country, None, *seen))
    return conflicts


def project_row(j: ProjectRow | Project, site_id: str | None = None) -> dict[str, Any]:
    """A capacity project's row from its exchange document (scenario format 2 fields)."""
    return {
        "id": j.id,
        "company_id": j.company,
        "site_id": site_id,
        "site_country": j.site_country,
        "capability_id": j.capability,
        "kind": None if j.kind is None else j.kind.value,
        "capex_cents": cents_of(j.capex),
        "currency": j.currency,
        "earliest_start": j.earliest_start,
        "build_months": j.build_months,
        "unit_cost_cents": cents_of(j.unit_cost),
        "monthly_capacity": j.monthly_capacity,
        "ramp_up_months": j.ramp_up_months,
        "min_total_units": j.min_total_units,
        "ship_lag_months": j.ship_lag_months,
        "offtake_until": j.offtake_until,
        "offtake_share_percent": j.offtake_share_percent,
        "status": IMPORTED_PROJECT,
    }


KEPT_ON_UPDATE = ["status", "site_id", "proposal_id"]
"""What a file cannot say about a registered project: its review and build, its site."""


def scenario_project_problems(session: Session, s: Scenario) -> list[Problem]:
    problems = []
    for i, j in enumerate(s.projects):
        row = {**project_row(j), "company_id": j.company}
        problems += [Problem(f"projects[{i}].{f}", m) for f, m in project_problems(session, row)]
    for c in company_country_conflicts(session, s.projects):
        problems.append(
            Problem(
                f"projects[{c.index}].company_country",
                f"company {c.company!r} is registered in {c.registered}, not {c.country}"
                if c.registered is not None
                else f"{c.country} contradicts projects[{c.earlier}] ({c.earlier_country}) "
                f"for company {c.company!r}",
            )
        )
    return problems


def import_projects(uow: UnitOfWork, s: Scenario) -> UpsertCount | None:
    """Upsert the file's projects (``None`` for a ``/1`` file, which states none)."""
    if s.version == 1:
        return None
    rows: list[dict[str, Any]] = [project_row(j) for j in s.projects]
    return upsert(uow, db.CapacityProject, rows, keep_on_update=KEPT_ON_UPDATE)
