"""Every route x every role x (own / other organisation's record), enumerated from the OpenAPI
document itself: a route missing from the access matrix (``access.py``) fails this test, and no
response may carry a secret value its reader may not see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from kuznia.services.identity.sessions import SessionPolicy, issue_token
from kuznia.services.registries.catalogue import REGISTRIES
from tests.integration.api.access import EXPECTED, ROLE_ORDER, expected_status
from tests.integration.api.world import (
    OWNERS,
    PATCHES,
    World,
    _investor_changes,
    fresh,
    record_body,
)

METHODS = ("get", "post", "put", "patch", "delete")
OWNER_KEYS = {"own": "a", "other": "b"}


@dataclass
class Call:
    path: str
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _token_of(world: World, persona: str) -> str:
    with world.database.unit_of_work(world.actors[persona]) as uow:
        doc, _ = issue_token(uow, "matrix", 1, SessionPolicy())
    return str(doc["id"])


def _key(role: str, owner: str, entity: str) -> str:
    """Whose registry record: the investor's own are its firm's and fund's (i); it has no
    contracts, so its "own" contract, commitment or delivery is the personas' (a)."""
    if role == "investor" and owner == "own" and entity in REGISTRIES:
        return "i"
    return OWNER_KEYS[owner]


def _persona(role: str, owner: str) -> str:
    """Whose record: the acting role's own, or the other company's (any other organisation)."""
    if owner == "other" or role == "anonymous":
        return "other_company" if role != "other_company" else "company"
    return role


QUERIES = {"/api/v1/log/proof": "?seq=0"}
"""Query parameters a route needs to answer with its record (without them: 404)."""
DRAFT_CONTRACT_ROUTES = {"/api/v1/contracts/{id}", "/api/v1/contracts/{id}/signature"}
"""Contract routes for a draft; the others (money, deliveries) need a signed contract."""
PRODUCING_CONTRACT_ROUTES = {"/api/v1/contracts/{id}/completion"}
"""Contract routes for a contract in production with every unit delivered and paid."""
DELIVERED_CONTRACT_ROUTES = {"/api/v1/contracts/{id}/deliveries"}
"""Contract routes for a signed contract with a delivery to a secret destination (GET)."""


def _target(world: World, method: str, template: str, role: str, owner: str) -> str:
    """The path with its parameter filled by a fresh record of the right owner."""
    parts = template.split("/")
    entity = parts[3]
    if "{id}" not in parts and "{token_id}" not in parts:
        return template + QUERIES.get(template, "")
    key = _key(role, owner, entity)
    if entity == "companies" and method == "GET":  # a company's own record is itself
        record = {"a": "co-a", "b": "co-b", "i": "co-inv"}[key]
    elif entity in REGISTRIES:
        record = world.record(entity, key)
    elif entity == "organisations":
        record = world.organisations[_persona(role, owner)]
    elif entity == "users":
        record = world.users[_persona(role, owner)]
    elif entity == "tokens":
        record = _token_of(world, _persona(role, owner))
    elif entity == "jobs":
        record = world.job(_persona(role, owner))
    elif entity == "plans":
        record, other = world.plans()
        template += f"?with={other}" if template.endswith("/compare") else ""
    elif entity == "contracts" and method == "GET" and template in DELIVERED_CONTRACT_ROUTES:
        record = world.delivered(OWNER_KEYS[owner])[0]
    elif entity == "contracts" and template in PRODUCING_CONTRACT_ROUTES:
        record = world.completable(OWNER_KEYS[owner])
    elif entity == "contracts":
        signed = template not in DRAFT_CONTRACT_ROUTES
        record = world.contract(OWNER_KEYS[owner], signed=signed)
    elif entity == "commitments":
        disbursed = template.endswith("/expenditures")
        record = world.commitment(OWNER_KEYS[owner], disbursed=disbursed)
    elif entity == "deliveries":
        record = world.delivery(OWNER_KEYS[owner])
    elif entity == "risk-classes":
        record = risk_class(world)
    elif entity == "site-risks":
        record = world.record("sites", OWNER_KEYS[owner])
    elif entity == "risk-evaluations":
        record = risk_evaluation(world)
    elif entity == "invest":
        record = world.record("capacity_projects", _key(role, owner, "capacity_projects"))
    else:
        raise AssertionError(f"no target factory for {template}: add one to this test")
    return template.replace("{id}", record).replace("{token_id}", record)


def risk_class(world: World) -> str:
    """A new risk class, in use by no site."""
    from kuznia.services.resilience.classes import put_risk_class

    ident = fresh("class")
    with world.database.unit_of_work(world.actors["coordinator"]) as uow:
        put_risk_class(uow, {"id": ident, "monthly_probability": 0.01,
                             "durations": [{"months": 1, "probability": 1.0}]})  # fmt: skip
    return ident


def risk_evaluation(world: World) -> str:
    """A stored evaluation of the world's first plan (as a finished risk job stores it)."""
    from kuznia.db.resilience import EvaluationKind, RiskEvaluation

    ident = fresh("risk")
    with world.database.transaction() as session:
        row = RiskEvaluation(
            id=ident, plan_id=world.plans()[0], kind=EvaluationKind.EVALUATE, paths=1, seed=0,
            risk_sha256="0" * 64, created_by="matrix",
            document={"format": "kuznia.risk-evaluation/1", "sites": []},
        )  # fmt: skip
        session.add(row)
    return ident


NO_BODY = {
    ("POST", "/api/v1/log/checkpoint"),
    ("POST", "/api/v1/contracts/{id}/signature"),
    ("POST", "/api/v1/contracts/{id}/production"),
    ("POST", "/api/v1/contracts/{id}/completion"),
    ("POST", "/api/v1/jobs/{id}/cancel"),
}
MONEY = {"amount": "100.00", "currency": "EUR", "reference": "matrix"}


def _contract_body(world: World, key: str, company: str) -> dict[str, Any]:
    return {
        "title": "matrix contract",
        "pledge_id": world.record("pledges", key),
        "company_id": company,
        "capability_id": "cap-1",
        "proposal_id": world.record("proposals", key),
        "units": 4,
        "amount": "480.00",
        "currency": "EUR",
        "schedule": {"2026-03": 2, "2026-04": 2},
    }


def _body(
    world: World, template: str, method: str, owner: str, role: str = "company"
) -> dict[str, Any] | None:
    entity = template.split("/")[3]
    key = _key(role, owner, entity)
    company, partner = OWNERS[key]
    special: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
        ("POST", "/api/v1/session"): lambda: {
            "email": f"{fresh('nobody')}@test.kuznia",
            "password": "not the password",
        },
        ("POST", "/api/v1/me/password"): lambda: {
            "current_password": "not the password",
            "new_password": "a brand new long password",
        },
        ("POST", "/api/v1/tokens"): lambda: {"name": "matrix"},
        ("POST", "/api/v1/organisations"): lambda: {"name": "Audit body", "kind": "audit"},
        ("POST", "/api/v1/users"): lambda: {
            "organisation_id": "org-auditor",
            "email": f"{fresh('new')}@test.kuznia",
            "name": "New",
        },
        ("PATCH", "/api/v1/users/{id}"): lambda: {"name": "Renamed"},
        ("POST", "/api/v1/proposals/{id}/review"): lambda: {"decision": "vetted"},
        # rejected, not vetted: a vetted project would enter every later plan of this world
        ("POST", "/api/v1/capacity_projects/{id}/status"): lambda: {"status": "rejected"},
        ("POST", "/api/v1/reviews"): lambda: {"proposals": [], "pledges": []},
        ("POST", "/api/v1/plans"): lambda: {"label": "matrix"},
        ("POST", "/api/v1/jobs"): lambda: {"kind": "plan", "label": "matrix"},
        ("POST", "/api/v1/contracts"): lambda: _contract_body(world, key, company),
        ("POST", "/api/v1/contracts/from-plan"): lambda: {"plan_id": world.funded_plan()},
        ("POST", "/api/v1/contracts/{id}/termination"): lambda: {"reason": "matrix"},
        ("POST", "/api/v1/contracts/{id}/amendments"): lambda: {
            "reason": "matrix",
            "title": "amended by the matrix",
        },
        ("POST", "/api/v1/contracts/{id}/commitments"): lambda: MONEY,
        ("POST", "/api/v1/investments/{id}/commitments"): lambda: MONEY,
        ("POST", "/api/v1/commitments/{id}/disbursements"): lambda: MONEY,
        ("POST", "/api/v1/commitments/{id}/expenditures"): lambda: MONEY,
        ("POST", "/api/v1/deliveries/{id}/inspection"): lambda: {"accepted_units": 1},
        ("PUT", "/api/v1/risk-classes/{id}"): lambda: {
            "monthly_probability": 0.01,
            "durations": [{"months": 1, "probability": 1.0}],
        },
        ("PUT", "/api/v1/site-risks/{id}"): lambda: {"risk_class_id": risk_class(world)},
        ("POST", "/api/v1/risk-evaluations"): lambda: {"plan_id": world.plans()[0], "paths": 5},
        ("POST", "/api/v1/contracts/{id}/deliveries"): lambda: {
            "delivered_on": "2026-03-02",
            "units": 1,
            "destination": world.destination(key),
        },
    }
    if (method, template) in NO_BODY:
        return None
    if (method, template) in special:
        return special[(method, template)]()
    if entity in REGISTRIES and method == "POST" and template.count("/") == 3:
        return {**record_body(entity, company=company, partner=partner),
                **_investor_changes(entity, key)}  # fmt: skip
    if entity in REGISTRIES and method == "PATCH":
        return PATCHES[entity]
    if method in ("POST", "PATCH", "PUT"):
        raise AssertionError(f"no request body for {method} {template}: add one to this test")
    return None


def routes(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in openapi["paths"].items()
        for method in METHODS
        if method in item
    ]


def _check_secrets(world: World, role: str, text: str) -> list[str]:
    return [
        f"{role} saw secret {s.value!r}"
        for s in world.secrets
        if role not in s.visible_to and s.value in text
    ]


def _run_case(client, world: World, method: str, template: str, role: str, owner: str) -> list[str]:
    path = _target(world, method, template, role, owner)
    body = _body(world, template, method, owner, role)
    headers = {**world.headers(role), "If-Match": "*"}
    answer = client.request(method, path, json=body, headers=headers)
    want = expected_status(method, template, role, owner)
    problems = _check_secrets(world, role, answer.text)
    if answer.status_code != want:
        problems.append(
            f"{method} {template} as {role} ({owner}): {answer.status_code}, want {want}: "
            f"{answer.text[:200]}"
        )
    return problems


def test_every_route_in_the_openapi_document_has_a_row_in_the_access_matrix(client):
    listed = set(routes(client.get("/api/openapi.json").json()))
    assert sorted(listed - set(EXPECTED)) == [], "add these routes to access.py"
    assert sorted(set(EXPECTED) - listed) == [], "these rows name routes that do not exist"


def _publish(client, world: World) -> None:
    """Plans, signed contracts with deliveries to secret destinations, and a signed checkpoint:
    so that the public, open-data and log routes have something to show (and could leak)."""
    world.plans()
    world.delivery("a")
    world.delivery("b")
    answer = client.post("/api/v1/log/checkpoint", headers=world.headers("coordinator"))
    assert answer.status_code == 201, answer.text


@pytest.mark.slow
def test_every_route_answers_every_role_as_the_matrix_says_and_leaks_no_secret(client, world):
    problems: list[str] = []
    _publish(client, world)
    for method, template in routes(client.get("/api/openapi.json").json()):
        if (method, template) not in EXPECTED:
            continue  # reported by the test above
        owners = ("own", "other") if "{" in template else ("own",)
        for role in ROLE_ORDER:
            for owner in owners:
                problems += _run_case(client, world, method, template, role, owner)
    assert problems == []


def test_secret_fields_stay_hidden_in_lists_and_the_audit_trail(client, world: World):
    _publish(client, world)
    paths = (
        "/api/v1/sites?limit=200",
        "/api/v1/audit?limit=200",
        "/api/v1/audit?entity=deliveries&limit=200",
        "/api/v1/log/leaves?limit=1000",
        "/api/v1/open-data/ocds/releases.json",
        "/api/v1/open-data/feed?limit=1000",
    )
    for role in ROLE_ORDER:
        for path in paths:
            answer = client.get(path, headers=world.headers(role))
            assert _check_secrets(world, role, answer.text) == []
    # not vacuous: the secrets are there for whoever may see them
    trail = client.get(paths[2], headers=world.headers("coordinator")).text
    assert all(s.value in trail for s in world.secrets if s.value.endswith("-depot"))
