"""The database as a scenario file with capacity projects (ALLOCATION.md, "Capacity projects"):
format 2 exactly when there is something of version 2, the /1 bytes otherwise. Checked against
the spec's field list, not against any reader."""

from __future__ import annotations

import json

from kuznia.scenario.io import dump_scenario, parse_scenario, scenario_sha256
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from kuznia.services.registries.project_export import scenario_bytes
from kuznia.services.registries.scenarios import export_scenario
from tests.integration.api.world import World, record_body

PROJECT_FIELDS = [
    "id", "company", "company_country", "site_country", "capability", "kind", "capex",
    "currency", "earliest_start", "build_months", "unit_cost", "monthly_capacity",
    "ramp_up_months", "min_total_units", "ship_lag_months",
]  # fmt: skip
"""ALLOCATION.md: projects rows, in the order the spec lists them."""
ADDITIONS = ["offtake_until", "offtake_share_percent"]
"""kuznia's optional additions after them (a plant abroad's offtake terms, as on proposals;
documented in the shipped JSON Schema), written only when stated."""


def _project(world: World, *steps: str, **changes: object) -> str:
    body = {**record_body("capacity_projects", company="co-a", partner="-"), **changes}
    project = world.create("capacity_projects", body)
    with world.database.unit_of_work(Actor.system("test")) as uow:
        for status in steps:
            records.change_project_status(uow, project, status, None)
    return project


def _pledge(world: World, **changes: object) -> str:
    body = {**record_body("pledges", company="co-a", partner="partner-dk"), "status": "confirmed"}
    return world.create("pledges", {**body, **changes})


def _export(world: World) -> dict:
    with world.database.reading() as session:
        return json.loads(scenario_bytes(session))


def test_without_projects_or_investment_money_the_export_is_the_format_1_file(world: World):
    _pledge(world)
    _project(world)  # submitted: not planned
    with world.database.reading() as session:
        data = scenario_bytes(session)
        assert data == dump_scenario(export_scenario(session))
    assert json.loads(data)["format"] == "kuznia.scenario/1"
    assert "projects" not in json.loads(data)


def test_a_vetted_project_makes_a_format_2_file_with_the_spec_fields(world: World):
    project = _project(world, "vetted")
    doc = _export(world)
    assert doc["format"] == "kuznia.scenario/2"
    [row] = doc["projects"]
    assert list(row)[: len(PROJECT_FIELDS)] == PROJECT_FIELDS
    assert list(row)[len(PROJECT_FIELDS) :] in ([], ADDITIONS)
    assert doc["projects"][0] == {
        "id": project,
        "company": "co-a",
        "company_country": "UA",
        "site_country": "DK",
        "capability": "cap-1",
        "kind": "ukrainian_abroad",
        "capex": "12000000.00",
        "currency": "EUR",
        "earliest_start": "2026-03",
        "build_months": 6,
        "unit_cost": "110.00",
        "monthly_capacity": 500,
        "ramp_up_months": 2,
        "min_total_units": 0,
        "ship_lag_months": 0,
        "offtake_until": "2030-12",
        "offtake_share_percent": 100,
    }
    assert list(doc)[-1] == "projects"


def test_financed_projects_are_planned_and_building_or_producing_ones_are_not(world: World):
    financed = _project(world, "vetted", "financed")
    _project(world, "vetted", "financed", "under_construction")
    _project(world, "vetted", "financed", "under_construction", "producing")
    _project(world, "rejected")
    assert [row["id"] for row in _export(world)["projects"]] == [financed]


def test_pledges_carry_their_purposes_and_project_earmark_in_format_2(world: World):
    project = _project(world, "vetted")
    money = _pledge(world, purposes=["production", "investment"], earmark_projects=[project])
    plain = _pledge(world)
    pledges = {g["id"]: g for g in _export(world)["pledges"]}
    assert pledges[money]["purposes"] == ["production", "investment"]
    assert pledges[money]["projects"] == [project]
    assert pledges[plain]["purposes"] == ["production"]
    assert pledges[plain]["projects"] == []
    assert list(pledges[money])[-2:] == ["purposes", "projects"]


def test_an_investment_pledge_alone_makes_a_format_2_file(world: World):
    _pledge(world, purposes=["investment"])
    doc = _export(world)
    assert doc["format"] == "kuznia.scenario/2"
    assert doc["projects"] == []


def test_money_earmarked_only_for_projects_not_planned_pays_for_no_project(world: World):
    producing = _project(world, "vetted", "financed", "under_construction", "producing")
    _project(world, "vetted")
    both = _pledge(world, purposes=["production", "investment"], earmark_projects=[producing])
    only = _pledge(world, purposes=["investment"], earmark_projects=[producing])
    pledges = {g["id"]: g for g in _export(world)["pledges"]}
    assert pledges[both]["purposes"] == ["production"]
    assert pledges[both]["projects"] == []
    assert only not in pledges


def test_the_format_2_file_reads_back_to_the_same_bytes(world: World):
    project = _project(world, "vetted")
    _pledge(world, purposes=["investment"], earmark_projects=[project])
    with world.database.reading() as session:
        data = scenario_bytes(session)
    scenario = parse_scenario(data)
    assert scenario_sha256(dump_scenario(scenario)) == scenario_sha256(data)
