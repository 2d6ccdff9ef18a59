from __future__ import annotations

from decimal import Decimal

import pytest

from kuznia.demo import DemoWorld
from kuznia.money import Money


@pytest.mark.parametrize("world", ["small", "national"])
def test_every_proposal_runs_at_a_site_of_its_company_in_its_site_country(
    world: str, request: pytest.FixtureRequest
) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    sites = {s.id: s for s in demo.sites}
    assert set(demo.proposal_sites) == {p.id for p in demo.scenario.proposals}
    for p in demo.scenario.proposals:
        site = sites[demo.proposal_sites[p.id]]
        assert site.country == p.site_country, p.id
        assert site.company == p.company, p.id


def test_companies_have_the_countries_their_proposals_say(national: DemoWorld) -> None:
    companies = {c.id: c for c in national.companies}
    for p in national.scenario.proposals:
        assert companies[p.company].country == p.company_country
        assert companies[p.company].ukrainian == (p.company_country == "UA")


def test_site_locations_are_decimal_strings_near_the_site_country(national: DemoWorld) -> None:
    for s in national.sites:
        lat, lon = Decimal(s.latitude), Decimal(s.longitude)
        assert -90 <= lat <= 90
        assert -180 <= lon <= 180
        assert lat.as_tuple().exponent == -4
        if s.country == "UA":
            assert 44 < lat < 53
            assert 21 < lon < 41


def test_every_pledge_partner_is_in_the_registry(national: DemoWorld) -> None:
    partners = {p.id: p for p in national.partners}
    assert {g.partner for g in national.scenario.pledges} <= set(partners)
    assert partners["partner-ua"].kind == "Ukraine"
    assert partners["partner-eu"].kind == "EU"


@pytest.mark.parametrize("world", ["small", "national"])
def test_investments_go_both_ways_across_the_border(
    world: str, request: pytest.FixtureRequest
) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    companies = {c.id: c for c in demo.companies}
    outward = [i for i in demo.investments if companies[i.investor].ukrainian]
    inward = [i for i in demo.investments if not companies[i.investor].ukrainian]
    assert outward
    assert inward
    assert all(i.country_from == "UA" and i.country_to != "UA" for i in outward)
    assert all(i.country_from != "UA" and i.country_to == "UA" for i in inward)


def test_investments_name_one_existing_target_and_carry_money(national: DemoWorld) -> None:
    companies = {c.id for c in national.companies}
    sites = {s.id: s for s in national.sites}
    for inv in national.investments:
        assert (inv.target_company is None) != (inv.target_site is None)
        if inv.target_site is not None:
            assert sites[inv.target_site].company == inv.investor
        else:
            assert inv.target_company in companies
        assert isinstance(inv.amount, Money)
        assert inv.amount.cents > 0
        assert inv.instrument in {"equity", "loan"}
