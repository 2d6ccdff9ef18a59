"""Contracts: created from a plan's funding rows or by hand, signed twice, amended with history.

States: ``draft`` -> ``signed`` (once the coordinator AND the paying partner have signed, each
recorded with who and when) -> ``in_production`` -> ``completed``; or ``terminated`` from any
state before completion. Every change is recorded in the unit of work (so it reaches the
transparency log); amendments also keep their before/after terms and the version they made.

Who may do what: the coordinator creates, amends, completes and terminates contracts and signs
for Ukraine; the paying partner (``actor.partner_id`` = the pledge's partner) signs; the company
(or the coordinator) starts production. Coordinator and auditors read every contract, a partner
the ones it pays for, a company its own; the public none. Changes that answer to an ETag (the
API's ``If-Match``) pass ``expected_version``: checked after every other rule, so a stale read
answers 412 only when the change would otherwise have been allowed.

A contract is in its pledge's currency. A plan's amounts (base currency) are converted once, at
the planning rates (see ``money_flows.to_currency``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, ContractAmendment, ContractScheduleRow, MoneyFlow
from kuznia.db.planning import StoredPlan
from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from kuznia.money import Money, round_cents
from kuznia.months import add_months, check_month
from kuznia.scenario.plan import Plan, PlanStatus
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.fx import planning_rates, to_currency
from kuznia.services.kernel.locking import locked
from kuznia.services.kernel.paging import (
    Page,
    page_in_commit_order,
)
from kuznia.services.kernel.unit_of_work import UnitOfWork

OPEN_STATES = ("draft", "signed", "in_production")
ABROAD = "ukrainian_abroad"
TERM_FIELDS = (
    "title",
    "units",
    "amount_cents",
    "offtake_until",
    "offtake_condition",
    "capacity_after",
    "ip_owner",
    "export_licence_status",
    "export_licence_reference",
    "export_licence_expiry",
)
"""What an amendment may change (besides the schedule)."""


@dataclass(frozen=True, slots=True)
class AbroadTerms:
    """For a line a Ukrainian firm runs abroad: output goes to Ukraine until a date or condition."""

    offtake_until: date | None = None
    offtake_condition: str | None = None
    capacity_after: str | None = None
    ip_owner: str | None = None
    export_licence_status: str | None = None
    export_licence_reference: str | None = None
    export_licence_expiry: date | None = None


@dataclass(frozen=True, slots=True)
class ContractDraft:
    id: str
    title: str
    pledge_id: str
    company_id: str
    capability_id: str
    units: int
    amount: Money
    schedule: Mapping[str, int]
    proposal_id: str | None = None
    abroad: AbroadTerms = field(default_factory=AbroadTerms)


def _require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden(f"the {actor.role.value} role may not do this with contracts")


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
    """The contract if ``actor`` may see it; otherwise it does not exist for them (404)."""
    contract = session.get(Contract, contract_id)
    if contract is None or not may_read(actor, contract):
        raise NotFound(f"no contract {contract_id!r}")
    return contract


def may_read(actor: Actor, contract: Contract) -> bool:
    """The access policy's read rule for one loaded contract."""
    return Viewer(actor).may("contracts", columns_of(contract))


def _check_schedule(schedule: Mapping[str, int], units: int) -> None:
    for month, count in schedule.items():
        try:
            check_month(month)
        except ValueError as error:
            raise InvalidInput.single(f"schedule.{month}", str(error)) from None
        if count < 1:
            raise InvalidInput.single(f"schedule.{month}", "units due must be at least 1")
    if sum(schedule.values()) != units:
        message = f"the schedule sums to {sum(schedule.values())} units, the contract has {units}"
        raise InvalidInput.single("schedule", message)


def _check_parties(session: Session, draft: ContractDraft) -> db.Pledge:
    pledge = session.get(db.Pledge, draft.pledge_id)
    if pledge is None:
        raise InvalidInput.single("pledge_id", f"no pledge {draft.pledge_id!r}")
    if pledge.status == "withdrawn":
        raise Conflict(f"pledge {pledge.id} was withdrawn")
    if draft.amount.currency != pledge.currency:
        message = f"a contract is in its pledge's currency ({pledge.currency})"
        raise InvalidInput.single("amount", message)
    for name, model, value in (
        ("company_id", db.Company, draft.company_id),
        ("capability_id", db.Capability, draft.capability_id),
    ):
        if session.get(model, value) is None:
            raise InvalidInput.single(name, "no such record")
    if draft.proposal_id is not None:
        proposal = session.get(db.Proposal, draft.proposal_id)
        if proposal is None:
            raise InvalidInput.single("proposal_id", f"no proposal {draft.proposal_id!r}")
        if (proposal.company_id, proposal.capability_id) != (
            draft.company_id,
            draft.capability_id,
        ):
            raise InvalidInput.single("proposal_id", "the proposal's company or capability differ")
    return pledge


def create_contract(uow: UnitOfWork, draft: ContractDraft, *, source: str = "manual") -> Contract:
    """A draft contract with its schedule (coordinator only)."""
    _require(uow.actor, Role.COORDINATOR)
    session = uow.session
    if session.get(Contract, draft.id) is not None:
        raise Conflict(f"contract {draft.id!r} exists already")
    if draft.units < 1 or draft.amount.cents < 0:
        raise InvalidInput.single(
            "units", "a contract is for at least one unit, at no negative price"
        )
    _check_schedule(draft.schedule, draft.units)
    pledge = _check_parties(session, draft)
    proposal = session.get(db.Proposal, draft.proposal_id) if draft.proposal_id else None
    contract = Contract(
        id=draft.id,
        version=1,
        title=draft.title,
        source=source,
        pledge_id=pledge.id,
        partner_id=pledge.partner_id,
        company_id=draft.company_id,
        proposal_id=draft.proposal_id,
        capability_id=draft.capability_id,
        kind=proposal.kind if proposal else None,
        units=draft.units,
        amount_cents=draft.amount.cents,
        currency=draft.amount.currency,
        status="draft",
        **{k: getattr(draft.abroad, k) for k in AbroadTerms.__slots__},
    )
    session.add(contract)
    session.flush()
    _write_schedule(session, draft.id, draft.schedule)
    uow.record("contracts", draft.id, "create", None, contract_document(contract, draft.schedule))
    return contract


def committed_to(session: Session, contract_id: str) -> int:
    """Cents committed to a contract so far."""
    total = select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
        MoneyFlow.contract_id == contract_id, MoneyFlow.kind == "commitment"
    )
    return int(session.scalar(total) or 0)


def _write_schedule(session: Session, contract_id: str, schedule: Mapping[str, int]) -> None:
    session.execute(
        delete(ContractScheduleRow).where(ContractScheduleRow.contract_id == contract_id)
    )
    rows = [{"contract_id": contract_id, "month": m, "units": u} for m, u in schedule.items()]
    if rows:
        session.execute(insert(ContractScheduleRow), rows)


def contract_id_for(plan: Plan, pledge_id: str, proposal_id: str) -> str:
    """A stable id per plan, pledge and proposal (hashed when the plain form would be too long)."""
    plain = f"c-{plan.scenario_sha256[:8]}-{pledge_id}-{proposal_id}"
    if len(plain) <= 100:
        return plain
    digest = hashlib.sha256(f"{pledge_id}\n{proposal_id}".encode()).hexdigest()[:24]
    return f"c-{plan.scenario_sha256[:8]}-{digest}"


def contracts_from_plan(
    uow: UnitOfWork,
    plan: Plan,
    *,
    pledge_id: str | None = None,
    proposal_id: str | None = None,
) -> list[Contract]:
    """One draft contract per (pledge, proposal) of the plan's funding rows (optionally one pair).

    Units and due months come from the funding rows (production month + the line's shipping
    lag); the amount is the funding plus setup amounts, converted from the base currency to the
    pledge's currency at the planning rates.
    """
    _require(uow.actor, Role.COORDINATOR)
    if plan.status not in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
        raise Conflict(f"the plan is {plan.status.value}: it allocates nothing to contract")
    groups = _funding_groups(plan, pledge_id, proposal_id)
    if not groups:
        raise NotFound("the plan funds nothing for that pledge and proposal")
    return [_contract_from_rows(uow, plan, key, rows) for key, rows in sorted(groups.items())]


@dataclass
class _Funding:
    """A (pledge, proposal) pair's rows: units due by production month, base-currency cents."""

    schedule: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    units: int = 0
    cents: int = 0


def _funding_groups(
    plan: Plan, pledge_id: str | None, proposal_id: str | None
) -> dict[tuple[str, str], _Funding]:
    def wanted(pledge: str, proposal: str) -> bool:
        return pledge_id in (None, pledge) and proposal_id in (None, proposal)

    groups: dict[tuple[str, str], _Funding] = defaultdict(_Funding)
    for row in plan.funding:
        if wanted(row.pledge, row.proposal):
            group = groups[(row.pledge, row.proposal)]
            group.schedule[row.month] += row.units
            group.units += row.units
            group.cents += round_cents(row.amount)
    for setup in plan.setup:
        if (setup.pledge, setup.proposal) in groups:
            groups[(setup.pledge, setup.proposal)].cents += round_cents(setup.amount)
    return groups


def _contract_from_rows(
    uow: UnitOfWork, plan: Plan, key: tuple[str, str], funding: _Funding
) -> Contract:
    session = uow.session
    pledge_id, proposal_id = key
    proposal = session.get(db.Proposal, proposal_id)
    pledge = session.get(db.Pledge, pledge_id)
    if proposal is None or pledge is None:
        raise NotFound(f"the plan funds {proposal_id} from {pledge_id}; one is not registered")
    rates = planning_rates(session)
    base = Money(funding.cents, rates.base)
    lag = proposal.ship_lag_months
    draft = ContractDraft(
        id=contract_id_for(plan, pledge_id, proposal_id),
        title=f"{funding.units} units of {proposal.capability_id} from line {proposal_id}",
        pledge_id=pledge_id,
        company_id=proposal.company_id,
        capability_id=proposal.capability_id,
        units=funding.units,
        amount=to_currency(base, pledge.currency, rates)[0],
        schedule=_shift(funding.schedule, lag),
        proposal_id=proposal_id,
    )
    contract = create_contract(uow, draft, source="plan")
    contract.plan_scenario_sha256 = plan.scenario_sha256
    return contract


def _shift(schedule: Mapping[str, int], months: int) -> dict[str, int]:
    shifted: dict[str, int] = defaultdict(int)
    for month, units in schedule.items():
        shifted[add_months(month, months)] += units
    return dict(shifted)


# --- signatures and states ------------------------------------------------------------------


def _check_version(contract: Contract, expected: int | None) -> None:
    """The client changes the version it read (``If-Match``), or nothing (412)."""
    if expected is not None and contract.version != expected:
        raise PreconditionFailed(
            f"contract {contract.id!r} is at version {contract.version}, not {expected}: "
            "read it again and retry"
        )


def _transition(
    uow: UnitOfWork, contract: Contract, before: dict[str, Any], expected_version: int | None
) -> Contract:
    _check_version(contract, expected_version)
    contract.version += 1
    uow.session.flush()
    after = contract_document(contract, before["schedule"])
    uow.record("contracts", contract.id, "update", before, after)
    return contract


def _locked_contract(uow: UnitOfWork, contract_id: str) -> tuple[Contract, dict[str, Any]]:
    contract = locked(uow.session, Contract, contract_id)
    if contract is None or not may_read(uow.actor, contract):
        raise NotFound(f"no contract {contract_id!r}")
    return contract, contract_document(contract, schedule_of(uow.session, contract_id))


def sign_contract(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    """Sign as the coordinator or as the paying partner; both signatures make it ``signed``."""
    contract, before = _locked_contract(uow, contract_id)
    actor, now = uow.actor, datetime.now(UTC)
    if contract.status != "draft":
        raise Conflict(f"contract {contract_id} is {contract.status}; only a draft is signed")
    _check_abroad_terms(contract)
    if actor.role is Role.COORDINATOR:
        if contract.coordinator_signed_by:
            raise Conflict(f"the coordinator signed contract {contract_id} already")
        contract.coordinator_signed_by, contract.coordinator_signed_at = actor.name, now
    elif actor.role is Role.PARTNER and actor.partner_id == contract.partner_id:
        if contract.partner_signed_by:
            raise Conflict(f"the partner signed contract {contract_id} already")
        contract.partner_signed_by, contract.partner_signed_at = actor.name, now
    else:
        raise Forbidden("only the coordinator and the paying partner sign a contract")
    if contract.coordinator_signed_by and contract.partner_signed_by:
        contract.status = "signed"
    return _transition(uow, contract, before, expected_version)


def _check_abroad_terms(contract: Contract) -> None:
    """A line abroad states its wartime offtake, the capacity after, the IP owner, the licence."""
    if contract.kind != ABROAD:
        return
    missing = [
        name
        for name, value in (
            (
                "offtake_until or offtake_condition",
                contract.offtake_until or contract.offtake_condition,
            ),
            ("capacity_after", contract.capacity_after),
            ("ip_owner", contract.ip_owner),
            ("export_licence_status", contract.export_licence_status),
        )
        if not value
    ]
    if contract.export_licence_status == "granted" and not (
        contract.export_licence_reference and contract.export_licence_expiry
    ):
        missing.append("export_licence_reference and export_licence_expiry (licence granted)")
    if missing:
        raise Conflict(f"contract {contract.id} is for a line abroad; state {', '.join(missing)}")
    if contract.export_licence_status in ("refused", "expired"):
        raise Conflict(
            f"contract {contract.id}: the export licence is {contract.export_licence_status}"
        )


def start_production(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    """signed -> in_production: by the contracted company or the coordinator."""
    contract, before = _locked_contract(uow, contract_id)
    if uow.actor.role not in (Role.COORDINATOR, Role.COMPANY):
        raise Forbidden("only the company or the coordinator starts production")
    if contract.status != "signed":
        raise Conflict(f"contract {contract_id} is {contract.status}, not signed")
    contract.status = "in_production"
    return _transition(uow, contract, before, expected_version)


def complete_contract(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    _require(uow.actor, Role.COORDINATOR)
    contract, before = _locked_contract(uow, contract_id)
    if contract.status != "in_production":
        raise Conflict(f"contract {contract_id} is {contract.status}, not in production")
    contract.status = "completed"
    return _transition(uow, contract, before, expected_version)


def terminate_contract(
    uow: UnitOfWork, contract_id: str, reason: str, *, expected_version: int | None = None
) -> Contract:
    _require(uow.actor, Role.COORDINATOR)
    if not reason.strip():
        raise InvalidInput.single("reason", "say why the contract is terminated")
    contract, before = _locked_contract(uow, contract_id)
    if contract.status not in OPEN_STATES:
        raise Conflict(f"contract {contract_id} is {contract.status} already")
    contract.status, contract.terminated_reason = "terminated", reason
    return _transition(uow, contract, before, expected_version)


# --- amendments -----------------------------------------------------------------------------


def amend_contract(
    uow: UnitOfWork,
    contract_id: str,
    changes: Mapping[str, Any],
    reason: str,
    *,
    schedule: Mapping[str, int] | None = None,
    expected_version: int | None = None,
) -> ContractAmendment:
    """Change a contract's terms (coordinator only), keeping before/after and the new version.

    The amount may not drop below the money committed to the contract already. A larger amount
    commits nothing by itself: the paying partner commits more with a new commitment.
    """
    _require(uow.actor, Role.COORDINATOR)
    unknown = sorted(set(changes) - set(TERM_FIELDS))
    if unknown:
        raise InvalidInput.single("changes", f"cannot amend {', '.join(unknown)}")
    contract, before = _locked_contract(uow, contract_id)
    if contract.status not in OPEN_STATES:
        raise Conflict(f"contract {contract_id} is {contract.status}; it can no longer change")
    for name, value in changes.items():
        setattr(contract, name, value)
    new_schedule = dict(schedule) if schedule is not None else before["schedule"]
    _check_schedule(new_schedule, contract.units)
    committed = committed_to(uow.session, contract_id)
    if contract.amount_cents < committed:
        shown = Money(committed, contract.currency).display()
        raise Conflict(f"amount: {shown} is committed to contract {contract_id} already")
    _check_version(contract, expected_version)
    if schedule is not None:
        _write_schedule(uow.session, contract_id, new_schedule)
    contract.version += 1
    uow.session.flush()
    after = contract_document(contract, new_schedule)
    amendment = ContractAmendment(
        contract_id=contract_id,
        version=contract.version,
        before=_terms(before),
        after=_terms(after),
        reason=reason,
        amended_by=uow.actor.name,
    )
    uow.session.add(amendment)
    uow.session.flush()  # its id and time, for the answer
    uow.record("contracts", contract_id, "update", before, after)
    return amendment


def _terms(document: Mapping[str, Any]) -> dict[str, Any]:
    """The amendable terms as JSON (dates as ISO strings)."""
    terms = {k: document[k] for k in (*TERM_FIELDS, "schedule")}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in terms.items()}


def amendments_of(session: Session, actor: Actor, contract_id: str) -> Sequence[ContractAmendment]:
    get_contract(session, actor, contract_id)
    readable = Viewer.of(session, actor).condition("contract_amendments")
    return session.scalars(
        select(ContractAmendment)
        .where(ContractAmendment.contract_id == contract_id, readable)
        .order_by(ContractAmendment.version)
    ).all()


# --- creating from a stored plan; listing ---------------------------------------------------


def new_contract_id() -> str:
    return f"contract-{uuid.uuid4().hex[:20]}"


def contracts_from_stored_plan(
    uow: UnitOfWork,
    plan_id: str,
    *,
    pledge_id: str | None = None,
    proposal_id: str | None = None,
) -> list[Contract]:
    """:func:`contracts_from_plan` for a plan kept by ``services.plans`` (coordinator only)."""
    _require(uow.actor, Role.COORDINATOR)
    row = uow.session.get(StoredPlan, plan_id)
    if row is None:
        raise InvalidInput.single("plan_id", "no such plan")
    plan = Plan.model_validate(row.document)
    return contracts_from_plan(uow, plan, pledge_id=pledge_id, proposal_id=proposal_id)


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
