"""The rules on capacity projects and investments, stated once (every path calls them: the
registry use cases for the API, web forms and CLI, and spreadsheet import).

* **projects**: a capacity project's kind is what its company and site countries make it (the
  proposals' rule, :func:`~kuznia.services.registries.rules.kind_problems`); its capex is above
  zero and at most 999,999,999,999.99, its build months within 0..120 and its earliest start
  inside the mechanism's window (``scenario.bounds``).
* **investments**: an investment leaves its investor's country and enters its target's (a
  project's site country, else a site's, else a company's); it never answers for less than is
  committed to it, nor changes currency once money flows.
* **eligibility**: a pledge may pay a project's capex when its purposes include investment and
  every non-empty earmark (capabilities, site countries, company countries, projects) holds the
  project (ALLOCATION.md, "Capacity projects"): the plan's own rule,
  :func:`kuznia.scenario.eligibility.capex_problems`, over the rows.

Each problem is ``(field, message)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.money import Money
from kuznia.scenario.bounds import MAX_BUILD_MONTHS, MAX_CAPEX_CENTS, month_in_window
from kuznia.scenario.eligibility import capex_problems
from kuznia.services.registries.rules import FieldProblem, kind_problems, site_problems


def _bounded(doc: Mapping[str, Any], field: str, low: int, high: int, what: str) -> FieldProblem:
    return (field, f"{doc.get(field)} is outside {low}..{high} {what}")


def project_problems(session: Session, doc: Mapping[str, Any]) -> list[FieldProblem]:
    """A capacity project's fields against the mechanism's rules: its kind as its company and
    site countries make it (:func:`kind_problems`), its site, a capex above zero and within
    the scenario bounds, build months within 0..MAX_BUILD_MONTHS and an earliest start inside the
    mechanism's window (``scenario.bounds``)."""
    problems = kind_problems(session, doc) + site_problems(session, doc, "project")
    capex = doc.get("capex_cents")
    if not isinstance(capex, int) or not 0 < capex <= MAX_CAPEX_CENTS:
        problems.append(_bounded(doc, "capex_cents", 1, MAX_CAPEX_CENTS, "cents"))
    build = doc.get("build_months")
    if not isinstance(build, int) or not 0 <= build <= MAX_BUILD_MONTHS:
        problems.append(_bounded(doc, "build_months", 0, MAX_BUILD_MONTHS, "months"))
    try:
        month_in_window(str(doc.get("earliest_start")))
    except ValueError as exc:
        problems.append(("earliest_start", str(exc)))
    return problems


def _investment_target(session: Session, doc: Mapping[str, Any]) -> tuple[str, str] | None:
    """What an investment enters, in words, and that target's country: its project's site,
    else its site, else its company."""
    project = (
        session.get(db.CapacityProject, doc["target_project_id"])
        if doc.get("target_project_id")
        else None
    )
    if project is not None:
        return f"project {project.id} (its site)", project.site_country
    site = session.get(db.Site, doc["target_site_id"]) if doc.get("target_site_id") else None
    if site is not None:
        return f"site {site.id}", site.country
    company = (
        session.get(db.Company, doc["target_company_id"]) if doc.get("target_company_id") else None
    )
    return None if company is None else (f"company {company.id}", company.country)


def investment_problems(session: Session, doc: Mapping[str, Any]) -> list[FieldProblem]:
    """``from_country`` is the investor's country, ``to_country`` the target's: a project's
    site country, else the target site's, else the target company's; a project's investment
    names no other company than the project's."""
    problems = []
    investor = session.get(db.Company, doc.get("investor_company_id"))
    if investor is not None and doc.get("from_country") != investor.country:
        problems.append(
            (
                "from_country",
                f"the investor {investor.id} is registered in {investor.country}, "
                f"not {doc.get('from_country')}",
            )
        )
    target = _investment_target(session, doc)
    if target is not None and doc.get("to_country") != target[1]:
        what, country = target
        problems.append(
            ("to_country", f"the target {what} is in {country}, not {doc.get('to_country')}")
        )
    project = (
        session.get(db.CapacityProject, doc["target_project_id"])
        if doc.get("target_project_id")
        else None
    )
    named = doc.get("target_company_id")
    if project is not None and named is not None and named != project.company_id:
        problems.append(
            ("target_company_id", f"project {project.id} is of company {project.company_id}")
        )
    return problems


def investment_change_problems(
    session: Session, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldProblem]:
    """An investment never answers for less than is committed to it, nor changes the currency
    its money flows are in (``services/contracting/investment_money``)."""
    investment_id, currency = str(before["id"]), str(before["currency"])
    of_it = MoneyFlow.investment_id == investment_id
    if session.scalar(select(func.count()).where(of_it)) == 0:
        return []
    committed = int(
        session.scalar(
            select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
                of_it, MoneyFlow.kind == FlowKind.COMMITMENT
            )
        )
        or 0
    )
    problems: list[FieldProblem] = []
    if after["currency"] != currency:
        problems.append(
            ("currency", f"investment {investment_id}'s money flows are in {currency}: it "
             f"cannot become {after['currency']}")
        )  # fmt: skip
    elif int(after["amount_cents"]) < committed:
        shown = Money(committed, currency).display()
        asked = Money(int(after["amount_cents"]), currency).display()
        problems.append(
            ("amount_cents", f"investment {investment_id} has {shown} committed: it cannot be "
             f"{asked}")
        )  # fmt: skip
    return problems


# --- which pledges may pay a project's capex -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """A project as a pledge's earmarks see it."""

    id: str
    capability: str
    site_country: str | None
    company_country: str


@dataclass(frozen=True, slots=True)
class InvestmentTerms:
    """A pledge's purposes and earmarks, as the capex of a project sees them."""

    id: str
    purposes: Sequence[str]
    capabilities: Sequence[str]
    site_countries: Sequence[str]
    company_countries: Sequence[str]
    projects: Sequence[str]

    @classmethod
    def of_row(cls, pledge: db.Pledge) -> InvestmentTerms:
        return cls(
            pledge.id,
            tuple(pledge.purposes or (db.PledgePurpose.PRODUCTION,)),
            tuple(pledge.earmark_capabilities or ()),
            tuple(pledge.earmark_site_countries or ()),
            tuple(pledge.earmark_company_countries or ()),
            tuple(pledge.earmark_projects or ()),
        )


def project_line(session: Session, project: db.CapacityProject) -> ProjectLine:
    company = session.get(db.Company, project.company_id)
    country = company.country if company is not None else ""
    return ProjectLine(project.id, project.capability_id, project.site_country, country)


def capex_payer_problems(pledge: InvestmentTerms, project: ProjectLine) -> list[str]:
    """Why ``pledge`` may not pay ``project``'s capex (nothing if it may): ALLOCATION.md, "a
    pledge is eligible for a project when its purposes include investment and every non-empty
    earmark list (capabilities, site_countries, company_countries, projects) contains it"."""
    return capex_problems(pledge, project)
