"""The open-data routes: OCDS package, tracker CSV and the public feed, without a login."""

import csv
import io
import warnings
from datetime import date

import pytest

from kuznia.api import create_app
from kuznia.money import Money
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.open_data.ocds_schema import validation_errors
from kuznia.settings import load_settings
from tests.integration.contracting.world import UA_BUDGET, fpv_draft, load_world, signed

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette suggests httpx2 for its test client
    from fastapi.testclient import TestClient


@pytest.fixture
def client(database):
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    with database.unit_of_work(UA_BUDGET) as uow:
        commit_funds(uow, "contract-1", FlowRequest(Money.parse("99.99", "EUR"), date(2026, 2, 1)))
    settings = load_settings(database_url=str(database.engine.url))
    app = create_app(settings, database=database)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def test_anyone_gets_a_valid_public_ocds_package(client):
    response = client.get("/api/v1/open-data/ocds/releases.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert validation_errors(response.content) == []
    assert b'"amount": 99.99' in response.content


def test_the_confidential_tier_needs_the_coordinator(client):
    response = client.get("/api/v1/open-data/ocds/releases.json", params={"tier": "confidential"})
    assert response.status_code in {401, 403}


def test_the_tracker_csv_and_the_feed_are_public(client):
    tracker = client.get("/api/v1/open-data/tracker.csv")
    assert tracker.status_code == 200
    rows = list(csv.DictReader(io.StringIO(tracker.text)))
    assert rows[0]["value"] == "99.99"
    page = client.get("/api/v1/open-data/feed", params={"after": -1, "limit": 1000}).json()
    assert [i["entity"] for i in page["items"]] == ["contracts", "money_flows"]
    again = client.get("/api/v1/open-data/feed", params={"after": page["next_after"]}).json()
    assert again["items"] == []
    assert client.get("/api/v1/open-data/feed", params={"limit": 0}).status_code == 422
