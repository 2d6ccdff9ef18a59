"""Which pledge may pay for what (ALLOCATION.md), stated once in ``scenario.eligibility``: the
optimizer's project arrays, the plan validator and the registries' capex and contract payers
all ask it, so they cannot disagree."""

from __future__ import annotations

import pytest

from kuznia.allocation.projects import project_arrays
from kuznia.scenario.eligibility import (
    capex_problems,
    line_problems,
    may_pay_capex,
    months_outside,
    valid_in,
)
from kuznia.services.registries.project_rules import (
    InvestmentTerms,
    ProjectLine,
    capex_payer_problems,
)
from tests.support.factory import line, pledge
from tests.support.projects import project, random_scenario2, scenario2

INVEST = ("investment",)


def test_a_production_pledge_pays_no_capex_and_an_investment_pledge_no_units() -> None:
    assert capex_problems(pledge(), project()) == ["its purposes are production, not investment"]
    assert line_problems(pledge(purposes=INVEST), line()) == [
        "its purposes are investment, not production"
    ]
    assert may_pay_capex(pledge(purposes=("production", "investment")), project())
    # each earmark the project falls outside of: tests/unit/services/test_capex_eligibility.py
    assert capex_problems(pledge(purposes=INVEST, projects=("proj-2",)), project()) == [
        "earmarked projects proj-2, not proj-1"
    ]


def test_validity_months_are_inclusive_at_both_ends() -> None:
    g = pledge(valid_from="2026-03", valid_to="2026-05")
    assert [valid_in(g, m) for m in ("2026-02", "2026-03", "2026-05", "2026-06")] == [
        False,
        True,
        True,
        False,
    ]
    assert months_outside(g, ["2026-06", "2026-04", "2025-12"]) == ["2026-06", "2025-12"]


@pytest.mark.parametrize("seed", range(12))
def test_the_optimizer_and_the_registries_see_the_same_capex_payers(seed: int) -> None:
    s = random_scenario2(seed)
    arrays = project_arrays(s)
    for j, proj in enumerate(s.projects):
        row = ProjectLine(proj.id, proj.capability, proj.site_country, proj.company_country)
        for p, g in enumerate(s.pledges):
            terms = InvestmentTerms(
                g.id,
                g.purposes,
                g.capabilities,
                g.site_countries,
                g.company_countries,
                g.projects,
            )
            assert bool(arrays.eligible[j, p]) == (capex_payer_problems(terms, row) == [])


def test_a_project_earmark_lets_only_its_project_be_paid() -> None:
    s = scenario2(
        pledges=(pledge(purposes=INVEST, projects=("proj-2",)),),
        projects=(project("proj-1"), project("proj-2")),
    )
    assert project_arrays(s).eligible.tolist() == [[False], [True]]
