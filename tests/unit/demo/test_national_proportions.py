from __future__ import annotations

from collections import Counter

from kuznia.demo import DemoWorld
from kuznia.demo.measures import declared_capacity_value, demand_value, pledged_value
from kuznia.months import month_index
from kuznia.scenario.kinds import ProposalKind


def test_the_national_world_has_the_sizes_of_the_public_figures(national: DemoWorld) -> None:
    s = national.scenario
    assert s.horizon_months == 36
    assert 55 <= len(s.capabilities) <= 70
    assert 550 <= len(s.requirements) <= 650
    assert 2800 <= len(s.proposals) <= 3200
    assert len(s.pledges) >= 60
    assert 45 <= len(national.partners) <= 55
    assert 750 <= len(national.companies) <= 900


def test_about_a_hundred_ukrainian_firms_are_state_owned(national: DemoWorld) -> None:
    ukrainian = [c for c in national.companies if c.ukrainian]
    state_owned = sum(c.state_owned for c in ukrainian)
    assert 600 <= len(ukrainian) <= 750
    assert 60 <= state_owned <= 140
    drone_makers = sum(c.category.endswith("drones") for c in ukrainian)
    assert drone_makers >= 300


def test_proposals_of_all_four_kinds_are_present(national: DemoWorld) -> None:
    kinds = Counter(p.kind for p in national.scenario.proposals)
    assert set(kinds) == set(ProposalKind)
    assert kinds[ProposalKind.IN_UKRAINE] > len(national.scenario.proposals) / 2


def test_kinds_agree_with_company_and_site_countries(national: DemoWorld) -> None:
    expected = {
        (True, True): ProposalKind.IN_UKRAINE,
        (True, False): ProposalKind.UKRAINIAN_ABROAD,
        (False, True): ProposalKind.FOREIGN_IN_UKRAINE,
        (False, False): ProposalKind.PARTNER_DOMESTIC,
    }
    for p in national.scenario.proposals:
        assert p.kind == expected[p.company_country == "UA", p.site_country == "UA"], p.id
        if p.kind == ProposalKind.PARTNER_DOMESTIC:
            assert p.company_country == p.site_country, p.id


def test_ukraine_budget_and_eu_windfall_pledges_are_present(national: DemoWorld) -> None:
    pledges = {g.id: g for g in national.scenario.pledges}
    assert any(g.partner == "partner-ua" and g.currency == "UAH" for g in pledges.values())
    eu = pledges["pl-eu-windfall-danish-model-2026"]
    assert eu.partner == "partner-eu"
    assert eu.site_countries == ("UA",)
    assert eu.company_countries == ("UA",)


def test_earmarks_look_like_the_ones_partners_set(national: DemoWorld) -> None:
    pledges = {g.id: g for g in national.scenario.pledges}
    build = pledges["pl-dk-build-with-ukraine"]
    assert (build.site_countries, build.company_countries) == (("DK",), ("UA",))
    long_range = pledges["pl-de-long-range-strike"]
    assert long_range.capabilities
    assert all(c.startswith("lr-") for c in long_range.capabilities)
    purl = [g for g in pledges.values() if g.id.endswith("-purl")]
    assert len(purl) >= 4
    assert all(g.site_countries == ("US",) for g in purl)


def test_earmarks_reference_existing_capabilities(national: DemoWorld) -> None:
    known = {c.id for c in national.scenario.capabilities}
    for g in national.scenario.pledges:
        assert set(g.capabilities) <= known, g.id


def test_some_pledge_windows_reach_outside_the_horizon(national: DemoWorld) -> None:
    s = national.scenario
    starts = [month_index(s.start_month, g.valid_from) for g in s.pledges]
    ends = [month_index(s.start_month, g.valid_to) for g in s.pledges]
    assert min(starts) < 0
    assert max(ends) >= s.horizon_months


def test_pledged_money_covers_about_a_third_of_declared_capacity(national: DemoWorld) -> None:
    capacity = declared_capacity_value(national.scenario)
    pledged = pledged_value(national.scenario)
    assert 0.2 <= pledged.cents / capacity.cents <= 0.5


def test_demand_exceeds_what_the_pledges_can_buy(national: DemoWorld) -> None:
    assert demand_value(national.scenario).cents > 1.5 * pledged_value(national.scenario).cents


def test_several_currencies_have_decimal_string_rates(national: DemoWorld) -> None:
    s = national.scenario
    assert s.base_currency == "EUR"
    assert {"USD", "DKK", "SEK", "NOK", "GBP", "CAD", "UAH"} <= set(s.fx_rates)
    assert all(isinstance(rate, str) for rate in s.fx_rates.values())
    assert 0.95 <= s.lateness_decay < 1


def test_artillery_and_missile_lines_carry_bigger_setup_costs_than_drone_lines(
    national: DemoWorld,
) -> None:
    categories = {c.id: c.category for c in national.scenario.capabilities}
    with_setup: dict[str, list[bool]] = {"drones": [], "heavy": []}
    for p in national.scenario.proposals:
        cat = categories[p.capability]
        if cat == "fpv-bomber-drones":
            with_setup["drones"].append(p.setup_cost > 0)
        elif cat in {"artillery-systems", "air-defence-interceptors"}:
            with_setup["heavy"].append(p.setup_cost > 0)
    share = {k: sum(v) / len(v) for k, v in with_setup.items()}
    assert share["heavy"] > share["drones"]


def test_lines_abroad_ship_later_than_lines_in_ukraine(national: DemoWorld) -> None:
    for p in national.scenario.proposals:
        assert 0 <= p.ship_lag_months <= 2
        if p.site_country != "UA":
            assert p.ship_lag_months >= 1, p.id


def test_names_are_notional(national: DemoWorld) -> None:
    assert all("Notional" in c.name for c in national.companies)
    assert all("Notional" in s.address for s in national.sites)
