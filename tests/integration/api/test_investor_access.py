"""The investor's need-to-know through the API (issue 17): the capacity projects open for
investment (vetted, financed) and its own, without site locations; its own pledges and
investments; aggregates. Nothing else: no sites, proposals, plans or contracts."""

from __future__ import annotations

import pytest

from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from tests.integration.api.conftest import TestClient
from tests.integration.api.world import World, record_body


@pytest.fixture
def investor(world: World) -> World:
    """The world's investor: firm co-inv (GB) with fund fund-n's partner record."""
    return world


def _project(world: World, *steps: str, company: str = "co-a") -> str:
    body = record_body("capacity_projects", company=company, partner="-")
    project = world.create("capacity_projects", body)
    with world.database.unit_of_work(Actor.system("test")) as uow:
        for status in steps:
            records.change_project_status(uow, project, status, None)
    return project


def test_an_investor_lists_the_projects_open_for_investment(client: TestClient, investor: World):
    vetted, financed = _project(investor, "vetted"), _project(investor, "vetted", "financed")
    submitted = _project(investor)
    building = _project(investor, "vetted", "financed", "under_construction")
    answer = client.get("/api/v1/capacity_projects?limit=200", headers=investor.headers("investor"))
    assert answer.status_code == 200
    seen = {item["id"] for item in answer.json()["items"]}
    assert {vetted, financed} <= seen
    assert not {submitted, building} & seen
    hidden = client.get(
        f"/api/v1/capacity_projects/{submitted}", headers=investor.headers("investor")
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/sites", "/api/v1/proposals", "/api/v1/plans", "/api/v1/contracts"]
)
def test_an_investor_reads_no_sites_proposals_plans_or_contracts(
    client: TestClient, investor: World, path: str
):
    assert client.get(path, headers=investor.headers("investor")).status_code == 403


def test_an_investor_pledges_investment_money_as_its_fund(client: TestClient, investor: World):
    headers = investor.headers("investor")
    body = {**record_body("pledges", company="-", partner="fund-n"), "purposes": ["investment"]}
    assert client.post("/api/v1/pledges", json=body, headers=headers).status_code == 201
    other = {**body, "partner_id": "partner-dk"}
    assert client.post("/api/v1/pledges", json=other, headers=headers).status_code == 403
    mine = client.get("/api/v1/pledges", headers=headers).json()["items"]
    assert {g["partner_id"] for g in mine} == {"fund-n"}


def test_an_investor_firm_invests_in_a_project_and_sees_its_balance(
    client: TestClient, investor: World
):
    project = _project(investor, "vetted")
    headers = investor.headers("investor")
    body = {
        **record_body("investments", company="co-inv", partner="-"),
        "target_company_id": None,
        "target_project_id": project,
        "from_country": "GB",
        "to_country": "DK",
        "instrument": "loan",
    }
    created = client.post("/api/v1/investments", json=body, headers=headers)
    assert created.status_code == 201, created.text
    rows = client.get("/api/v1/investment-balance", headers=headers).json()
    assert [(r["first"], r["second"], r["first_to_second"]) for r in rows] == [("DK", "GB", "0.00")]
    assert rows[0]["second_to_first"] == "5000.00"


def test_an_investor_firm_proposes_a_project_of_its_own(client: TestClient, investor: World):
    body = {**record_body("capacity_projects", company="co-inv", partner="-"), "site_country": "UA"}
    answer = client.post(
        "/api/v1/capacity_projects", json=body, headers=investor.headers("investor")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["kind"] == "foreign_in_ukraine"


def test_an_investor_reads_the_public_aggregates(client: TestClient, investor: World):
    answer = client.get("/api/v1/public/overview", headers=investor.headers("investor"))
    assert answer.status_code == 200
