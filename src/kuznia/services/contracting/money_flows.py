"""Money flows with the meaning of IATI transaction types, and pledge balances.

* **commitment** (IATI type 2, "Outgoing Commitment"): a firm obligation of pledge money to a
  signed contract. A pledge's *free balance* is its amount less its commitments; commitments
  never exceed the pledge, nor the contract's amount.
* **disbursement** (IATI 3): money paid out under a commitment; never more than the commitment.
* **expenditure** (IATI 4): money the company spent under a commitment; never more than was
  disbursed under it.

Nothing is overspent under concurrent requests either: each check reads its sum under a lock on
the row the rule is about (the pledge, then the contract; or the commitment), see ``locking``.

Currency: every flow is in its pledge's currency, like the contract. An amount given in another
currency is converted once, when it is recorded, at the planning rates
(rate = rate(from) / rate(to), rounded half-even to cents); the original amount, its currency
and the rate are stored beside it, so the conversion can be checked and the balance stays exact.

Who: commitments and disbursements by the paying partner (its own pledges) or the coordinator;
expenditures by the contracted company or the coordinator. Balances are read by whoever may
read the pledge, flows by whoever may read their contract (the access policy's rules).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, FlowKind, MoneyFlow
from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuznia.money import FxRates, Money
from kuznia.scenario.bounds import MAX_AMOUNT_CENTS
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.contracting.investment_reading import check_investor, get_investment
from kuznia.services.contracting.lifecycle import ContractAction, next_stage
from kuznia.services.contracting.reading import committed_to, get_contract
from kuznia.services.contracting.terms import check_happened
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.fx import planning_rates, to_currency
from kuznia.services.kernel.locking import locked, write_lock
from kuznia.services.kernel.paging import Page, page_in_commit_order
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.lifecycle import PledgeAction, check_pledge

IATI_TRANSACTION_TYPE: dict[FlowKind, str] = {
    FlowKind.COMMITMENT: "2",
    FlowKind.DISBURSEMENT: "3",
    FlowKind.EXPENDITURE: "4",
}


def _new_id(kind: FlowKind) -> str:
    return f"{kind[:4]}-{uuid.uuid4().hex[:20]}"


def sum_flows(session: Session, *conditions: Any) -> int:
    """Cents of the flows matching ``conditions``."""
    total = select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(*conditions)
    return int(session.scalar(total) or 0)


def flow_document(flow: MoneyFlow) -> dict[str, Any]:
    columns = {c.key: getattr(flow, c.key) for c in MoneyFlow.__table__.columns}
    return {**columns, "iati_transaction_type": IATI_TRANSACTION_TYPE[flow.kind]}


def _rates_if_needed(session: Session, amount: Money, currency: str) -> FxRates | None:
    return None if amount.currency == currency else planning_rates(session)


@dataclass(frozen=True, slots=True)
class FlowRequest:
    """An amount to record, when it happened, and the payer's or payee's reference."""

    amount: Money
    value_date: date | None = None
    reference: str | None = None
    id: str | None = None


def record_flow(uow: UnitOfWork, kind: FlowKind, request: FlowRequest, **links: Any) -> MoneyFlow:
    """A new flow of ``kind`` (not yet added): ``request``'s amount converted once into
    ``links["currency"]`` (its pledge's, or its investment's), positive and bounded, on a value
    date that has happened; ``links`` name what it is of (contract or investment, pledge,
    commitment)."""
    currency: str = links.pop("currency")
    rates = _rates_if_needed(uow.session, request.amount, currency)
    converted, rate = to_currency(request.amount, currency, rates)
    if converted.cents <= 0:
        raise InvalidInput.single("amount", "a money flow is a positive amount")
    if max(converted.cents, request.amount.cents) > MAX_AMOUNT_CENTS:
        top = Money(MAX_AMOUNT_CENTS, converted.currency).display()
        raise InvalidInput.single(
            "amount", f"a money flow is at most {top}, not {request.amount.display()}"
        )
    value_date = request.value_date or datetime.now(UTC).date()
    check_happened("value_date", value_date)
    return MoneyFlow(
        id=request.id or _new_id(kind),
        version=1,
        kind=kind,
        amount_cents=converted.cents,
        currency=converted.currency,
        original_amount_cents=request.amount.cents if rate is not None else None,
        original_currency=request.amount.currency if rate is not None else None,
        fx_rate=str(rate) if rate is not None else None,
        value_date=value_date,
        reference=request.reference,
        recorded_by=uow.actor.name,
        **links,
    )


def add_flow(uow: UnitOfWork, flow: MoneyFlow) -> MoneyFlow:
    """Store ``flow`` and record it in the unit of work (the audit trail and the log follow)."""
    uow.session.add(flow)
    uow.session.flush()
    uow.record("money_flows", flow.id, "create", None, flow_document(flow))
    return flow


def check_pledge_free(session: Session, pledge: db.Pledge, flow: MoneyFlow) -> None:
    """A commitment inside the pledge's validity and within its free money: its amount less
    every commitment from it, to contracts and investments alike (the pledge row is locked)."""
    month = flow.value_date.strftime("%Y-%m")
    if not pledge.valid_from <= month <= pledge.valid_to:
        raise InvalidInput.single(
            "value_date",
            f"{flow.value_date.isoformat()} is outside pledge {pledge.id}'s validity "
            f"{pledge.valid_from}..{pledge.valid_to}",
        )
    refuse_overspend(session, pledge, Money(flow.amount_cents, pledge.currency))


def _may_pay(actor: Actor, partner_id: str) -> None:
    if actor.role is Role.COORDINATOR:
        return
    if actor.role is Role.PARTNER and actor.partner_id == partner_id:
        return
    raise Forbidden("only the paying partner or the coordinator disburses its money")


def commit_funds(uow: UnitOfWork, contract_id: str, request: FlowRequest) -> MoneyFlow:
    """Commit pledge money to a signed contract, unless that would overspend pledge or contract.

    Locks the pledge row, then the contract row (always in that order), and sums under the locks.
    """
    session = uow.session
    write_lock(session)
    contract = get_contract(session, uow.actor, contract_id)
    next_stage(contract, ContractAction.COMMIT_FUNDS, uow.actor)  # who, and to what stage
    pledge = locked(session, db.Pledge, contract.pledge_id)
    if pledge is None:
        raise Conflict(f"pledge {contract.pledge_id} is not available")
    check_pledge(pledge, PledgeAction.FUND, uow.actor)
    flow = record_flow(
        uow,
        FlowKind.COMMITMENT,
        request,
        contract_id=contract.id,
        pledge_id=pledge.id,
        currency=pledge.currency,
    )
    check_pledge_free(session, pledge, flow)
    locked(session, Contract, contract.id)
    on_contract = committed_to(session, contract.id)
    if on_contract + flow.amount_cents > contract.amount_cents:
        left = Money(contract.amount_cents - on_contract, contract.currency)
        raise Conflict(f"amount: contract {contract.id} has only {left.display()} left to commit")
    return add_flow(uow, flow)


def free_money(session: Session, pledge: db.Pledge) -> Money:
    """A pledge's free money now: its amount less every commitment from it."""
    commitment = FlowKind.COMMITMENT
    committed = sum_flows(session, MoneyFlow.pledge_id == pledge.id, MoneyFlow.kind == commitment)
    return Money(pledge.amount_cents - committed, pledge.currency)


def refuse_overspend(
    session: Session, pledge: db.Pledge, amount: Money, *, drafting: bool = False
) -> None:
    """Never overspent: ``amount`` (in the pledge's currency) to commit, or the amount of a
    contract ``drafting`` from it, fits in the pledge's free money now, else a Conflict naming
    the field ``amount`` and both sums. Drafts reserve nothing (docs/rules.md): only
    commitments bind money. Callers hold the pledge's row lock (``locking.locked``)."""
    free = free_money(session, pledge)
    if amount.cents <= free.cents:
        return
    tail = f"a contract of {amount.display()} cannot be drawn from it" if drafting else (
        f"{amount.display()} asked")  # fmt: skip
    raise Conflict(f"amount: pledge {pledge.id} has {free.display()} free; {tail}")


def _locked_commitment(uow: UnitOfWork, commitment_id: str) -> MoneyFlow:
    commitment = locked(uow.session, MoneyFlow, commitment_id)
    if commitment is None or commitment.kind != FlowKind.COMMITMENT:
        raise NotFound(f"no commitment {commitment_id!r}")
    return commitment


def _may_disburse(uow: UnitOfWork, commitment: MoneyFlow) -> None:
    """A contract's payments by its paying partner or the coordinator, an investment's by its
    investor or the coordinator (404 for who may not read what the commitment is of)."""
    if commitment.contract_id is not None:
        contract = get_contract(uow.session, uow.actor, commitment.contract_id)
        _may_pay(uow.actor, contract.partner_id)
    else:
        investment = get_investment(uow.session, uow.actor, str(commitment.investment_id))
        check_investor(uow.actor, investment)


def _under(
    commitment: MoneyFlow, request: FlowRequest, kind: FlowKind, uow: UnitOfWork
) -> MoneyFlow:
    return record_flow(
        uow,
        kind,
        request,
        contract_id=commitment.contract_id,
        investment_id=commitment.investment_id,
        pledge_id=commitment.pledge_id,
        commitment_id=commitment.id,
        currency=commitment.currency,
    )


def disburse(uow: UnitOfWork, commitment_id: str, request: FlowRequest) -> MoneyFlow:
    """Pay out under a commitment (of a contract or of an investment); the disbursements never
    exceed the commitment."""
    commitment = _locked_commitment(uow, commitment_id)
    _may_disburse(uow, commitment)
    flow = _under(commitment, request, FlowKind.DISBURSEMENT, uow)
    under = MoneyFlow.commitment_id == commitment.id
    paid = sum_flows(uow.session, under, MoneyFlow.kind == FlowKind.DISBURSEMENT)
    if paid + flow.amount_cents > commitment.amount_cents:
        left = Money(commitment.amount_cents - paid, commitment.currency)
        raise Conflict(
            f"amount: commitment {commitment.id} has only {left.display()} left to disburse"
        )
    return add_flow(uow, flow)


def record_expenditure(uow: UnitOfWork, commitment_id: str, request: FlowRequest) -> MoneyFlow:
    """The company reports spending under a contract's commitment; never more than was
    disbursed to it. (An investment's money is spent by the firm it went to: not tracked.)"""
    commitment = _locked_commitment(uow, commitment_id)
    if commitment.contract_id is None:
        get_investment(uow.session, uow.actor, str(commitment.investment_id))
        raise InvalidInput.single(
            "commitment_id", f"{commitment.id} commits an investment: expenditure is reported "
            "under a contract's commitments"
        )  # fmt: skip
    contract = get_contract(uow.session, uow.actor, commitment.contract_id)
    actor = uow.actor
    if actor.role is not Role.COORDINATOR and not (
        actor.role is Role.COMPANY and actor.company_id == contract.company_id
    ):
        raise Forbidden("only the contracted company or the coordinator reports expenditure")
    flow = _under(commitment, request, FlowKind.EXPENDITURE, uow)
    under = MoneyFlow.commitment_id == commitment.id
    paid = sum_flows(uow.session, under, MoneyFlow.kind == FlowKind.DISBURSEMENT)
    spent = sum_flows(uow.session, under, MoneyFlow.kind == FlowKind.EXPENDITURE)
    if spent + flow.amount_cents > paid:
        left = Money(paid - spent, commitment.currency)
        raise Conflict(
            f"amount: only {left.display()} disbursed under {commitment.id} is not yet spent"
        )
    return add_flow(uow, flow)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PledgeBalance:
    pledge_id: str
    amount: Money
    committed: Money
    disbursed: Money
    spent: Money

    @property
    def free(self) -> Money:
        """Amount less commitments."""
        return self.amount - self.committed


def pledge_balance(session: Session, actor: Actor, pledge_id: str) -> PledgeBalance:
    pledge = session.get(db.Pledge, pledge_id)
    if pledge is None or not Viewer(actor).may("pledges", columns_of(pledge)):
        raise NotFound(f"no pledge {pledge_id!r}")
    totals = dict.fromkeys(IATI_TRANSACTION_TYPE, 0)
    rows = session.execute(
        select(MoneyFlow.kind, func.sum(MoneyFlow.amount_cents))
        .where(MoneyFlow.pledge_id == pledge_id)
        .group_by(MoneyFlow.kind)
    )
    totals.update({kind: int(cents) for kind, cents in rows})
    money = {kind: Money(cents, pledge.currency) for kind, cents in totals.items()}
    return PledgeBalance(
        pledge_id,
        Money(pledge.amount_cents, pledge.currency),
        money[FlowKind.COMMITMENT],
        money[FlowKind.DISBURSEMENT],
        money[FlowKind.EXPENDITURE],
    )


def flows_where(session: Session, actor: Actor, of: ColumnElement[bool]) -> list[MoneyFlow]:
    """The flows ``of`` selects that the actor may read, in the order recorded."""
    readable = Viewer.of(session, actor).condition("money_flows")
    return list(
        session.scalars(
            select(MoneyFlow).where(of, readable).order_by(MoneyFlow.created_at, MoneyFlow.id)
        )
    )


def flow_page(
    session: Session,
    actor: Actor,
    of: ColumnElement[bool],
    kind: FlowKind | None,
    cursor: str | None,
    limit: int,
) -> Page[MoneyFlow]:
    """A page of the flows ``of`` selects (optionally of one kind) that the actor may read, in
    commit order."""
    condition = of & Viewer.of(session, actor).condition("money_flows")
    if kind is not None:
        condition = condition & (MoneyFlow.kind == kind)
    return page_in_commit_order(session, MoneyFlow, "money_flows", condition, cursor, limit)


def flows_of_contract(session: Session, actor: Actor, contract_id: str) -> list[MoneyFlow]:
    """Every flow of a contract in the order recorded (commitments, payments, spending)."""
    get_contract(session, actor, contract_id)
    return flows_where(session, actor, MoneyFlow.contract_id == contract_id)


def list_flows(
    session: Session,
    actor: Actor,
    contract_id: str,
    *,
    kind: FlowKind | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[MoneyFlow]:
    """A page of a contract's flows (optionally of one kind) in commit order, for whoever may
    read the contract."""
    get_contract(session, actor, contract_id)
    return flow_page(session, actor, MoneyFlow.contract_id == contract_id, kind, cursor, limit)
