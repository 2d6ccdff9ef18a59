"""Deliveries against a schedule: inspection and claims, late and short flags, the table."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuznia.money import Money
from kuznia.services.contracting.deliveries import (
    DeliveryReport,
    deliveries_of,
    delivery_table,
    inspect_delivery,
    report_delivery,
    schedule_status,
)
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.contracting.reading import get_contract
from kuznia.services.transparency import log
from tests.integration.contracting.world import (
    ABROAD_TERMS,
    AUDITOR,
    COMPANY_1,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    PUBLIC,
    UA_BUDGET,
    fpv_draft,
    load_world,
    shell_draft,
    signed,
)

DEPOT = "brigade depot, Zaporizhzhia oblast, grid 37T"


@pytest.fixture
def world(database):
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)  # due 2026-03: 100, 2026-04: 150, 2026-05: 150
    return database


def deliver(
    database, on: date, units: int, actor=COMPANY_1, contract="contract-1", country="UA"
) -> str:
    report = DeliveryReport(contract, on, units, destination=DEPOT, destination_country=country)
    with database.unit_of_work(actor) as uow:
        return report_delivery(uow, report).id


def inspect(database, delivery_id: str, accepted: int, reason: str | None = None) -> None:
    with database.unit_of_work(COORDINATOR) as uow:
        inspect_delivery(uow, delivery_id, accepted, claim_reason=reason)


def test_the_first_delivery_puts_a_signed_contract_in_production(world):
    deliver(world, date(2026, 3, 20), 100)
    with world.reading() as session:
        assert get_contract(session, COORDINATOR, "contract-1").status == "in_production"


def test_only_the_contracted_company_or_the_coordinator_reports_deliveries(world):
    with pytest.raises(NotFound):
        deliver(world, date(2026, 3, 20), 10, actor=COMPANY_2)
    with pytest.raises(Forbidden):
        deliver(world, date(2026, 3, 20), 10, actor=UA_BUDGET)


def test_more_units_than_contracted_cannot_be_delivered_but_rejected_ones_may_be_replaced(world):
    first = deliver(world, date(2026, 3, 20), 390)
    with pytest.raises(Conflict, match="10 units left"):
        deliver(world, date(2026, 3, 21), 11)
    inspect(world, first, 380, "10 drones with faulty radio links")
    deliver(world, date(2026, 4, 2), 20)


def test_rejected_units_carry_a_claim_with_its_reason(world):
    delivery = deliver(world, date(2026, 3, 20), 100)
    with pytest.raises(InvalidInput, match="claim"):
        inspect(world, delivery, 90)
    inspect(world, delivery, 90, "10 drones with cracked frames")
    with world.reading() as session:
        (view,) = deliveries_of(session, COORDINATOR, "contract-1")
    assert (view.status, view.accepted_units, view.rejected_units) == ("partially_accepted", 90, 10)
    assert view.claim_reason == "10 drones with cracked frames"
    assert view.claim_reference == f"claim-{delivery}"
    with pytest.raises(Conflict, match="inspected already"):
        inspect(world, delivery, 100)


def test_late_and_short_months_are_flagged(world):
    inspect(world, deliver(world, date(2026, 3, 25), 60), 60)
    inspect(world, deliver(world, date(2026, 4, 10), 140), 140)
    with world.reading() as session:
        march, april, may = schedule_status(session, AUDITOR, "contract-1", as_of="2026-05")
    assert (march.on_time, march.late_units, march.late, march.short) == (60, 40, True, True)
    assert (april.on_time, april.late_units, april.outstanding) == (100, 0, 50)
    assert april.late
    assert april.short
    assert (may.outstanding, may.late, may.short) == (150, False, True)


def test_a_line_abroad_delivers_only_with_a_valid_export_licence(world):
    terms = replace(ABROAD_TERMS, export_licence_expiry=date(2026, 6, 30))
    signed(world, shell_draft(abroad=terms), DANISH)
    deliver(world, date(2026, 6, 30), 10, actor=COMPANY_2, contract="contract-dk")
    with pytest.raises(Conflict, match="no valid export licence on 2026-07-01"):
        deliver(world, date(2026, 7, 1), 10, actor=COMPANY_2, contract="contract-dk")


def test_the_destination_is_secret_shown_only_to_the_coordinator_and_the_company(world):
    deliver(world, date(2026, 3, 20), 100)
    with world.reading() as session:
        for actor, shown in ((COORDINATOR, DEPOT), (COMPANY_1, DEPOT), (UA_BUDGET, None)):
            (view,) = deliveries_of(session, actor, "contract-1")
            assert view.destination == shown
        (auditor_view,) = deliveries_of(session, AUDITOR, "contract-1")
        assert auditor_view.destination_hidden
        (leaf,) = log.leaves_of(session, AUDITOR, "deliveries", auditor_view.id)
    assert set(json.loads(leaf.leaf)["after"]["destination"]) == {"commitment"}
    assert b"Zaporizhzhia" not in leaf.leaf


def test_the_table_per_company_and_capability_shows_capacity_funding_and_deliveries(world):
    with world.unit_of_work(UA_BUDGET) as uow:
        commit_funds(uow, "contract-1", FlowRequest(Money.parse("150000.00", "EUR")))
    inspect(world, deliver(world, date(2026, 3, 20), 100), 95, "5 duds")
    with world.reading() as session:
        rows = {(r.company_id, r.capability_id): r for r in delivery_table(session, AUDITOR)}
        (own,) = delivery_table(session, COMPANY_1)
        with pytest.raises(Forbidden):
            delivery_table(session, PUBLIC)
        danish = delivery_table(session, DANISH)
    fpv = rows[("co-ua-1", "fpv")]
    assert (fpv.declared_monthly_capacity, fpv.contracted_units) == (400, 400)
    assert fpv.funded == Money.parse("150000.00", "EUR")
    assert (fpv.delivered_units, fpv.rejected_units) == (95, 5)
    assert rows[("co-ua-2", "shell-155")].contracted_units == 0
    assert own == fpv
    assert danish == []
