"""One plan per scenario: the plan the API runs and `kuznia plan` on the file `kuznia scenario
export` writes have the same digest, greedy baseline and value (issue 12, finding 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuznia.cli.main import run
from tests.integration.api.world import World, record_body


def test_the_api_plan_and_the_cli_plan_of_the_exported_scenario_agree(
    client: TestClient, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world.create(
        "pledges",
        {"partner_id": "partner-de", "amount_cents": 5_000_000, "currency": "EUR",
         "valid_from": "2026-01", "valid_to": "2026-12", "status": "confirmed"},
    )  # fmt: skip
    world.create("requirements", record_body("requirements", company="co-a", partner="partner-de"))
    line = world.create("proposals", record_body("proposals", company="co-a", partner="partner-de"))
    headers = world.headers("coordinator")
    reviewed = client.post("/api/v1/reviews", json={"proposals": [line]}, headers=headers)
    assert reviewed.json()["vetted_proposals"] == [line]
    made = client.post("/api/v1/plans", json={"label": "api"}, headers=headers)
    assert made.status_code == 201, made.text
    stored = client.get(f"/api/v1/plans/{made.json()['id']}", headers=headers).json()["plan"]
    url = world.database.engine.url.render_as_string(hide_password=False)
    scenario, plan = tmp_path / "scenario.json", tmp_path / "plan.json"
    assert run(["--database-url", url, "scenario", "export", "--out", str(scenario)]) == 0
    assert run(["plan", str(scenario), "--out", str(plan)]) == 0, capsys.readouterr().err
    cli = json.loads(plan.read_text())
    assert cli["scenario_sha256"] == stored["scenario_sha256"]
    assert stored["value"] > 0
    assert (cli["baseline"], cli["value"], cli["status"]) == (
        stored["baseline"],
        stored["value"],
        stored["status"],
    )
