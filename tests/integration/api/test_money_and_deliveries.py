"""Money and deliveries over HTTP: commit, disburse, spend, list a contract's flows; report,
list and inspect deliveries; overspending names the field; destinations stay secret."""

from __future__ import annotations

from typing import Any

from tests.integration.api.world import World

API = "/api/v1"


def _fields(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem["errors"]]


def _post(client, path: str, world: World, role: str, body: Any = None, **headers: str):
    return client.post(f"{API}{path}", json=body, headers={**world.headers(role), **headers})


def _money(amount: str, currency: str = "EUR", **more: Any) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, **more}


def test_money_moves_from_commitment_to_disbursement_to_expenditure(client, world: World):
    contract = world.contract("a", signed=True)
    key = {"Idempotency-Key": "commit-1"}
    body = _money("300.00", value_date="2026-03-01", reference="DK-1")
    made = _post(client, f"/contracts/{contract}/commitments", world, "partner", body, **key)
    assert made.status_code == 201, made.text
    commitment = made.json()
    assert (commitment["kind"], commitment["iati_transaction_type"]) == ("commitment", "2")
    assert (commitment["amount"], commitment["currency"]) == ("300.00", "EUR")
    assert commitment["pledge_id"]
    assert commitment["commitment_id"] is None
    replay = _post(client, f"/contracts/{contract}/commitments", world, "partner", body, **key)
    assert replay.json() == commitment
    paid = _post(client, f"/commitments/{commitment['id']}/disbursements", world, "partner",
                 _money("200.00"))  # fmt: skip
    assert paid.status_code == 201, paid.text
    assert (paid.json()["iati_transaction_type"], paid.json()["commitment_id"]) == (
        "3",
        commitment["id"],
    )
    spent = _post(client, f"/commitments/{commitment['id']}/expenditures", world, "company",
                  _money("150.50"))  # fmt: skip
    assert spent.status_code == 201, spent.text
    assert (spent.json()["kind"], spent.json()["amount"]) == ("expenditure", "150.50")
    flows = client.get(f"{API}/contracts/{contract}/money-flows", headers=world.headers("company"))
    assert [(f["kind"], f["amount"]) for f in flows.json()["items"]] == [
        ("commitment", "300.00"),
        ("disbursement", "200.00"),
        ("expenditure", "150.50"),
    ]
    only = client.get(
        f"{API}/contracts/{contract}/money-flows?kind=disbursement&limit=1",
        headers=world.headers("auditor"),
    ).json()
    assert ([f["id"] for f in only["items"]], only["next_cursor"]) == ([paid.json()["id"]], None)
    balance = client.get(
        f"{API}/pledges/{commitment['pledge_id']}/balance", headers=world.headers("partner")
    ).json()
    assert balance == {"currency": "EUR", "amount": "10000.00", "committed": "300.00",
                       "disbursed": "200.00", "spent": "150.50", "free": "9700.00"}  # fmt: skip


def test_overspending_is_a_conflict_naming_the_amount(client, world: World):
    contract = world.contract("a", signed=True)
    commit = f"/contracts/{contract}/commitments"
    over_contract = _post(client, commit, world, "partner", _money("1000.01"))
    assert (over_contract.status_code, _fields(over_contract.json())) == (409, ["amount"])
    commitment = _post(client, commit, world, "partner", _money("100.00")).json()["id"]
    over = _post(client, f"/commitments/{commitment}/disbursements", world, "partner",
                 _money("100.01"))  # fmt: skip
    assert (over.status_code, _fields(over.json())) == (409, ["amount"])
    assert "100.00 EUR left to disburse" in over.json()["detail"]
    unpaid = _post(client, f"/commitments/{commitment}/expenditures", world, "company",
                   _money("0.01"))  # fmt: skip
    assert (unpaid.status_code, _fields(unpaid.json())) == (409, ["amount"])
    draft = world.contract("a")
    early = _post(client, f"/contracts/{draft}/commitments", world, "partner", _money("1.00"))
    assert early.status_code == 409


def test_only_the_payer_moves_money_and_only_the_company_reports_spending(client, world: World):
    own = world.commitment("a", disbursed=True)
    other = world.commitment("b", disbursed=True)
    cases = [
        ("company", f"/commitments/{own}/disbursements", 403),
        ("auditor", f"/commitments/{own}/disbursements", 403),
        ("partner", f"/commitments/{other}/disbursements", 404),
        ("partner", f"/commitments/{own}/expenditures", 403),
        ("other_company", f"/commitments/{own}/expenditures", 404),
        ("coordinator", "/commitments/flow-nothing/disbursements", 404),
    ]
    for role, path, status in cases:
        assert _post(client, path, world, role, _money("1.00")).status_code == status, (role, path)
    assert (
        client.post(f"{API}/commitments/{own}/disbursements", json=_money("1.00")).status_code
        == 401
    )
    for body, field in (
        (_money("1.234"), "body.amount"),
        (_money("-1.00"), "body.amount"),
        (_money("1.00", "AAA"), "body.currency"),
        ({**_money("1.00"), "value_date": "yesterday"}, "body.value_date"),
        ({"amount": "1.00"}, "body.currency"),
    ):
        answer = _post(client, f"/commitments/{own}/disbursements", world, "partner", body)
        assert (answer.status_code, _fields(answer.json())) == (422, [field]), body


def test_a_flow_in_another_currency_keeps_the_original_amount_and_rate(client, world: World):
    contract = world.contract("a", signed=True)
    made = _post(client, f"/contracts/{contract}/commitments", world, "coordinator",
                 _money("100.00", "USD"))  # fmt: skip
    assert made.status_code == 201, made.text
    flow = made.json()
    assert (flow["amount"], flow["currency"]) == ("92.00", "EUR")
    assert (flow["original_amount"], flow["original_currency"]) == ("100.00", "USD")
    assert flow["fx_rate"] == "0.92"


def test_delivery_destinations_are_shown_only_to_the_coordinator_and_the_company(
    client, world: World
):
    contract, delivery = world.delivered("a")
    secret = world.secrets[-1].value
    path = f"{API}/contracts/{contract}/deliveries"
    for role, shown in (("coordinator", True), ("company", True), ("partner", False),
                        ("auditor", False)):  # fmt: skip
        answer = client.get(path, headers=world.headers(role))
        assert answer.status_code == 200, answer.text
        (item,) = answer.json()["items"]
        assert item["id"] == delivery
        assert (item["destination"] == secret, item["destination_hidden"]) == (shown, not shown)
        assert (secret in answer.text) == shown
    assert client.get(path, headers=world.headers("other_company")).status_code == 404


def test_a_delivery_is_reported_once_per_key_and_not_beyond_the_contract(client, world: World):
    contract = world.contract("a", signed=True)
    path, key = f"/contracts/{contract}/deliveries", {"Idempotency-Key": "dlv-1"}
    body = {"delivered_on": "2026-03-05", "units": 4, "destination": "SECRET-depot-api"}
    made = _post(client, path, world, "company", body, **key)
    assert made.status_code == 201, made.text
    assert (made.json()["status"], made.json()["month"], made.headers["ETag"]) == (
        "reported",
        "2026-03",
        '"1"',
    )
    assert made.json()["destination"] == "SECRET-depot-api"
    assert _post(client, path, world, "company", body, **key).json() == made.json()
    too_many = _post(client, path, world, "company", {**body, "units": 7})
    assert (too_many.status_code, _fields(too_many.json())) == (409, ["units"])
    zero = _post(client, path, world, "company", {**body, "units": 0})
    assert (zero.status_code, _fields(zero.json())) == (422, ["body.units"])
    read = client.get(f"{API}/contracts/{contract}", headers=world.headers("company")).json()
    assert read["status"] == "in_production"


def test_an_inspection_accepts_or_rejects_with_a_claim_and_answers_to_if_match(
    client, world: World
):
    contract, delivery = world.delivered("a")
    second = _post(client, f"/contracts/{contract}/deliveries", world, "coordinator",
                   {"delivered_on": "2026-04-01", "units": 3}).json()["id"]  # fmt: skip
    path = f"/deliveries/{second}/inspection"
    assert _post(client, path, world, "coordinator", {"accepted_units": 3}).status_code == 428
    assert (
        _post(
            client, path, world, "partner", {"accepted_units": 3}, **{"If-Match": "*"}
        ).status_code
        == 403
    )
    for body, field in (
        ({"accepted_units": 1}, "claim_reason"),
        ({"accepted_units": 4}, "accepted_units"),
        ({"accepted_units": -1}, "body.accepted_units"),
    ):
        answer = _post(client, path, world, "coordinator", body, **{"If-Match": '"1"'})
        assert (answer.status_code, _fields(answer.json())) == (422, [field]), body
    stale = _post(client, path, world, "coordinator", {"accepted_units": 3}, **{"If-Match": '"2"'})
    assert stale.status_code == 412
    claim = {"accepted_units": 1, "claim_reason": "two arrived broken"}
    done = _post(client, path, world, "coordinator", claim, **{"If-Match": '"1"'})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["rejected_units"], done.headers["ETag"]) == (
        "partially_accepted",
        2,
        '"2"',
    )
    assert done.json()["claim_reference"] == f"claim-{second}"
    again = _post(client, path, world, "coordinator", {"accepted_units": 3}, **{"If-Match": "*"})
    assert again.status_code == 409
    assert _post(client, "/deliveries/dlv-none/inspection", world, "coordinator",
                 {"accepted_units": 0}, **{"If-Match": "*"}).status_code == 404  # fmt: skip
    first = f"/deliveries/{delivery}/inspection"
    _post(client, first, world, "coordinator", {"accepted_units": 1}, **{"If-Match": "*"})
    listed = client.get(
        f"{API}/contracts/{contract}/deliveries?limit=1", headers=world.headers("company")
    )
    page = listed.json()
    assert [d["id"] for d in page["items"]] == [second]  # the inspected one moved to the end
    rest = client.get(
        f"{API}/contracts/{contract}/deliveries?cursor={page['next_cursor']}",
        headers=world.headers("company"),
    ).json()
    assert [(d["id"], d["status"]) for d in rest["items"]] == [(delivery, "accepted")]


def test_the_delivery_table_shows_money_as_decimal_strings(client, world: World):
    contract = world.contract("a", signed=True)
    _post(client, f"/contracts/{contract}/commitments", world, "partner", _money("250.00"))
    rows = client.get(f"{API}/deliveries/table", headers=world.headers("company")).json()
    (row,) = [r for r in rows if r["funded"] != "0.00"]
    assert (row["company_id"], row["funded"], row["currency"]) == ("co-a", "250.00", "EUR")
    assert client.get(f"{API}/deliveries/table").status_code == 401
