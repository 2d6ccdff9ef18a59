"""The mutual-investment balance (issue 17): per pair of countries, each way, by instrument,
over the investments the caller may read."""

from __future__ import annotations

from tests.integration.api.conftest import TestClient
from tests.integration.api.world import World, record_body


def _invest(world: World, company: str, target: str, to: str, cents: int, kind: str) -> str:
    body = {
        **record_body("investments", company=company, partner="partner-dk"),
        "target_company_id": target,
        "from_country": "UA" if company != "co-c" else "DE",
        "to_country": to,
        "amount_cents": cents,
        "instrument": kind,
    }
    return world.create("investments", body)


def test_the_balance_sums_each_way_by_instrument(client: TestClient, world: World) -> None:
    _invest(world, "co-a", "co-c", "DE", 500_000, "equity")
    _invest(world, "co-b", "co-c", "DE", 250_000, "equity")
    _invest(world, "co-c", "co-a", "UA", 100_000, "equity")
    _invest(world, "co-a", "co-c", "DE", 70_000, "grant")
    rows = client.get("/api/v1/investment-balance", headers=world.headers("coordinator")).json()
    assert rows == [
        {
            "first": "DE",
            "second": "UA",
            "instrument": "equity",
            "currency": "EUR",
            "first_to_second": "1000.00",
            "second_to_first": "7500.00",
            "net": "-6500.00",
            "investments": 3,
            "first_to_second_committed": "0.00",
            "second_to_first_committed": "0.00",
            "first_to_second_disbursed": "0.00",
            "second_to_first_disbursed": "0.00",
        },
        {
            "first": "DE",
            "second": "UA",
            "instrument": "grant",
            "currency": "EUR",
            "first_to_second": "0.00",
            "second_to_first": "700.00",
            "net": "-700.00",
            "investments": 1,
            "first_to_second_committed": "0.00",
            "second_to_first_committed": "0.00",
            "first_to_second_disbursed": "0.00",
            "second_to_first_disbursed": "0.00",
        },
    ]


def test_a_company_sees_the_balance_of_its_own_investments_only(
    client: TestClient, world: World
) -> None:
    _invest(world, "co-a", "co-c", "DE", 500_000, "loan")
    _invest(world, "co-b", "co-c", "DE", 250_000, "loan")
    rows = client.get("/api/v1/investment-balance", headers=world.headers("company")).json()
    assert [(r["instrument"], r["second_to_first"]) for r in rows] == [("loan", "5000.00")]


def test_an_investment_into_a_project_enters_the_project_site_country(
    client: TestClient, world: World
) -> None:
    project = world.create(
        "capacity_projects", record_body("capacity_projects", company="co-a", partner="-")
    )
    body = {
        **record_body("investments", company="co-a", partner="partner-dk"),
        "target_company_id": None,
        "target_project_id": project,
        "to_country": "DK",
        "instrument": "grant",
    }
    answer = client.post("/api/v1/investments", json=body, headers=world.headers("company"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["target_project_id"] == project


def test_the_balance_says_what_of_it_is_committed_and_paid_each_way(
    client: TestClient, world: World
) -> None:
    outward = _invest(world, "co-a", "co-c", "DE", 500_000, "loan")
    inward = _invest(world, "co-c", "co-a", "UA", 100_000, "loan")
    headers = world.headers("coordinator")
    for investment, committed, paid in ((outward, "3000.00", "1000.00"), (inward, "400.00", None)):
        answer = client.post(f"/api/v1/investments/{investment}/commitments", headers=headers,
                             json={"amount": committed, "currency": "EUR"})  # fmt: skip
        assert answer.status_code == 201, answer.text
        if paid:
            payment = {"amount": paid, "currency": "EUR"}
            path = f"/api/v1/commitments/{answer.json()['id']}/disbursements"
            assert client.post(path, headers=headers, json=payment).status_code == 201
    [row] = client.get("/api/v1/investment-balance", headers=headers).json()
    assert (row["first"], row["second"]) == ("DE", "UA")
    assert (row["first_to_second_committed"], row["second_to_first_committed"]) == (
        "400.00",
        "3000.00",
    )
    assert (row["first_to_second_disbursed"], row["second_to_first_disbursed"]) == (
        "0.00",
        "1000.00",
    )
    money = client.get(f"/api/v1/investments/{outward}/money", headers=headers).json()
    assert money["left_to_commit"] == "2000.00"
    assert money["left_to_disburse"] == "2000.00"
