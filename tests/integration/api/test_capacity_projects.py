"""Capacity projects through the API: reviewed as proposals, built through their lifecycle, and
entering the proposals, vetted, when they produce (issue 17)."""

from __future__ import annotations

from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.db.transparency import LedgerLeaf
from tests.integration.api.conftest import TestClient
from tests.integration.api.world import World, record_body
from tests.support.dump import dump_tables

API = "/api/v1/capacity_projects"
STAR = {"If-Match": "*"}


def _new(world: World, **changes: object) -> str:
    body = {**record_body("capacity_projects", company="co-a", partner="partner-dk"), **changes}
    return world.create("capacity_projects", body)


def _step(client: TestClient, world: World, project: str, status: str, role: str = "coordinator"):
    headers = {**world.headers(role), **STAR}
    return client.post(f"{API}/{project}/status", json={"status": status}, headers=headers)


def test_a_new_project_is_submitted_with_the_kind_its_countries_make_it(client, world: World):
    body = record_body("capacity_projects", company="co-a", partner="partner-dk")
    answer = client.post(API, json=body, headers=world.headers("company"))
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["status"] == "submitted"
    assert created["kind"] == "ukrainian_abroad"
    assert created["proposal_id"] is None


def test_a_project_cannot_be_created_with_a_status_or_a_line(client, world: World):
    body = record_body("capacity_projects", company="co-a", partner="partner-dk")
    for extra in ({"status": "producing"}, {"proposal_id": "prop-x"}):
        answer = client.post(API, json={**body, **extra}, headers=world.headers("coordinator"))
        assert answer.status_code == 422, answer.text


def test_a_project_built_to_production_becomes_a_vetted_proposal_in_the_same_step(
    client, world: World
):
    project = _new(world)
    for status in ("vetted", "financed", "under_construction"):
        assert _step(client, world, project, status).status_code == 200
    answer = _step(client, world, project, "producing")
    assert answer.status_code == 200, answer.text
    line_id = answer.json()["proposal_id"]
    assert answer.json()["status"] == "producing"
    line = client.get(f"/api/v1/proposals/{line_id}", headers=world.headers("coordinator"))
    assert (
        line.json()
        | {
            "status": "vetted",
            "company_id": "co-a",
            "site_country": "DK",
            "kind": "ukrainian_abroad",
            "unit_cost_cents": 11_000,
            "monthly_capacity": 500,
            "ramp_up_months": 2,
            "lead_time_months": 0,
            "setup_cost_cents": 0,
        }
        == line.json()
    )
    with world.database.reading() as session:
        logged = set(
            session.execute(
                select(LedgerLeaf.entity, LedgerLeaf.action).where(
                    LedgerLeaf.record_id.in_([project, line_id])
                )
            ).all()
        )
    assert {("capacity_projects", "create"), ("capacity_projects", "update")} <= logged
    assert ("proposals", "create") in logged


def test_the_company_starts_building_its_financed_project_but_does_not_vet_it(client, world: World):
    project = _new(world)
    refused = _step(client, world, project, "vetted", "company")
    assert refused.status_code == 403
    assert _step(client, world, project, "vetted").status_code == 200
    assert _step(client, world, project, "financed").status_code == 200
    assert _step(client, world, project, "under_construction", "company").status_code == 200
    assert _step(client, world, project, "producing", "company").status_code == 403


def test_a_refused_step_names_the_status_and_changes_nothing(client, world: World):
    project = _new(world)
    before = dump_tables(world.database)
    answer = _step(client, world, project, "financed")
    assert answer.status_code == 409
    assert "status" in answer.text
    assert "submitted" in answer.text
    assert dump_tables(world.database) == before


def test_a_project_whose_line_id_is_taken_does_not_produce_and_changes_nothing(
    client, world: World
):
    project = _new(world)
    for status in ("vetted", "financed", "under_construction"):
        _step(client, world, project, status)
    proposal = record_body("proposals", company="co-a", partner="partner-dk")
    world.create("proposals", {**proposal, "id": f"{project}-line"})
    before = dump_tables(world.database)
    answer = _step(client, world, project, "producing")
    assert answer.status_code == 409, answer.text
    assert dump_tables(world.database) == before


def test_the_company_changes_its_project_only_while_it_is_submitted(client, world: World):
    project = _new(world)
    headers = {**world.headers("company"), **STAR}
    assert client.patch(f"{API}/{project}", json={"build_months": 9}, headers=headers).is_success
    _step(client, world, project, "vetted")
    late = client.patch(f"{API}/{project}", json={"build_months": 10}, headers=headers)
    assert late.status_code in (403, 409), late.text
    with world.database.reading() as session:
        row = session.get(db.CapacityProject, project)
        assert row is not None
        assert row.build_months == 9


def test_projects_list_through_the_one_listing_with_filters(client, world: World):
    mine, theirs = _new(world), _new(world, company_id="co-b")
    listed = client.get(f"{API}?status=submitted&limit=200", headers=world.headers("company"))
    ids = {item["id"] for item in listed.json()["items"]}
    assert mine in ids
    assert theirs not in ids
    everyone = client.get(f"{API}?company_id=co-b", headers=world.headers("partner")).json()
    assert {item["id"] for item in everyone["items"]} == {theirs}
