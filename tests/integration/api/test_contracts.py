"""Contracts over HTTP: list in each one's scope, create by hand and from a stored plan, sign,
produce, complete, terminate, amend; If-Match, Idempotency-Key, CSRF, problems naming fields."""

from __future__ import annotations

from typing import Any

from kuznia.api.contracting_models import ContractOut, FlowOut
from kuznia.db.contracting import Contract, MoneyFlow
from tests.integration.api.world import PASSWORD, World
from tests.support.settle import settle

API = "/api/v1"


def _fields(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem["errors"]]


def _body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "4 drones",
        "pledge_id": world.record("pledges", "a"),
        "company_id": "co-a",
        "capability_id": "cap-1",
        "proposal_id": world.record("proposals", "a"),
        "units": 4,
        "amount": "480.00",
        "currency": "EUR",
        "schedule": {"2026-03": 1, "2026-04": 3},
    }
    return {**body, **changes}


def _post(client, path: str, world: World, role: str, body: Any = None, **headers: str):
    return client.post(f"{API}{path}", json=body, headers={**world.headers(role), **headers})


def test_the_documents_list_every_column_of_their_tables():
    contract = {c.key for c in Contract.__table__.columns} - {"amount_cents"}
    assert set(ContractOut.model_fields) == contract | {"amount", "schedule"}
    flow = {c.key for c in MoneyFlow.__table__.columns}
    flow -= {"amount_cents", "original_amount_cents"}
    assert set(FlowOut.model_fields) == flow | {
        "amount",
        "original_amount",
        "iati_transaction_type",
    }


def test_each_role_lists_only_the_contracts_it_may_read(client, world: World):
    own, other = world.contract("a"), world.contract("b", signed=True)

    def listed(role: str, query: str = "") -> set[str]:
        answer = client.get(f"{API}/contracts?limit=200{query}", headers=world.headers(role))
        assert answer.status_code == 200, answer.text
        return {c["id"] for c in answer.json()["items"]}

    assert listed("coordinator") == listed("auditor") == {own, other}
    assert listed("partner") == listed("company") == {own}
    assert listed("other_company") == {other}
    assert listed("coordinator", "&status=signed") == {other}
    assert listed("coordinator", "&company_id=co-a") == {own}
    assert client.get(f"{API}/contracts").status_code == 401


def test_the_contract_list_pages_in_commit_order_by_cursor(client, world: World):
    made = [world.contract("a") for _ in range(5)]
    headers = world.headers("partner")
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"{API}/contracts?{query}", headers=headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made
    bad = client.get(f"{API}/contracts?cursor=nonsense", headers=headers)
    assert bad.status_code == 422
    assert _fields(bad.json()) == ["cursor"]
    unknown = client.get(f"{API}/contracts?colour=red", headers=headers)
    assert unknown.status_code == 422
    assert _fields(unknown.json()) == ["query.colour"]


def test_a_contract_is_drawn_up_by_hand_once_per_idempotency_key(client, world: World):
    body = _body(world)
    made = _post(client, "/contracts", world, "coordinator", body, **{"Idempotency-Key": "k1"})
    assert made.status_code == 201, made.text
    contract = made.json()
    assert made.headers["ETag"] == '"1"'
    assert made.headers["Location"] == f"{API}/contracts/{contract['id']}"
    assert (contract["status"], contract["source"], contract["amount"]) == (
        "draft",
        "manual",
        "480.00",
    )
    assert contract["schedule"] == {"2026-03": 1, "2026-04": 3}
    assert contract["partner_id"] == "partner-dk"
    again = _post(client, "/contracts", world, "coordinator", body, **{"Idempotency-Key": "k1"})
    assert again.json() == contract
    assert again.headers["Idempotent-Replayed"] == "true"
    read = client.get(f"{API}/contracts/{contract['id']}", headers=world.headers("company"))
    assert read.json() == contract
    assert read.headers["ETag"] == '"1"'
    named = _post(client, "/contracts", world, "coordinator", _body(world, id="c-by-hand"))
    assert named.json()["id"] == "c-by-hand"
    assert (
        _post(client, "/contracts", world, "coordinator", _body(world, id="c-by-hand")).status_code
        == 409
    )


def test_a_contract_by_hand_refuses_bad_input_naming_the_field(client, world: World):
    cases = [
        ({"schedule": {"2026-03": 1}}, 422, ["schedule"]),
        ({"currency": "USD", "amount": "10.00"}, 422, ["amount"]),
        ({"company_id": "co-nobody", "proposal_id": None}, 422, ["company_id"]),
        ({"capability_id": "cap-nothing", "proposal_id": None}, 422, ["capability_id"]),
        ({"pledge_id": "pledge-nothing"}, 422, ["pledge_id"]),
        ({"amount": "1.234"}, 422, ["body.amount"]),
        ({"units": 0}, 422, ["body.units"]),
        ({"title": "a\x00b"}, 422, ["body.title"]),
        ({"colour": "red"}, 422, ["body.colour"]),
    ]
    for changes, status, fields in cases:
        answer = _post(client, "/contracts", world, "coordinator", _body(world, **changes))
        assert (answer.status_code, _fields(answer.json())) == (status, fields), changes
        assert answer.headers["content-type"] == "application/problem+json"
    month = _post(client, "/contracts", world, "coordinator", _body(world, schedule={"2026-13": 4}))
    assert month.status_code == 422
    assert all(f.startswith("body.schedule") for f in _fields(month.json()))
    for role in ("partner", "company", "auditor"):
        assert _post(client, "/contracts", world, role, _body(world)).status_code == 403


def test_contracts_are_drawn_from_a_stored_plan(client, world: World):
    plan_id = world.funded_plan()
    assert (
        _post(client, "/contracts/from-plan", world, "partner", {"plan_id": plan_id}).status_code
        == 403
    )
    missing = _post(client, "/contracts/from-plan", world, "coordinator", {"plan_id": "plan-x"})
    assert (missing.status_code, _fields(missing.json())) == (422, ["plan_id"])
    nothing = {"plan_id": plan_id, "pledge_id": "pledge-none"}
    assert _post(client, "/contracts/from-plan", world, "coordinator", nothing).status_code == 404
    made = _post(client, "/contracts/from-plan", world, "coordinator", {"plan_id": plan_id})
    assert made.status_code == 201, made.text
    (contract,) = made.json()["items"]
    assert (contract["source"], contract["status"], contract["company_id"]) == (
        "plan",
        "draft",
        "co-a",
    )
    assert sum(contract["schedule"].values()) == contract["units"] > 0
    assert len(contract["plan_scenario_sha256"]) == 64
    again = _post(client, "/contracts/from-plan", world, "coordinator", {"plan_id": plan_id})
    assert again.status_code == 409
    listed = client.get(f"{API}/contracts?limit=200", headers=world.headers("company")).json()
    assert contract["id"] in {c["id"] for c in listed["items"]}


def test_signing_producing_and_completing_answer_to_if_match(client, world: World):
    contract = world.contract("a")
    path = f"/contracts/{contract}"
    assert _post(client, f"{path}/signature", world, "coordinator").status_code == 428
    stale = _post(client, f"{path}/signature", world, "coordinator", **{"If-Match": '"7"'})
    assert stale.status_code == 412
    signed = _post(client, f"{path}/signature", world, "coordinator", **{"If-Match": '"1"'})
    assert (signed.status_code, signed.headers["ETag"]) == (200, '"2"')
    assert signed.json()["coordinator_signed_by"] == "coordinator@test.kuznia"
    both = _post(client, f"{path}/signature", world, "partner", **{"If-Match": '"2"'})
    assert both.json()["status"] == "signed"
    assert (
        _post(client, f"{path}/production", world, "partner", **{"If-Match": "*"}).status_code
        == 403
    )
    assert (
        _post(client, f"{path}/production", world, "other_company", **{"If-Match": "*"}).status_code
        == 404
    )
    started = _post(client, f"{path}/production", world, "company", **{"If-Match": '"3"'})
    assert (started.json()["status"], started.headers["ETag"]) == ("in_production", '"4"')
    assert (
        _post(client, f"{path}/completion", world, "company", **{"If-Match": "*"}).status_code
        == 403
    )
    settle(world.database, world.actors["coordinator"], contract)
    done = _post(client, f"{path}/completion", world, "coordinator", **{"If-Match": '"4"'})
    assert done.json()["status"] == "completed"
    again = _post(client, f"{path}/completion", world, "coordinator", **{"If-Match": "*"})
    assert again.status_code == 409
    assert client.get(f"{API}{path}", headers=world.headers("auditor")).headers["ETag"] == '"5"'


def test_a_termination_says_why_and_is_the_coordinators(client, world: World):
    contract = world.contract("a", signed=True)
    path, star = f"/contracts/{contract}/termination", {"If-Match": "*"}
    empty = _post(client, path, world, "coordinator", {"reason": ""}, **star)
    assert (empty.status_code, _fields(empty.json())) == (422, ["body.reason"])
    assert _post(client, path, world, "partner", {"reason": "no"}, **star).status_code == 403
    ended = _post(client, path, world, "coordinator", {"reason": "the line burned"}, **star)
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["terminated_reason"]) == (
        "terminated",
        "the line burned",
    )
    assert _post(client, path, world, "coordinator", {"reason": "twice"}, **star).status_code == 409


def test_an_amendment_keeps_the_terms_before_and_after_and_moves_the_etag(client, world: World):
    contract = world.contract("a", signed=True)
    path = f"/contracts/{contract}/amendments"
    body = {"reason": "capacity grew", "units": 12, "amount": "1200.00",
            "schedule": {"2026-03": 6, "2026-04": 6}}  # fmt: skip
    assert _post(client, path, world, "coordinator", body).status_code == 428
    assert _post(client, path, world, "partner", body, **{"If-Match": "*"}).status_code == 403
    made = _post(client, path, world, "coordinator", body, **{"If-Match": '"3"'})
    assert made.status_code == 201, made.text
    amendment = made.json()
    assert made.headers["ETag"] == '"4"'
    assert (amendment["before"]["units"], amendment["after"]["units"]) == (10, 12)
    assert amendment["after"]["amount_cents"] == 120_000
    assert amendment["amended_by"] == "coordinator@test.kuznia"
    read = client.get(f"{API}/contracts/{contract}", headers=world.headers("partner")).json()
    assert (read["units"], read["amount"], read["version"]) == (12, "1200.00", 4)
    title = {"reason": "renamed", "title": "twelve drones", "offtake_condition": None}
    assert (
        _post(client, path, world, "coordinator", title, **{"If-Match": '"4"'}).status_code == 201
    )
    listed = client.get(f"{API}{path}?limit=1", headers=world.headers("company")).json()
    assert [a["version"] for a in listed["items"]] == [4]
    rest = client.get(
        f"{API}{path}?cursor={listed['next_cursor']}", headers=world.headers("company")
    )
    assert [a["version"] for a in rest.json()["items"]] == [5]
    assert rest.json()["next_cursor"] is None
    assert client.get(f"{API}{path}", headers=world.headers("other_company")).status_code == 404


def test_an_amendment_refuses_bad_terms_naming_the_field(client, world: World):
    contract = world.contract("a", signed=True)
    path, star = f"/contracts/{contract}/amendments", {"If-Match": "*"}
    _post(client, f"/contracts/{contract}/commitments", world, "partner",
          {"amount": "900.00", "currency": "EUR"})  # fmt: skip
    cases = [
        ({"reason": "nothing"}, ["body"]),
        ({"reason": "clear", "title": None}, ["body"]),
        ({"reason": "more", "units": 11}, ["schedule"]),
        ({"reason": "x", "amount": "1.001"}, ["body.amount"]),
        ({"reason": "x", "export_licence_status": "lost"}, ["body.export_licence_status"]),
    ]
    for body, fields in cases:
        answer = _post(client, path, world, "coordinator", body, **star)
        assert (answer.status_code, _fields(answer.json())) == (422, fields), body
    cheaper = _post(
        client, path, world, "coordinator", {"reason": "less", "amount": "800.00"}, **star
    )
    assert (cheaper.status_code, _fields(cheaper.json())) == (409, ["amount"])
    assert "900.00 EUR is committed" in cheaper.json()["detail"]


def test_a_change_made_with_a_session_cookie_needs_the_csrf_token(client, world: World):
    contract = world.contract("a", signed=True)
    login = client.post(
        f"{API}/session", json={"email": "coordinator@test.kuznia", "password": PASSWORD}
    )
    csrf = login.json()["csrf_token"]
    path = f"{API}/contracts/{contract}/termination"
    body, star = {"reason": "cookie"}, {"If-Match": "*"}
    assert client.post(path, json=body, headers=star).status_code == 403
    answer = client.post(path, json=body, headers={**star, "X-CSRF-Token": csrf})
    assert answer.status_code == 200, answer.text
