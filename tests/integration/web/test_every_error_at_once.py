"""Every error at once (issue 15): two independent bad fields of a registry record are both
reported, through the API's problem+json and through the web form, and nothing is written."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kuznia.api.deps import SESSION_COOKIE
from kuznia.services.identity.sessions import SessionPolicy, log_in
from tests.integration.api.conftest import _cheap_argon2, make_client, world
from tests.integration.api.world import PASSWORD, World
from tests.support.dump import dump_tables

__all__ = ["_cheap_argon2", "world"]  # the API tests' fixtures

PROPOSAL = {"company_id": "co-a", "site_country": "UA", "unit_cost_cents": 12_000,
            "monthly_capacity": 10, "lead_time_months": 1, "ramp_up_months": 1}  # fmt: skip
"""A proposal whose capability is unknown and whose currency has no planning rate."""


@pytest.fixture
def web(world: World) -> Iterator[object]:
    with make_client(world.database) as client:
        yield client


def test_the_api_lists_an_unknown_reference_and_a_currency_without_a_rate_together(
    web, world: World
):
    before = dump_tables(world.database)
    body = {**PROPOSAL, "capability_id": "cap-nowhere", "currency": "JPY"}
    answer = web.post("/api/v1/proposals", json=body, headers=world.headers("coordinator"))
    assert answer.status_code == 422, answer.text
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"capability_id", "currency"} <= fields, answer.json()
    assert dump_tables(world.database) == before


def test_the_web_form_shows_a_typing_error_and_a_schema_error_in_one_round(web, world: World):
    signed = log_in(world.database, "coordinator@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    web.cookies.set(SESSION_COOKIE, signed.token)
    page = web.get("/registries/requirements/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    before = dump_tables(world.database)
    answer = web.post("/registries/requirements/new", follow_redirects=False, data={
        "csrf_token": token.group(1), "capability_id": "cap-1", "quantity": "0",
        "due_month": "2026-13", "priority": "1"})  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity"' in answer.text  # the schema's: at least 1
    assert 'id="error-due_month"' in answer.text  # the typing: not a month
    assert dump_tables(world.database) == before


def test_the_web_form_shows_an_unknown_reference_and_the_rules_together(web, world: World):
    signed = log_in(world.database, "coordinator@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    web.cookies.set(SESSION_COOKIE, signed.token)
    page = web.get("/registries/pledges/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    before = dump_tables(world.database)
    answer = web.post("/registries/pledges/new", follow_redirects=False, data={
        "csrf_token": token.group(1), "partner_id": "partner-a", "amount": "1000.00",
        "currency": "JPY", "valid_from": "2026-06", "valid_to": "2026-01"})  # fmt: skip
    assert answer.status_code == 422, answer.text[:500]
    assert 'id="error-partner_id"' in answer.text  # no partner-a: a reference to nothing
    assert 'id="error-valid_to"' in answer.text
    assert 'id="error-currency"' in answer.text
    assert dump_tables(world.database) == before
