"""Plans through the API: run, list, show, compare; partners see only their own money."""

from __future__ import annotations

from tests.integration.api.world import World


def _pledges_in(plan: dict) -> set[str]:
    rows = plan["plan"].get("funding", []) + plan["plan"].get("setup", [])
    return {r["pledge"] for r in rows} | set(plan["plan"]["marginal_value"]["pledges"])


def test_a_plan_is_run_stored_with_its_scenario_digest_and_listed(client, world: World):
    world.create(
        "pledges",
        {"partner_id": "partner-de", "amount_cents": 5_000_000, "currency": "EUR",
         "valid_from": "2026-01", "valid_to": "2026-12", "status": "confirmed"},
    )  # fmt: skip
    headers = world.headers("coordinator")
    run = client.post("/api/v1/plans", json={"label": "base"}, headers=headers)
    assert run.status_code == 201, run.text
    summary = run.json()
    assert len(summary["scenario_sha256"]) == 64
    shown = client.get(f"/api/v1/plans/{summary['id']}", headers=headers).json()
    assert shown["plan"]["scenario_sha256"] == summary["scenario_sha256"]
    listed = client.get("/api/v1/plans", headers=headers).json()["items"]
    assert [p["id"] for p in listed] == [summary["id"]]


def test_a_partner_sees_the_money_of_its_own_pledges_only(client, world: World):
    for partner in ("partner-dk", "partner-de"):
        world.create(
            "pledges",
            {"partner_id": partner, "amount_cents": 5_000_000, "currency": "EUR",
             "valid_from": "2026-01", "valid_to": "2026-12", "status": "confirmed"},
        )  # fmt: skip
    world.create(
        "requirements",
        {"capability_id": "cap-1", "quantity": 500, "due_month": "2026-06", "priority": 3.0},
    )
    proposal = world.record("proposals", "a")
    client.post(
        f"/api/v1/proposals/{proposal}/review",
        json={"decision": "vetted"},
        headers={**world.headers("coordinator"), "If-Match": "*"},
    )
    first, _ = world.plans()
    everything = client.get(f"/api/v1/plans/{first}", headers=world.headers("coordinator")).json()
    mine = client.get(f"/api/v1/plans/{first}", headers=world.headers("partner")).json()
    assert len(_pledges_in(everything)) == 2
    assert _pledges_in(mine) <= {
        p["id"]
        for p in client.get("/api/v1/pledges", headers=world.headers("partner")).json()["items"]
    }
    assert len(_pledges_in(mine)) == 1


def test_two_plans_of_the_same_scenario_compare_as_equal(client, world: World):
    first, second = world.plans()
    answer = client.get(
        f"/api/v1/plans/{first}/compare?with={second}", headers=world.headers("auditor")
    )
    assert answer.status_code == 200
    comparison = answer.json()
    assert comparison["same_scenario"] is True
    assert comparison["requirements"] == comparison["proposals"] == comparison["pledges"] == []


def test_the_public_reads_the_newest_plan_as_aggregates_only(client, world: World):
    assert client.get("/api/v1/public/plan").status_code == 404
    world.plans()
    answer = client.get("/api/v1/public/plan")
    assert answer.status_code == 200
    shown = answer.json()
    assert set(shown) == {
        "number", "created_at", "status", "total_spend", "base_currency", "scenario_sha256",
        "capabilities",
    }  # fmt: skip
    assert "pledge" not in answer.text
