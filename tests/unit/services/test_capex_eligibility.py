"""Which pledges may pay a project's capex, by ALLOCATION.md ("Capacity projects"): "a pledge
is eligible for a project when its purposes include investment and every non-empty earmark list
(capabilities, site_countries, company_countries, projects) contains it"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kuznia.services.registries.project_rules import (
    InvestmentTerms,
    ProjectLine,
    capex_payer_problems,
)

PLANT = ProjectLine("proj-dk", "rocket-fuel", "DK", "UA")
ANY = InvestmentTerms("p", ("investment",), (), (), (), ())


def test_an_investment_pledge_without_earmarks_may_pay_any_project() -> None:
    assert capex_payer_problems(ANY, PLANT) == []


def test_a_production_only_pledge_pays_no_capex() -> None:
    pledge = replace(ANY, purposes=("production",))
    assert capex_payer_problems(pledge, PLANT) == ["its purposes are production, not investment"]


def test_a_pledge_for_both_purposes_may_pay_capex() -> None:
    assert capex_payer_problems(replace(ANY, purposes=("production", "investment")), PLANT) == []


@pytest.mark.parametrize(
    ("earmarks", "reason"),
    [
        ({"capabilities": ("shell-155",)}, "earmarked capabilities shell-155, not rocket-fuel"),
        ({"site_countries": ("UA",)}, "earmarked site_countries UA, not DK"),
        ({"company_countries": ("DE",)}, "earmarked company_countries DE, not UA"),
        ({"projects": ("proj-uk",)}, "earmarked projects proj-uk, not proj-dk"),
    ],
)
def test_each_earmark_the_project_falls_outside_is_named(
    earmarks: dict[str, tuple[str, ...]], reason: str
) -> None:
    assert capex_payer_problems(replace(ANY, **earmarks), PLANT) == [reason]


def test_earmarks_that_hold_the_project_let_it_pay() -> None:
    pledge = replace(
        ANY,
        capabilities=("rocket-fuel",),
        site_countries=("DK", "GB"),
        company_countries=("UA",),
        projects=("proj-dk",),
    )
    assert capex_payer_problems(pledge, PLANT) == []
