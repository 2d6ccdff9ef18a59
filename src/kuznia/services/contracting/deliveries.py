"""Deliveries against a contract's schedule, their inspection, and what was delivered overall.

A company reports units delivered under its contract (month = the delivery date's month); the
coordinator inspects them: accepted, or rejected in part or whole with a claim (reference and
reason). Only accepted units count against the schedule, which is filled first-in first-out:
units that arrive after the month they were due make that month **late**; a month whose
cumulative accepted units are below its cumulative due units (by then) is **short**.

``destination`` is a secret field: shown to the coordinator and the delivering company only,
and logged as a salted commitment (``access.rules.SECRET_FIELDS``).

Who: the contracted company (or the coordinator) reports, under a contract whose lifecycle
allows a delivery (``ContractAction.DELIVER``); the coordinator inspects (``lifecycle.DELIVERY``).
Reading is the access policy's (``access.rules``: a delivery is read with its contract); the
capacity table is for the coordinator and auditors (every row), partners (their contracts) and
companies (their own), by the policy's rules for contracts and proposals.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, Delivery, DeliveryStatus, FlowKind, MoneyFlow
from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from kuznia.money import Money
from kuznia.scenario.bounds import MAX_UNITS
from kuznia.services.access.policy import Viewer
from kuznia.services.contracting.contracts import start_production
from kuznia.services.contracting.lifecycle import (
    CONTRACTED,
    ContractAction,
    check_inspector,
    check_licence,
    inspect,
    inspection_action,
    next_stage,
    stage_of,
)
from kuznia.services.contracting.offtake import check_offtake
from kuznia.services.contracting.reading import get_contract, schedule_of
from kuznia.services.contracting.terms import check_happened
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.fx import planning_rates
from kuznia.services.kernel.locking import locked, write_lock
from kuznia.services.kernel.paging import Page, page_in_commit_order
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.lifecycle import OPEN_PROPOSALS

COUNTED_STATES = CONTRACTED


def delivery_document(delivery: Delivery) -> dict[str, Any]:
    return {c.key: getattr(delivery, c.key) for c in Delivery.__table__.columns}


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    contract_id: str
    delivered_on: date
    units: int
    destination: str | None = None
    id: str | None = None
    destination_country: str | None = None


def report_delivery(uow: UnitOfWork, report: DeliveryReport) -> Delivery:
    """Record units delivered under a contract (its company or the coordinator).

    The first delivery of a signed contract puts it in production. A line abroad delivers only
    with an export licence granted and valid on the day (or none required).
    """
    write_lock(uow.session)
    contract = get_contract(uow.session, uow.actor, report.contract_id)
    actor = uow.actor
    if next_stage(contract, ContractAction.DELIVER, actor) is not stage_of(contract):
        start_production(uow, contract.id)  # recorded as the contract's own change
    if not 1 <= report.units <= MAX_UNITS:
        raise InvalidInput.single(
            "units", f"a delivery is 1 to {MAX_UNITS:,} units, not {report.units}"
        )
    check_happened("delivered_on", report.delivered_on)
    check_licence(contract, report.delivered_on)
    check_offtake(
        uow.session, contract, report.delivered_on, report.units, report.destination_country
    )
    locked(uow.session, Contract, contract.id)
    _check_not_over(uow.session, contract, report.units)
    delivery = Delivery(
        id=report.id or f"dlv-{uuid.uuid4().hex[:20]}",
        version=1,
        contract_id=contract.id,
        month=report.delivered_on.strftime("%Y-%m"),
        delivered_on=report.delivered_on,
        units=report.units,
        destination=report.destination,
        destination_country=report.destination_country,
        status=DeliveryStatus.REPORTED,
        accepted_units=0,
        rejected_units=0,
        reported_by=actor.name,
    )
    uow.session.add(delivery)
    uow.session.flush()
    uow.record("deliveries", delivery.id, "create", None, delivery_document(delivery))
    return delivery


def _check_not_over(session: Session, contract: Contract, units: int) -> None:
    """Reported and accepted units (not rejected ones) stay within the contract's units."""
    counted = session.scalar(
        select(func.coalesce(func.sum(Delivery.units - Delivery.rejected_units), 0)).where(
            Delivery.contract_id == contract.id
        )
    )
    if int(counted or 0) + units > contract.units:
        left = contract.units - int(counted or 0)
        raise Conflict(
            f"units: contract {contract.id} has {left} units left to deliver, not {units}"
        )


def inspect_delivery(
    uow: UnitOfWork,
    delivery_id: str,
    accepted_units: int,
    *,
    claim_reason: str | None = None,
    claim_reference: str | None = None,
    expected_version: int | None = None,
) -> Delivery:
    """Accept some or all units (coordinator); the rest are rejected with a claim and reason.

    With ``expected_version`` (an ETag read by the client), only that version is inspected (412).
    """
    check_inspector(uow.actor)
    delivery = locked(uow.session, Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id!r}")
    before = delivery_document(delivery)
    if not 0 <= accepted_units <= delivery.units:
        raise InvalidInput.single("accepted_units", f"must be in 0..{delivery.units}")
    rejected = delivery.units - accepted_units
    if rejected and not (claim_reason or "").strip():
        raise InvalidInput.single("claim_reason", "rejected units need a claim with a reason")
    inspect(delivery, inspection_action(accepted_units, rejected), uow.actor)
    if expected_version is not None and delivery.version != expected_version:
        raise PreconditionFailed(
            f"delivery {delivery_id!r} is at version {delivery.version}, "
            f"not {expected_version}: read it again and retry"
        )
    delivery.accepted_units, delivery.rejected_units = accepted_units, rejected
    if rejected:
        delivery.claim_reason = claim_reason
        delivery.claim_reference = claim_reference or f"claim-{delivery.id}"
    delivery.inspected_by, delivery.inspected_at = uow.actor.name, datetime.now(UTC)
    delivery.version += 1
    uow.session.flush()
    uow.record("deliveries", delivery.id, "update", before, delivery_document(delivery))
    return delivery


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A delivery as ``actor`` may see it: ``destination`` is None unless they may see it."""

    id: str
    contract_id: str
    month: str
    delivered_on: date
    units: int
    status: DeliveryStatus
    accepted_units: int
    rejected_units: int
    claim_reference: str | None
    claim_reason: str | None
    destination: str | None
    destination_hidden: bool
    version: int = 1
    destination_country: str | None = None


def _reveal(viewer: Viewer, delivery: Delivery) -> bool:
    return viewer.sees_secrets("deliveries", delivery_document(delivery))


def _view(d: Delivery, reveal: bool) -> DeliveryView:
    return DeliveryView(
        d.id,
        d.contract_id,
        d.month,
        d.delivered_on,
        d.units,
        d.status,
        d.accepted_units,
        d.rejected_units,
        d.claim_reference,
        d.claim_reason,
        d.destination if reveal else None,
        not reveal and d.destination is not None,
        d.version,
        d.destination_country,
    )


def deliveries_of(session: Session, actor: Actor, contract_id: str) -> list[DeliveryView]:
    get_contract(session, actor, contract_id)
    viewer = Viewer.of(session, actor)
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.contract_id == contract_id, viewer.condition("deliveries"))
        .order_by(Delivery.delivered_on, Delivery.id)
    )
    return [_view(d, _reveal(viewer, d)) for d in rows]


def view_of(session: Session, actor: Actor, delivery: Delivery) -> DeliveryView:
    """``delivery`` as ``actor`` may see it (404 unless they may read its contract)."""
    get_contract(session, actor, delivery.contract_id)
    return _view(delivery, _reveal(Viewer.of(session, actor), delivery))


def list_deliveries(
    session: Session, actor: Actor, contract_id: str, *, cursor: str | None = None, limit: int = 50
) -> Page[DeliveryView]:
    """A page of a contract's deliveries in commit order (an inspected one moves to the end),
    destinations hidden from whoever may not see them."""
    get_contract(session, actor, contract_id)
    viewer = Viewer.of(session, actor)
    condition = and_(Delivery.contract_id == contract_id, viewer.condition("deliveries"))
    page = page_in_commit_order(session, Delivery, "deliveries", condition, cursor, limit)
    return Page([_view(d, _reveal(viewer, d)) for d in page.items], page.next_cursor)


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One scheduled month: units due, accepted by then or later, still outstanding; flags."""

    month: str
    due: int
    on_time: int
    late_units: int
    outstanding: int
    late: bool
    short: bool


def schedule_status(
    session: Session, actor: Actor, contract_id: str, as_of: str
) -> list[ScheduleLine]:
    """The contract's schedule against accepted units (first in, first out) as of a month."""
    get_contract(session, actor, contract_id)
    accepted = [
        (month, int(units))
        for month, units in session.execute(
            select(Delivery.month, func.sum(Delivery.accepted_units))
            .where(Delivery.contract_id == contract_id, Delivery.accepted_units > 0)
            .group_by(Delivery.month)
            .order_by(Delivery.month)
        )
    ]
    arrivals = deque([month, units] for month, units in accepted)
    lines, due_so_far = [], 0
    for month, due in schedule_of(session, contract_id).items():
        due_so_far += due
        on_time, late_units = _fill(arrivals, month, due)
        outstanding = due - on_time - late_units
        accepted_by_then = sum(units for arrived, units in accepted if arrived <= month)
        short = month <= as_of and accepted_by_then < due_so_far
        late = late_units > 0 or (outstanding > 0 and month < as_of)
        lines.append(ScheduleLine(month, due, on_time, late_units, outstanding, late, short))
    return lines


def _fill(arrivals: deque[list[Any]], month: str, due: int) -> tuple[int, int]:
    """Take up to ``due`` units from the oldest arrivals: (on time, late) for that month."""
    on_time = late = 0
    while due and arrivals:
        arrival = arrivals[0]
        taken = min(due, arrival[1])
        if arrival[0] <= month:
            on_time += taken
        else:
            late += taken
        arrival[1] -= taken
        due -= taken
        if not arrival[1]:
            arrivals.popleft()
    return on_time, late


# --- per company and capability -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapacityRow:
    """Declared capacity (units a month, proposals not rejected), contracted units, money
    committed (in the base currency, at the planning rates) and units delivered."""

    company_id: str
    capability_id: str
    declared_monthly_capacity: int
    contracted_units: int
    funded: Money
    delivered_units: int
    rejected_units: int


def _scope(actor: Actor) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(condition on contracts, condition on proposals): the access policy's read rules."""
    try:
        viewer = Viewer(actor)
        return viewer.condition("contracts"), viewer.condition("proposals")
    except Forbidden:
        raise Forbidden(
            "the capacity and delivery table is not public; see the published aggregates"
        ) from None


def delivery_table(session: Session, actor: Actor) -> list[CapacityRow]:
    """Per company and capability: declared capacity, contracted, funded, delivered."""
    on_contracts, on_proposals = _scope(actor)
    rates = planning_rates(session)
    key = (Contract.company_id, Contract.capability_id)
    contracted = _by_key(
        session,
        select(*key, func.sum(Contract.units))
        .where(on_contracts, Contract.status.in_(COUNTED_STATES))
        .group_by(*key),
    )
    delivered = _by_key(
        session,
        select(*key, func.sum(Delivery.accepted_units), func.sum(Delivery.rejected_units))
        .join(Contract, Delivery.contract_id == Contract.id)
        .where(on_contracts)
        .group_by(*key),
    )
    funded: dict[tuple[str, str], Money] = defaultdict(lambda: Money.zero(rates.base))
    for company, capability, currency, cents in session.execute(
        select(*key, MoneyFlow.currency, func.sum(MoneyFlow.amount_cents))
        .join(Contract, MoneyFlow.contract_id == Contract.id)
        .where(on_contracts, MoneyFlow.kind == FlowKind.COMMITMENT)
        .group_by(*key, MoneyFlow.currency)
    ):
        funded[(company, capability)] += rates.to_base(Money(int(cents), currency))
    pairs = set(contracted) | set(delivered) | set(funded)
    capacity = _capacity(session, on_proposals, pairs if actor.role is Role.PARTNER else None)
    return [
        CapacityRow(
            company,
            capability,
            capacity.get((company, capability), 0),
            contracted.get((company, capability), (0,))[0],
            funded[(company, capability)],
            *delivered.get((company, capability), (0, 0)),
        )
        for company, capability in sorted(pairs | set(capacity))
    ]


def _by_key(session: Session, statement: Any) -> dict[tuple[str, str], tuple[int, ...]]:
    return {
        (row[0], row[1]): tuple(int(v or 0) for v in row[2:]) for row in session.execute(statement)
    }


def _capacity(
    session: Session, condition: ColumnElement[bool], only: set[tuple[str, str]] | None
) -> dict[tuple[str, str], int]:
    """Declared monthly capacity; a partner sees it for the pairs it has contracts with."""
    key = (db.Proposal.company_id, db.Proposal.capability_id)
    rows = session.execute(
        select(*key, func.sum(db.Proposal.monthly_capacity))
        .where(condition, db.Proposal.status.in_(OPEN_PROPOSALS))
        .group_by(*key)
    )
    found = {(company, capability): int(units) for company, capability, units in rows}
    return found if only is None else {k: v for k, v in found.items() if k in only}
