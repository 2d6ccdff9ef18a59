"""OCDS release packages of contracts, money flows and deliveries, validated offline."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kuznia.db.contracting import Contract, ContractStatus, Delivery
from kuznia.errors import Forbidden, InvalidInput, NotFound
from kuznia.money import Money
from kuznia.services.contracting.amendments import amend_contract
from kuznia.services.contracting.contracts import (
    complete_contract,
    start_production,
    terminate_contract,
)
from kuznia.services.contracting.drafting import create_contract
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds, disburse
from kuznia.services.open_data.ocds import OcdsOptions, release_package
from kuznia.services.open_data.ocds_processes import Tier
from kuznia.services.open_data.ocds_schema import (
    package_bytes,
    package_validator,
    validation_errors,
)
from tests.integration.contracting.world import (
    COORDINATOR,
    DANISH,
    PUBLIC,
    UA_BUDGET,
    fpv_draft,
    load_world,
    shell_draft,
    signed,
)
from tests.support.settle import settle

DEPOT = "brigade depot, Kharkiv oblast, grid 37U"
PUBLISHED = datetime(2026, 6, 1, tzinfo=UTC)


def add_delivery(database, contract_id, delivery_id, units, accepted, status):
    with database.transaction() as session:
        session.add(
            Delivery(
                id=delivery_id,
                contract_id=contract_id,
                month="2026-03",
                delivered_on=date(2026, 3, 20),
                units=units,
                destination=DEPOT,
                status=status,
                accepted_units=accepted,
                rejected_units=units - accepted,
                claim_reason="cracked casings" if units > accepted else None,
                reported_by="ivan@co1",
            )
        )


@pytest.fixture
def world(database):
    """A signed contract with a commitment, a disbursement and two deliveries; a signed Danish
    contract with no money yet; a draft; a draft terminated before signing."""
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    signed(database, shell_draft(), DANISH)
    with database.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-draft", amount="1000.00"))
        create_contract(uow, fpv_draft("contract-gone", amount="1000.00"))
        terminate_contract(uow, "contract-gone", "the line closed")
    with database.unit_of_work(UA_BUDGET) as uow:
        commitment = commit_funds(
            uow, "contract-1", FlowRequest(Money.parse("150000.00", "EUR"), date(2026, 2, 1))
        )
        disburse(uow, commitment.id, FlowRequest(Money.parse("50000.05", "EUR"), date(2026, 3, 1)))
    add_delivery(database, "contract-1", "delivery-1", 100, 100, "accepted")
    add_delivery(database, "contract-1", "delivery-2", 50, 40, "partially_accepted")
    return database


def package(database, actor=PUBLIC, **kwargs):
    with database.reading() as session:
        return package_bytes(release_package(session, actor, published=PUBLISHED, **kwargs))


@pytest.mark.parametrize(
    ("tier", "actor"), [(Tier.PUBLIC, PUBLIC), (Tier.CONFIDENTIAL, COORDINATOR)]
)
def test_every_package_validates_against_the_ocds_1_1_5_schema(world, tier, actor):
    assert validation_errors(package(world, actor, tier=tier)) == []


def test_each_contract_has_planning_award_contract_and_implementation_releases(world):
    releases = json.loads(package(world))["releases"]
    by_ocid = {}
    for release in releases:
        by_ocid.setdefault(release["ocid"], []).extend(release["tag"])
    assert by_ocid == {
        "ocds-kuznia-contract-1": ["planning", "award", "contract", "implementation"],
        "ocds-kuznia-contract-dk": ["planning", "award", "contract"],
    }


def test_money_flows_are_transactions_with_exact_amounts_and_deliveries_are_milestones(world):
    document = json.loads(package(world), parse_float=Decimal)
    implementation = next(r for r in document["releases"] if r["tag"] == ["implementation"])
    done = implementation["contracts"][0]["implementation"]
    amounts = [(t["kuznia:transactionType"], t["value"]["amount"]) for t in done["transactions"]]
    assert amounts == [("commitment", Decimal("150000.00")), ("disbursement", Decimal("50000.05"))]
    assert done["transactions"][0]["payer"] == {"id": "ua-budget", "name": "ua-budget"}
    statuses = [(m["id"], m["status"]) for m in done["milestones"]]
    assert statuses[-2:] == [("delivery-1", "met"), ("delivery-2", "partiallyMet")]
    assert ("due-2026-03", "scheduled") in statuses


def test_the_public_package_carries_no_secret_field_and_no_draft(world):
    public = package(world).decode("utf-8")
    assert DEPOT not in public
    assert "destination" not in public
    assert "contract-draft" not in public
    assert "contract-gone" not in public
    confidential = package(world, COORDINATOR, tier=Tier.CONFIDENTIAL).decode("utf-8")
    assert DEPOT in confidential
    assert "ocds-kuznia-contract-draft" in confidential
    gone = [
        r
        for r in json.loads(confidential)["releases"]
        if r["id"].startswith("ocds-kuznia-contract-gone-contract")
    ]
    assert gone[0]["contracts"][0]["status"] == "cancelled"


def test_only_the_coordinator_gets_the_confidential_tier(world):
    with pytest.raises(Forbidden), world.reading() as session:
        release_package(session, DANISH, tier=Tier.CONFIDENTIAL)


def test_the_ocid_prefix_is_configurable_and_checked(world):
    options = OcdsOptions(ocid_prefix="ocds-a1b2c3", publisher_name="Ministry")
    document = json.loads(package(world, options=options))
    assert {r["ocid"] for r in document["releases"]} >= {"ocds-a1b2c3-contract-1"}
    assert document["publisher"] == {"name": "Ministry"}
    with pytest.raises(InvalidInput, match="not an ocid prefix"):
        OcdsOptions(ocid_prefix="has spaces")


def test_release_ids_change_with_content_and_only_then(world):
    def ids():
        return {r["id"] for r in json.loads(package(world))["releases"]}

    before = ids()
    assert ids() == before
    with world.unit_of_work(DANISH) as uow:
        commit_funds(uow, "contract-dk", FlowRequest(Money.parse("10.00", "DKK"), date(2026, 4, 1)))
    after = ids()
    assert before < after
    assert len(after - before) == 1


def test_the_validator_resolves_the_release_schema_locally_and_catches_mistakes(world):
    document = json.loads(package(world))
    document["releases"][0]["tag"] = ["no-such-tag"]
    del document["releases"][1]["ocid"]
    errors = validation_errors(json.dumps(document).encode())
    assert any("releases/0/tag/0" in e and "no-such-tag" in e for e in errors)
    assert any("releases/1" in e and "'ocid' is a required property" in e for e in errors)
    assert package_validator().schema["id"].endswith("release-package-schema.json")


def test_with_nothing_signed_there_is_no_package_to_publish(database):
    load_world(database)
    with pytest.raises(NotFound, match="no contract to publish"), database.reading() as session:
        release_package(session, PUBLIC)


def test_contracts_in_every_state_and_amended_give_valid_packages_in_both_tiers(world):
    with world.unit_of_work(COORDINATOR) as uow:
        start_production(uow, "contract-1")
        amend_contract(
            uow,
            "contract-1",
            {"title": "400 FPV drones, 10 inch"},
            "the brigade asked for the larger frame",
        )
    # Completed: every unit delivered (to Ukraine, inside the offtake period) and accepted, the
    # whole amount committed and paid (issue 12); OCDS publishes it "terminated".
    settle(world, COORDINATOR, "contract-dk")
    with world.unit_of_work(COORDINATOR) as uow:
        complete_contract(uow, "contract-dk")
    signed(world, fpv_draft("contract-stopped", amount="1000.00"), UA_BUDGET)
    with world.unit_of_work(COORDINATOR) as uow:
        terminate_contract(uow, "contract-stopped", "the line burned down")
    for tier, actor in ((Tier.PUBLIC, PUBLIC), (Tier.CONFIDENTIAL, COORDINATOR)):
        data = package(world, actor, tier=tier)
        assert validation_errors(data) == []
    contracts = {
        c["id"]: c
        for r in json.loads(data)["releases"]
        if r["tag"] == ["contract"]
        for c in r["contracts"]
    }
    assert {k: v["status"] for k, v in contracts.items()} == {
        "contract-1": "active",
        "contract-dk": "terminated",
        "contract-draft": "pending",
        "contract-gone": "cancelled",
        "contract-stopped": "terminated",
    }
    with world.reading() as session:
        assert session.get(Contract, "contract-dk").status == ContractStatus.COMPLETED
        assert session.get(Contract, "contract-stopped").status == ContractStatus.TERMINATED
    amendment = contracts["contract-1"]["amendments"][0]
    assert amendment["rationale"] == "the brigade asked for the larger frame"
    assert amendment["description"] == "changed: title"
