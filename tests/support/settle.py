"""Bringing a signed contract to where completing it is allowed: every unit accepted, the whole
amount committed and disbursed (``contracting.lifecycle.check_settled``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kuznia.db.contracting import Delivery, DeliveryStatus
from kuznia.money import Money
from kuznia.services.contracting.deliveries import (
    DeliveryReport,
    inspect_delivery,
    report_delivery,
)
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds, disburse
from kuznia.services.contracting.reading import get_contract, settlement_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database


def settle(
    database: Database, coordinator: Actor, contract_id: str, on: date = date(2026, 6, 1)
) -> None:
    """Commit and pay what is left of the contract's amount, and deliver and accept every unit
    not yet accepted (accepting those reported), as ``coordinator``, dated ``on``."""
    with database.unit_of_work(coordinator) as uow:
        contract = get_contract(uow.session, coordinator, contract_id)
        done = settlement_of(uow.session, contract)
        amount = Money(contract.amount_cents, contract.currency)
        if done.committed < amount:
            commitment = commit_funds(
                uow, contract_id, FlowRequest(amount - done.committed, value_date=on)
            )
            disburse(uow, commitment.id, FlowRequest(amount - done.disbursed, value_date=on))
        for waiting in uow.session.scalars(
            select(Delivery).where(
                Delivery.contract_id == contract_id, Delivery.status == DeliveryStatus.REPORTED
            )
        ):
            inspect_delivery(uow, waiting.id, waiting.units)
        done = settlement_of(uow.session, contract)
        if done.accepted_units < contract.units:
            left = contract.units - done.accepted_units
            delivery = report_delivery(
                uow, DeliveryReport(contract_id, on, left, "depot", destination_country="UA")
            )
            inspect_delivery(uow, delivery.id, left)
