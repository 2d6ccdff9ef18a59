"""Hardening: body size limit, strict input, security headers, CORS closed, errors that name
the field and echo no value."""

from __future__ import annotations

from kuznia.api.problems import status_of
from kuznia.transparency.errors import BadSignature, InvalidProof
from tests.integration.api.conftest import make_client
from tests.integration.api.world import World


def test_a_body_over_the_limit_is_refused_before_it_is_read(world: World):
    with make_client(world.database, max_body_bytes=2048) as client:
        big = {"name": "x" * 5000, "unit": "u"}
        answer = client.post("/api/v1/capabilities", json=big, headers=world.headers("coordinator"))
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


def test_unknown_query_parameters_are_refused(client, world: World):
    answer = client.get("/api/v1/sites?colour=red", headers=world.headers("coordinator"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "query.colour"


def test_every_answer_carries_security_headers(client):
    headers = client.get("/api/v1/health").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["strict-transport-security"].startswith("max-age=")


def test_cors_is_closed_unless_origins_are_configured(client, world: World):
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    assert (
        "access-control-allow-origin"
        not in client.options("/api/v1/sites", headers=preflight).headers
    )
    with make_client(world.database, cors_origins=["https://ok.example"]) as open_client:
        allowed = open_client.get("/api/v1/health", headers={"Origin": "https://ok.example"})
        refused = open_client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    assert "access-control-allow-origin" not in refused.headers


def test_a_validation_error_names_the_field_and_does_not_echo_the_value(client, world: World):
    secret = "SECRET-never-echo-this-" + "x" * 400
    site = {"company_id": "co-a", "name": "n", "country": "UA", "address": secret}
    answer = client.post("/api/v1/sites", json=site, headers=world.headers("company"))
    assert answer.status_code == 422
    assert "body.address" in [e["field"] for e in answer.json()["errors"]]
    assert "SECRET-never" not in answer.text


def test_a_reference_to_a_missing_record_is_an_error_on_that_field(client, world: World):
    body = {"capability_id": "nope", "quantity": 1, "due_month": "2026-05", "priority": 1.0}
    answer = client.post("/api/v1/requirements", json=body, headers=world.headers("coordinator"))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "capability_id", "detail": "no such record"}]


def test_deleting_a_record_others_refer_to_is_a_conflict(client, world: World):
    world.record("requirements", "a")
    headers = {**world.headers("coordinator"), "If-Match": "*"}
    answer = client.delete("/api/v1/capabilities/cap-1", headers=headers)
    assert answer.status_code == 409


def test_numbers_beyond_a_database_integer_are_refused_by_name(client, world: World):
    headers = world.headers("coordinator")
    for path, name in (
        ("/api/v1/log/openings?seq=", "query.seq"),
        ("/api/v1/log/leaves?start=", "query.start"),
        ("/api/v1/log/proof?seq=", "query.seq"),
        ("/api/v1/log/consistency?new_size=", "query.new_size"),
    ):
        answer = client.get(path + str(2**63), headers=headers)
        assert answer.status_code == 422, path
        assert name in [e["field"] for e in answer.json()["errors"]]


def test_an_unknown_currency_is_an_error_on_that_field(client, world: World):
    contract = world.contract("a", signed=True)
    body = {"amount": "10.00", "currency": "AAA"}
    answer = client.post(
        f"/api/v1/contracts/{contract}/commitments", json=body, headers=world.headers("partner")
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body.currency"]


def test_a_stored_record_that_fails_verification_is_a_conflict():
    assert status_of(BadSignature("the checkpoint's signature does not verify")) == 409
    assert status_of(InvalidProof("the proof leads elsewhere")) == 409
