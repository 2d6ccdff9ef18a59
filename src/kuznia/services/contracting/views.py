"""What the contract pages and the overview read from contracts, money flows and deliveries.
Visibility is the access policy's (``access.rules``); aggregates (delivered units per capability,
money committed and disbursed per partner) carry no contract detail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db.contracting import Contract, ContractStatus, Delivery, FlowKind, MoneyFlow
from kuznia.money import Money
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.fx import planning_rates


@dataclass(frozen=True, slots=True)
class ContractLine:
    id: str
    title: str
    status: ContractStatus
    partner_id: str
    company_id: str
    capability_id: str
    units: int
    amount: Money
    committed: Money
    disbursed: Money
    delivered_units: int


def _sums_by_contract(session: Session, ids: list[str]) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(MoneyFlow.contract_id, MoneyFlow.kind, func.sum(MoneyFlow.amount_cents))
        .where(MoneyFlow.contract_id.in_(ids))
        .group_by(MoneyFlow.contract_id, MoneyFlow.kind)
    )
    return {(str(c), k): int(v) for c, k, v in rows}


def _accepted_by_contract(session: Session, ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(Delivery.contract_id, func.sum(Delivery.accepted_units))
        .where(Delivery.contract_id.in_(ids))
        .group_by(Delivery.contract_id)
    )
    return {c: int(v or 0) for c, v in rows}


def contract_lines(session: Session, actor: Actor) -> list[ContractLine]:
    """The contracts ``actor`` may read, newest first, with money and deliveries so far."""
    readable = Viewer(actor).condition("contracts")
    rows = list(
        session.scalars(
            select(Contract).where(readable).order_by(Contract.created_at.desc(), Contract.id)
        )
    )
    ids = [c.id for c in rows]
    flows = _sums_by_contract(session, ids)
    accepted = _accepted_by_contract(session, ids)
    return [
        ContractLine(
            c.id, c.title, c.status, c.partner_id, c.company_id, c.capability_id, c.units,
            Money(c.amount_cents, c.currency),
            Money(flows.get((c.id, FlowKind.COMMITMENT), 0), c.currency),
            Money(flows.get((c.id, FlowKind.DISBURSEMENT), 0), c.currency),
            accepted.get(c.id, 0),
        )
        for c in rows
    ]  # fmt: skip


def delivered_by_capability(session: Session) -> dict[str, int]:
    """Accepted units per capability over every contract: an aggregate anyone may see."""
    rows = session.execute(
        select(Contract.capability_id, func.sum(Delivery.accepted_units))
        .join(Delivery, Delivery.contract_id == Contract.id)
        .group_by(Contract.capability_id)
    )
    return {c: int(v or 0) for c, v in rows}


def flows_by_partner(session: Session) -> dict[str, tuple[int, int]]:
    """Partner -> (committed, disbursed) in base-currency cents at the planning rates; the
    caller folds partners the viewer may not name (``aggregates.money_by_partner``)."""
    rates = planning_rates(session)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(Contract.partner_id, MoneyFlow.kind, MoneyFlow.currency,
               func.sum(MoneyFlow.amount_cents))
        .join(Contract, Contract.id == MoneyFlow.contract_id)
        .where(MoneyFlow.kind.in_((FlowKind.COMMITMENT, FlowKind.DISBURSEMENT)))
        .group_by(Contract.partner_id, MoneyFlow.kind, MoneyFlow.currency)
    )  # fmt: skip
    for partner, kind, currency, cents in rows:
        base = rates.to_base(Money(int(cents), currency)).cents
        sums[partner][0 if kind is FlowKind.COMMITMENT else 1] += base
    return {p: (v[0], v[1]) for p, v in sums.items()}


# --- the transparency log ---------------------------------------------------------------------
