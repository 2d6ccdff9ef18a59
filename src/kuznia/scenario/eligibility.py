"""Which pledge may pay for what: the allocation contract's eligibility rules, once.

ALLOCATION.md:

* **a line** (funding and setups): "pledge p is eligible for line l when every non-empty earmark
  list contains the line's capability / site_country / company_country respectively", and only a
  pledge whose purposes include production pays for units (rule 8);
* **a project's capex**: "a pledge is eligible for a project when its purposes include
  investment and every non-empty earmark list (capabilities, site_countries, company_countries,
  projects) contains it" (rule 7), and it is valid in the month the capex is paid;
* **validity**: ``valid_from <= month <= valid_to``, inclusive months (``YYYY-MM`` strings, so
  they compare as text).

The plan validator checks plans with these, contracting checks a contract's payer with them and
the registries a project's capex payer (the records need only the attributes below, so a
registry row's view passes as well as a scenario model); the optimizer asks
:func:`may_pay_capex` for its projects and states the line rule over arrays
(``allocation.problem._eligibility``), and a test holds the two to agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Protocol

PRODUCTION: Final = "production"
INVESTMENT: Final = "investment"


class Earmarks(Protocol):
    """A pledge's earmarks; an empty list means no restriction."""

    @property
    def capabilities(self) -> Sequence[str]: ...
    @property
    def site_countries(self) -> Sequence[str]: ...
    @property
    def company_countries(self) -> Sequence[str]: ...


class Paying(Earmarks, Protocol):
    """A pledge's purposes (production, investment) and earmarks."""

    @property
    def purposes(self) -> Sequence[str]: ...


class Investing(Paying, Protocol):
    """A pledge as a project's capex sees it: with its projects earmark too."""

    @property
    def projects(self) -> Sequence[str]: ...


class Validity(Protocol):
    """A pledge's validity, inclusive ``YYYY-MM`` months."""

    @property
    def valid_from(self) -> str: ...
    @property
    def valid_to(self) -> str: ...


class Line(Protocol):
    """What a production line is, as earmarks see it (``site_country`` None when unknown)."""

    @property
    def capability(self) -> str: ...
    @property
    def site_country(self) -> str | None: ...
    @property
    def company_country(self) -> str: ...


class ProjectSite(Line, Protocol):
    """A capacity project as earmarks see it: a line that has an id the projects earmark names."""

    @property
    def id(self) -> str: ...


def eligible(pledge: Earmarks, line: Line) -> bool:
    """Every non-empty earmark list of ``pledge`` holds what ``line`` is."""
    return not ineligibility(pledge, line)


def ineligibility(pledge: Earmarks, line: Line) -> list[str]:
    """The earmarks of ``pledge`` that ``line`` falls outside of, each said in words (none if
    the pledge may pay for the line)."""
    reasons = []
    for field, listed, value in (
        ("capabilities", pledge.capabilities, line.capability),
        ("site_countries", pledge.site_countries, line.site_country),
        ("company_countries", pledge.company_countries, line.company_country),
    ):
        if listed and value not in listed:
            reasons.append(f"earmarked {field} {', '.join(listed)}, not {value or 'unknown'}")
    return reasons


def serves(pledge: Paying, purpose: str) -> bool:
    """The pledge's purposes include ``purpose`` (production or investment)."""
    return purpose in pledge.purposes


def purpose_problems(pledge: Paying, purpose: str) -> list[str]:
    """Why the pledge's money may not pay for ``purpose``, in words (none if it may)."""
    if serves(pledge, purpose):
        return []
    return [f"its purposes are {', '.join(pledge.purposes)}, not {purpose}"]


def line_problems(pledge: Paying, line: Line) -> list[str]:
    """Why ``pledge`` may not pay for units of ``line`` (rule 8 and the earmarks), months aside."""
    return purpose_problems(pledge, PRODUCTION) + ineligibility(pledge, line)


def capex_problems(pledge: Investing, project: ProjectSite) -> list[str]:
    """Why ``pledge`` may not pay ``project``'s capex (its purposes, then each earmark the
    project falls outside of), months aside; nothing if it may."""
    reasons = purpose_problems(pledge, INVESTMENT) + ineligibility(pledge, project)
    if pledge.projects and project.id not in pledge.projects:
        reasons.append(f"earmarked projects {', '.join(pledge.projects)}, not {project.id}")
    return reasons


def may_pay_capex(pledge: Investing, project: ProjectSite) -> bool:
    """The pledge may pay the project's capex in some month it is valid in."""
    return not capex_problems(pledge, project)


def valid_in(pledge: Validity, month: str) -> bool:
    """``valid_from <= month <= valid_to``."""
    return pledge.valid_from <= month <= pledge.valid_to


def months_outside(pledge: Validity, months: Iterable[str]) -> list[str]:
    """The months of ``months`` the pledge is not valid in, in their order."""
    return [m for m in months if not valid_in(pledge, m)]
