"""The contracting processes an OCDS package publishes: each contract with its pledge, company,
money flows and deliveries, loaded in a few queries per tier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import (
    Contract,
    ContractAmendment,
    ContractScheduleRow,
    Delivery,
    MoneyFlow,
)


@dataclass
class Process:
    """One contract and everything its releases draw on."""

    contract: Contract
    pledge: db.Pledge
    partner_name: str
    company_name: str
    capability: db.Capability
    schedule: list[tuple[str, int]] = field(default_factory=list)
    flows: list[MoneyFlow] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    amendments: list[ContractAmendment] = field(default_factory=list)


class Tier(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"


def _grouped(session: Session, model: Any, column: Any, ids: Sequence[str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for row in session.scalars(select(model).where(column.in_(ids[start : start + 500]))):
            grouped[getattr(row, column.key)].append(row)
    return grouped


def load_processes(session: Session, tier: Tier) -> list[Process]:
    """Contracts in id order with their related rows; the public tier has only contracts both
    parties signed (a draft, or one terminated before it was signed, is not published)."""
    query = select(Contract).order_by(Contract.id)
    if tier is Tier.PUBLIC:
        signed_by_both = Contract.coordinator_signed_at.is_not(None)
        query = query.where(signed_by_both, Contract.partner_signed_at.is_not(None))
    contracts = list(session.scalars(query))
    ids = [c.id for c in contracts]
    schedules = _grouped(session, ContractScheduleRow, ContractScheduleRow.contract_id, ids)
    flows = _grouped(session, MoneyFlow, MoneyFlow.contract_id, ids)
    deliveries = _grouped(session, Delivery, Delivery.contract_id, ids)
    amendments = _grouped(session, ContractAmendment, ContractAmendment.contract_id, ids)
    partners = {r.id: r.name for r in session.execute(select(db.Partner.id, db.Partner.name))}
    companies = {r.id: r.name for r in session.execute(select(db.Company.id, db.Company.name))}
    return [
        Process(
            contract=c,
            pledge=session.get_one(db.Pledge, c.pledge_id),
            partner_name=partners.get(c.partner_id, c.partner_id),
            company_name=companies.get(c.company_id, c.company_id),
            capability=session.get_one(db.Capability, c.capability_id),
            schedule=sorted((r.month, int(r.units)) for r in schedules[c.id]),
            flows=sorted(flows[c.id], key=lambda f: (f.value_date, f.id)),
            deliveries=sorted(deliveries[c.id], key=lambda d: (d.delivered_on, d.id)),
            amendments=sorted(amendments[c.id], key=lambda a: a.version),
        )
        for c in contracts
    ]
