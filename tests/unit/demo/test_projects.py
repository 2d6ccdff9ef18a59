"""The demo's capacity projects and investment money (issue 17): about 150 national projects
in both directions, realistic capex per unit of monthly capacity, money from partners and
notional funds; a handful awaiting review in the small demo."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from kuznia.demo import DemoWorld, generate
from kuznia.demo.projects import PROGRAMMES
from kuznia.scenario.bounds import EARLIEST_MONTH, LATEST_MONTH
from kuznia.scenario.kinds import kind_of
from kuznia.spreadsheets.project_rows import MAX_BUILD_MONTHS, MAX_CAPEX_CENTS

PROGRAMME = {p.id: p for p in PROGRAMMES}


def test_the_national_demo_has_about_150_projects_in_both_directions(national: DemoWorld):
    assert 140 <= len(national.projects) <= 160
    kinds = Counter(j.kind for j in national.projects)
    assert kinds["ukrainian_abroad"] >= 30
    assert kinds["foreign_in_ukraine"] >= 30
    assert kinds["in_ukraine"] >= 30
    hosts = Counter(j.site_country for j in national.projects if j.kind == "ukrainian_abroad")
    assert set(hosts) == {"DK", "GB"}


def test_each_project_has_the_kind_its_company_and_site_make_it(national: DemoWorld):
    companies = {c.id: c for c in national.companies}
    for j in national.projects:
        assert kind_of(companies[j.company].ukrainian, j.site_country).value == j.kind, j.id


def test_each_project_lies_inside_the_bounds_every_path_checks(national: DemoWorld):
    capabilities = {c.id for c in national.scenario.capabilities}
    rated = {national.scenario.base_currency, *national.scenario.fx_rates}
    for j in national.projects:
        assert 0 < j.capex.cents <= MAX_CAPEX_CENTS, j.id
        assert 0 <= j.build_months <= MAX_BUILD_MONTHS, j.id
        assert EARLIEST_MONTH <= j.earliest_start <= LATEST_MONTH, j.id
        assert j.capability in capabilities, j.id
        assert j.capex.currency in rated, j.id
        assert j.unit_cost.currency == j.capex.currency, j.id
        assert j.monthly_capacity >= 1, j.id
        assert j.ramp_up_months >= 1, j.id


def test_capex_is_the_documented_months_of_output_of_each_programme(national: DemoWorld):
    for j in national.projects:
        low, high = PROGRAMME[j.programme].capex_months
        months = Decimal(j.capex.cents) / (j.unit_cost.cents * j.monthly_capacity)
        assert Decimal(low) * Decimal("0.9") <= months <= Decimal(high) * Decimal("1.1"), j.id


def test_a_shell_megafactory_costs_what_public_plants_cost_per_shell_a_month(
    national: DemoWorld,
):
    shells = [
        j
        for j in national.projects
        if j.programme == "megafactory-ua" and j.capability == "shell-155mm"
    ]
    for j in shells:
        per_unit = j.capex.cents / 100 / j.monthly_capacity
        assert 10_000 <= per_unit <= 100_000, (j.id, per_unit)


def test_germany_backs_long_range_in_ukraine_with_earmarked_investment_money(
    national: DemoWorld,
):
    money = {g.id: g for g in national.investment_pledges}
    german = money["pledge-de-long-range-capacity"]
    assert german.purposes == ("investment",)
    assert german.site_countries == ("UA",)
    long_range = {c.id for c in national.scenario.capabilities if c.category == "long-range-strike"}
    assert set(german.capabilities) == long_range
    assert any(
        j.programme == "long-range-ua" and j.capability in long_range for j in national.projects
    )


def test_the_danish_money_is_earmarked_for_the_ukrainian_plants_in_denmark(national: DemoWorld):
    danish = next(g for g in national.investment_pledges if g.partner == "partner-dk")
    in_denmark = {j.id for j in national.projects if j.programme == "build-with-ukraine-dk"}
    assert set(danish.projects) == in_denmark
    assert danish.amount.currency == "DKK"


def test_notional_funds_are_partners_of_kind_fund(national: DemoWorld):
    partners = {p.id: p for p in national.partners}
    for g in national.investment_pledges:
        assert g.partner in partners, g.id
    funds = [p for p in national.partners if p.kind == "fund"]
    assert len(funds) == 3
    assert all("notional" in p.name for p in funds)


def test_the_small_demo_has_a_handful_of_projects_awaiting_review(small: DemoWorld):
    assert 1 <= len(small.projects) <= 5
    assert {j.status for j in small.projects} == {"submitted"}
    assert small.investment_pledges == ()


def test_projects_are_deterministic_and_leave_the_scenario_as_it_was(national: DemoWorld):
    again = generate("national", 1)
    assert again.projects == national.projects
    assert again.investment_pledges == national.investment_pledges
    assert again.scenario == national.scenario
