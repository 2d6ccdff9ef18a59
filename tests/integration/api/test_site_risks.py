"""A site's risk class through the API: seen by exactly who sees the site's location (the
ministry, the owning company, the partner of the site's country), in the list of sites' classes,
in the counts by class and in the log's openings; a partner of another country sees none."""

from __future__ import annotations

from sqlalchemy import select

from kuznia.db.registries import Site
from kuznia.db.transparency import LedgerLeaf
from kuznia.services.kernel.actors import Actor
from kuznia.services.resilience.classes import put_risk_class, set_site_class
from tests.integration.api.world import World

API = "/api/v1"
FRONT = {"id": "front", "name": "Front line", "monthly_probability": 0.04,
         "durations": [{"months": 1, "probability": 1.0}]}  # fmt: skip


def _classed(world: World) -> dict[str, tuple[str, str]]:
    """Every site of the world in class ``front``: site id -> (company, country)."""
    with world.database.reading() as session:
        sites = {s.id: (s.company_id, s.country) for s in session.scalars(select(Site))}
    with world.database.unit_of_work(Actor.system("test")) as uow:
        put_risk_class(uow, FRONT)
        for site in sites:
            set_site_class(uow, site, "front")
    return sites


def _listed(client, world: World, role: str) -> list[str]:
    answer = client.get(f"{API}/site-risks", headers=world.headers(role))
    assert answer.status_code == 200, answer.text
    return [row["site_id"] for row in answer.json()]


def test_each_role_lists_the_classes_of_exactly_the_sites_whose_location_it_sees(client, world):
    sites = _classed(world)
    danish = sorted(s for s, (_, country) in sites.items() if country == "DK")
    own = sorted(s for s, (company, _) in sites.items() if company == "co-a")
    assert danish
    assert own
    assert _listed(client, world, "coordinator") == sorted(sites)
    assert _listed(client, world, "partner") == danish
    assert _listed(client, world, "company") == own
    assert _listed(client, world, "other_partner") == []  # Germany: no German site
    assert _listed(client, world, "auditor") == []
    row = client.get(f"{API}/site-risks", headers=world.headers("partner")).json()[0]
    assert row == {"site_id": danish[0], "site_name": row["site_name"], "country": "DK",
                   "risk_class_id": "front", "risk_class_name": "Front line"}  # fmt: skip


def test_the_counts_by_class_count_only_the_sites_whose_class_the_reader_sees(client, world):
    sites = _classed(world)
    danish = sum(1 for _, country in sites.values() if country == "DK")

    def count(role: str) -> int | None:
        found = client.get(f"{API}/risk-classes", headers=world.headers(role)).json()
        return {c["id"]: c["sites"] for c in found}["front"]

    assert count("coordinator") == len(sites)
    assert count("partner") == danish
    assert count("other_partner") == 0
    assert count("auditor") is None


def test_a_partner_opens_the_logged_class_of_its_own_countrys_sites_only(client, world):
    sites = _classed(world)
    with world.database.reading() as session:
        leaves = session.execute(
            select(LedgerLeaf.seq, LedgerLeaf.record_id).where(LedgerLeaf.entity == "site_risks")
        ).all()
    assert {site for _, site in leaves} == set(sites)
    for role, country in (("partner", "DK"), ("other_partner", "DE")):
        for seq, site in leaves:
            answer = client.get(
                f"{API}/log/openings", params={"seq": seq}, headers=world.headers(role)
            )
            expected = 200 if sites[site][1] == country else 403
            assert answer.status_code == expected, (role, site, answer.text)
            if expected == 200:
                assert [o["value"] for o in answer.json()] == ["front"]
