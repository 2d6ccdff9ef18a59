"""Which pledge may pay for which production line: the allocation contract's rule, once.

ALLOCATION.md: "pledge p is eligible for line l when every non-empty earmark list contains the
line's capability / site_country / company_country respectively". The plan validator checks
plans with it and contracting checks a contract's payer with it (the records need only the
attributes below, so a registry row's view passes as well as a scenario model); the optimizer
states the same rule over arrays (``allocation.problem._eligibility``), and a test holds the
two to agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Earmarks(Protocol):
    """A pledge's earmarks; an empty list means no restriction."""

    @property
    def capabilities(self) -> Sequence[str]: ...
    @property
    def site_countries(self) -> Sequence[str]: ...
    @property
    def company_countries(self) -> Sequence[str]: ...


class Line(Protocol):
    """What a production line is, as earmarks see it (``site_country`` None when unknown)."""

    @property
    def capability(self) -> str: ...
    @property
    def site_country(self) -> str | None: ...
    @property
    def company_country(self) -> str: ...


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
