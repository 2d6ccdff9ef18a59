"""Reading contracts: one contract, a page of them, their schedules, amendments and the money
committed to them. Who may read which is the access policy's (``access.rules``: coordinator and
auditors every contract, a partner the ones it pays for, a company its own; the public none);
``may_read`` asks it for one loaded contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kuznia.db.contracting import (
    Contract,
    ContractAmendment,
    ContractScheduleRow,
    Delivery,
    FlowKind,
    MoneyFlow,
)
from kuznia.errors import NotFound
from kuznia.money import Money
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.contracting.lifecycle import Settlement
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.paging import Page, page_in_commit_order


def contract_document(contract: Contract, schedule: Mapping[str, int]) -> dict[str, Any]:
    """The contract as recorded in changes and the log."""
    columns = {c.key: getattr(contract, c.key) for c in Contract.__table__.columns}
    return {**columns, "schedule": dict(sorted(schedule.items()))}


def schedule_of(session: Session, contract_id: str) -> dict[str, int]:
    rows = session.execute(
        select(ContractScheduleRow.month, ContractScheduleRow.units)
        .where(ContractScheduleRow.contract_id == contract_id)
        .order_by(ContractScheduleRow.month)
    )
    return {row.month: int(row.units) for row in rows}


def get_contract(session: Session, actor: Actor, contract_id: str) -> Contract:
    """The contract if ``actor`` may see it; otherwise it does not exist for them (404), and a
    role that reads no contract at all may not ask (403, as for the list)."""
    Viewer(actor).scope("contracts")
    contract = session.get(Contract, contract_id)
    if contract is None or not may_read(actor, contract):
        raise NotFound(f"no contract {contract_id!r}")
    return contract


def may_read(actor: Actor, contract: Contract) -> bool:
    """The access policy's read rule for one loaded contract."""
    return Viewer(actor).may("contracts", columns_of(contract))


def committed_to(session: Session, contract_id: str) -> int:
    """Cents committed to a contract so far."""
    total = select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
        MoneyFlow.contract_id == contract_id, MoneyFlow.kind == FlowKind.COMMITMENT
    )
    return int(session.scalar(total) or 0)


CONTRACT_FILTERS = ("status", "pledge_id", "partner_id", "company_id", "capability_id")


def list_contracts(
    session: Session,
    actor: Actor,
    filters: Mapping[str, str | None],
    *,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Contract]:
    """A page of the contracts ``actor`` may read, in commit order, filtered by equality."""
    condition = Viewer(actor).condition("contracts")
    for name in CONTRACT_FILTERS:
        if filters.get(name) is not None:
            condition = and_(condition, getattr(Contract, name) == filters[name])
    return page_in_commit_order(session, Contract, "contracts", condition, cursor, limit)


def schedules_of(session: Session, contract_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """The schedules of several contracts in one query (an empty one for an unknown id)."""
    found: dict[str, dict[str, int]] = {contract_id: {} for contract_id in contract_ids}
    row = ContractScheduleRow
    rows = session.execute(
        select(row.contract_id, row.month, row.units)
        .where(row.contract_id.in_(list(contract_ids)))
        .order_by(row.contract_id, row.month)
    )
    for contract_id, month, units in rows:
        found[contract_id][month] = int(units)
    return found


def amendments_of(session: Session, actor: Actor, contract_id: str) -> Sequence[ContractAmendment]:
    get_contract(session, actor, contract_id)
    readable = Viewer.of(session, actor).condition("contract_amendments")
    return session.scalars(
        select(ContractAmendment)
        .where(ContractAmendment.contract_id == contract_id, readable)
        .order_by(ContractAmendment.version)
    ).all()


def amendments_page(
    session: Session, actor: Actor, contract_id: str, *, after: int | None = None, limit: int = 50
) -> tuple[list[ContractAmendment], int | None]:
    """A page of a contract's amendments by version (they are append-only and numbered under
    the contract's lock, so paging by version skips none); the version to continue after."""
    get_contract(session, actor, contract_id)
    readable = Viewer.of(session, actor).condition("contract_amendments")
    stmt = select(ContractAmendment).where(ContractAmendment.contract_id == contract_id, readable)
    if after is not None:
        stmt = stmt.where(ContractAmendment.version > after)
    rows = list(session.scalars(stmt.order_by(ContractAmendment.version).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].version if more and rows else None


def settlement_of(session: Session, contract: Contract) -> Settlement:
    """Units accepted under ``contract``, and the money committed to it and disbursed."""
    accepted = session.scalar(
        select(func.coalesce(func.sum(Delivery.accepted_units), 0)).where(
            Delivery.contract_id == contract.id
        )
    )
    paid = session.scalar(
        select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
            MoneyFlow.contract_id == contract.id, MoneyFlow.kind == FlowKind.DISBURSEMENT
        )
    )
    return Settlement(
        int(accepted or 0),
        Money(committed_to(session, contract.id), contract.currency),
        Money(int(paid or 0), contract.currency),
    )
