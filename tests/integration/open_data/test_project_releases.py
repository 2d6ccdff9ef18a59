"""Capacity projects and the investments into them as OCDS planning releases (issue 17): in
the public tier, without locations, validated against the OCDS 1.1.5 schema like the rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from kuznia.db import registries as db
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.upsert import upsert
from kuznia.services.open_data.ocds import release_package
from kuznia.services.open_data.ocds_processes import Tier
from kuznia.services.open_data.ocds_schema import package_bytes, validation_errors
from kuznia.services.registries import records
from tests.integration.contracting.world import COORDINATOR, PUBLIC, load_world

PUBLISHED = datetime(2026, 6, 1, tzinfo=UTC)
SECRET = "SECRET plant road 7, Vojens"


def _project(uow, project_id: str, *steps: str) -> None:
    records.create_record(
        uow,
        "capacity_projects",
        {
            "id": project_id,
            "company_id": "co-ua-2",
            "site_id": "site-dk-secret",
            "site_country": "DK",
            "capability_id": "fpv",
            "capex_cents": 1_250_000_000,
            "currency": "EUR",
            "earliest_start": "2026-04",
            "build_months": 8,
            "unit_cost_cents": 45_000,
            "monthly_capacity": 2000,
            "ramp_up_months": 3,
            "offtake_until": "2030-12",
            "offtake_share_percent": 100,
        },
    )
    for status in steps:
        records.change_project_status(uow, project_id, status, None)


@pytest.fixture
def world(database):
    """A vetted project at a secret Danish site with a grant into it, a submitted project, a
    company-to-company investment; and no contract at all."""
    load_world(database)
    with database.unit_of_work(Actor.system("test")) as uow:
        upsert(uow, db.Company, [{"id": "co-de", "name": "Notional GmbH", "country": "DE"}])
        upsert(
            uow,
            db.Site,
            [{"id": "site-dk-secret", "company_id": "co-ua-2", "name": "Plant", "country": "DK",
              "address": SECRET, "latitude": "55.2500", "longitude": "9.3000"}],
        )  # fmt: skip
        _project(uow, "proj-dk", "vetted")
        _project(uow, "proj-new")
        for ident, target in (("inv-p", {"target_project_id": "proj-dk"}),
                              ("inv-c", {"target_company_id": "co-ua-2"})):  # fmt: skip
            records.create_record(
                uow,
                "investments",
                {"id": ident, "investor_company_id": "co-de", "from_country": "DE",
                 "to_country": "DK" if "target_project_id" in target else "UA",
                 "instrument": "grant", "amount_cents": 300_000_000, "currency": "EUR",
                 "month": "2026-03", **target},
            )  # fmt: skip
    return database


@pytest.fixture
def paid(world):
    """The grant into the vetted project: 1,000,000.00 EUR committed, 400,000.00 EUR paid."""
    from kuznia.money import Money
    from kuznia.services.contracting.investment_money import commit_to_investment
    from kuznia.services.contracting.money_flows import FlowRequest, disburse

    with world.unit_of_work(COORDINATOR) as uow:
        committed = FlowRequest(Money.parse("1000000.00", "EUR"), reference="SECRET-REF-1")
        commitment = commit_to_investment(uow, "inv-p", committed)
        disburse(uow, commitment.id, FlowRequest(Money.parse("400000.00", "EUR")))
    return world


def _package(database, actor=PUBLIC, tier=Tier.PUBLIC) -> bytes:
    with database.reading() as session:
        return package_bytes(release_package(session, actor, tier=tier, published=PUBLISHED))


@pytest.mark.parametrize(
    ("tier", "actor"), [(Tier.PUBLIC, PUBLIC), (Tier.CONFIDENTIAL, COORDINATOR)]
)
def test_the_package_with_projects_validates_against_the_ocds_schema(world, tier, actor):
    assert validation_errors(_package(world, actor, tier)) == []


def test_a_reviewed_project_is_a_planning_release_with_its_capex_as_budget(world):
    releases = {r["ocid"]: r for r in json.loads(_package(world))["releases"]}
    project = releases["ocds-kuznia-proj-dk"]
    assert project["tag"] == ["planning"]
    assert project["planning"]["budget"]["amount"] == {"amount": 12500000, "currency": "EUR"}
    assert "2000 " in project["planning"]["rationale"]
    assert "ocds-kuznia-proj-new" not in releases


def test_an_investment_into_a_project_is_a_planning_release_related_to_it(world):
    releases = {r["ocid"]: r for r in json.loads(_package(world))["releases"]}
    grant = releases["ocds-kuznia-inv-p"]
    assert grant["planning"]["budget"]["amount"] == {"amount": 3000000, "currency": "EUR"}
    assert grant["relatedProcesses"][0]["identifier"] == "ocds-kuznia-proj-dk"
    assert "ocds-kuznia-inv-c" not in releases


@pytest.mark.parametrize(
    ("tier", "actor"), [(Tier.PUBLIC, PUBLIC), (Tier.CONFIDENTIAL, COORDINATOR)]
)
def test_no_location_of_a_project_is_published(world, tier, actor):
    text = _package(world, actor, tier).decode()
    for secret in (SECRET, "55.25", "9.3000", "site-dk-secret"):
        assert secret not in text


@pytest.mark.parametrize(
    ("tier", "actor"), [(Tier.PUBLIC, PUBLIC), (Tier.CONFIDENTIAL, COORDINATOR)]
)
def test_an_investments_commitments_and_disbursements_are_its_financing_milestones(
    paid, tier, actor
):
    package = _package(paid, actor, tier)
    assert validation_errors(package) == []
    releases = {r["ocid"]: r for r in json.loads(package)["releases"]}
    milestones = releases["ocds-kuznia-inv-p"]["planning"]["milestones"]
    assert [(m["type"], m["status"], m["kuznia:transactionType"]) for m in milestones] == [
        ("financing", "met", "commitment"),
        ("financing", "met", "disbursement"),
    ]
    assert milestones[1]["kuznia:value"] == {"amount": 400000, "currency": "EUR"}
    assert "SECRET-REF-1" not in package.decode()
