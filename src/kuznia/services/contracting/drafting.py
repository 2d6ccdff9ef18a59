"""Drawing up contracts: by hand, or one per (pledge, proposal) of a plan's funding rows.

A new contract is a ``draft`` (see ``lifecycle.py`` for what follows), in its pledge's currency,
with a schedule of units due by month that adds up to its units. Only the coordinator draws up
contracts, and only from a pledge that may fund them (not withdrawn). A plan's amounts (base
currency) are converted once, at the planning rates (see ``kernel.fx.to_currency``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import (
    Contract,
    ContractScheduleRow,
    ContractSource,
    ContractStatus,
    LicenceStatus,
)
from kuznia.db.planning import StoredPlan
from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from kuznia.money import FxRates, Money, round_cents
from kuznia.months import add_months
from kuznia.scenario.kinds import ProposalKind
from kuznia.scenario.plan import Plan, PlanStatus
from kuznia.services.access.policy import Viewer
from kuznia.services.contracting.money_flows import free_money, refuse_overspend
from kuznia.services.contracting.reading import contract_document
from kuznia.services.contracting.terms import check_terms, schedule_problems
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.fx import planning_rates, to_currency
from kuznia.services.kernel.locking import locked
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.lifecycle import PledgeAction, check_pledge
from kuznia.services.registries.rules import derived_kind


@dataclass(frozen=True, slots=True)
class AbroadTerms:
    """For a line a Ukrainian firm runs abroad: output goes to Ukraine until a date or condition."""

    offtake_until: date | None = None
    offtake_condition: str | None = None
    capacity_after: str | None = None
    ip_owner: str | None = None
    export_licence_status: LicenceStatus | None = None
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


def _party_problems(session: Session, draft: ContractDraft) -> list[Problem]:
    """Everything wrong with what the draft names, in one pass: the pledge (and its currency),
    the company, the capability, the line."""
    problems = []
    pledge = session.get(db.Pledge, draft.pledge_id)
    if pledge is None:
        problems.append(Problem("pledge_id", f"no pledge {draft.pledge_id!r}"))
    elif draft.amount.currency != pledge.currency:
        message = f"a contract is in its pledge's currency ({pledge.currency})"
        problems.append(Problem("amount", message))
    for name, model, value in (
        ("company_id", db.Company, draft.company_id),
        ("capability_id", db.Capability, draft.capability_id),
    ):
        if session.get(model, value) is None:
            problems.append(Problem(name, "no such record"))
    if draft.proposal_id is not None:
        proposal = session.get(db.Proposal, draft.proposal_id)
        if proposal is None:
            problems.append(Problem("proposal_id", f"no proposal {draft.proposal_id!r}"))
        elif (proposal.company_id, proposal.capability_id) != (
            draft.company_id,
            draft.capability_id,
        ):
            problems.append(Problem("proposal_id", "the proposal's company or capability differ"))
    return problems


def _check_parties(session: Session, actor: Actor, draft: ContractDraft) -> db.Pledge:
    """The draft's pledge, locked (its free money is read under the lock), once every problem
    of the draft's numbers, schedule and parties is reported together."""
    problems = []
    if draft.units < 1 or draft.amount.cents < 0:
        message = "a contract is for at least one unit, at no negative price"
        problems.append(Problem("units", message))
    problems += schedule_problems(draft.schedule, draft.units) + _party_problems(session, draft)
    if problems:
        raise InvalidInput.of(problems, f"the draft contract {draft.id} is not valid")
    pledge = locked(session, db.Pledge, draft.pledge_id)
    if pledge is None:  # deleted since it was read (PostgreSQL takes row locks only)
        raise InvalidInput.single("pledge_id", f"no pledge {draft.pledge_id!r}")
    check_pledge(pledge, PledgeAction.FUND, actor)
    return pledge


def create_contract(
    uow: UnitOfWork, draft: ContractDraft, *, source: ContractSource = ContractSource.MANUAL
) -> Contract:
    """A draft contract with its schedule (coordinator only)."""
    _require(uow.actor, Role.COORDINATOR)
    session = uow.session
    if session.get(Contract, draft.id) is not None:
        raise Conflict(f"contract {draft.id!r} exists already")
    pledge = _check_parties(session, uow.actor, draft)
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
        kind=_kind_of(session, proposal),
        units=draft.units,
        amount_cents=draft.amount.cents,
        currency=draft.amount.currency,
        status=ContractStatus.DRAFT,
        **{k: getattr(draft.abroad, k) for k in AbroadTerms.__slots__},
    )
    check_terms(session, contract, draft.schedule)
    refuse_overspend(session, pledge, draft.amount, drafting=True)
    session.add(contract)
    session.flush()
    write_schedule(session, draft.id, draft.schedule)
    uow.record("contracts", draft.id, "create", None, contract_document(contract, draft.schedule))
    return contract


def _kind_of(session: Session, proposal: db.Proposal | None) -> ProposalKind | None:
    """The line's kind: as the proposal states it, or as its countries make it."""
    if proposal is None:
        return None
    if proposal.kind is not None:
        return proposal.kind
    return derived_kind(
        session, {"company_id": proposal.company_id, "site_country": proposal.site_country}
    )


def write_schedule(session: Session, contract_id: str, schedule: Mapping[str, int]) -> None:
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
    contract = create_contract(uow, draft, source=ContractSource.PLAN)
    contract.plan_scenario_sha256 = plan.scenario_sha256
    return contract


def _shift(schedule: Mapping[str, int], months: int) -> dict[str, int]:
    shifted: dict[str, int] = defaultdict(int)
    for month, units in schedule.items():
        shifted[add_months(month, months)] += units
    return dict(shifted)


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


def contract_from_plan_line(
    uow: UnitOfWork, scenario_sha256: str, pledge_id: str, proposal_id: str
) -> tuple[Contract, bool]:
    """The draft of one funded line (pledge, proposal) of the newest plan stored for the inputs
    ``scenario_sha256`` (the plan a page showed), and whether it is new: a line drawn up once
    already gives back its contract, so a second click makes no second draft (coordinator)."""
    _require(uow.actor, Role.COORDINATOR)
    row = uow.session.scalars(
        select(StoredPlan)
        .where(StoredPlan.scenario_sha256 == scenario_sha256)
        .order_by(StoredPlan.number.desc())
        .limit(1)
    ).first()
    if row is None:
        raise InvalidInput.single("plan", "no plan is stored for these inputs")
    plan = Plan.model_validate(row.document)
    existing = uow.session.get(Contract, contract_id_for(plan, pledge_id, proposal_id))
    if existing is not None:
        return existing, False
    made = contracts_from_plan(uow, plan, pledge_id=pledge_id, proposal_id=proposal_id)
    return made[0], True


def pledge_currency(uow: UnitOfWork, pledge_id: str) -> str:
    """The currency a contract paid from ``pledge_id`` is in (InvalidInput if there is none)."""
    pledge = uow.session.get(db.Pledge, pledge_id)
    if pledge is None:
        raise InvalidInput.single("pledge_id", "no such record")
    return pledge.currency


@dataclass(frozen=True, slots=True)
class FundedLine:
    """One (pledge, proposal) a plan funds: what its draft contract would be, and the contract
    drawn up from it already, if any."""

    pledge_id: str
    proposal_id: str
    units: int
    base_amount: Money
    first_month: str
    contract_id: str | None
    amount: Money | None = None
    """The draft's amount in the pledge's currency (at the planning rates)."""
    free: Money | None = None
    """The pledge's free money now: a draft above it is refused (``refuse_overspend``)."""
    partner_id: str = ""
    company_id: str = ""
    capability_id: str = ""
    schedule: Mapping[str, int] = field(default_factory=dict)
    """Units due by month (production month plus the line's shipping lag), as the draft has."""

    @property
    def fits(self) -> bool:
        return self.amount is None or self.free is None or self.amount.cents <= self.free.cents


def funded_lines(session: Session, actor: Actor, plan: Plan) -> list[FundedLine]:
    """The lines of ``plan`` a contract can be drawn up from (for the coordinator's plan page),
    with the contracts ``actor`` may read that were drawn up from them already, the amount in
    the pledge's currency and the pledge's free money."""
    _require(actor, Role.COORDINATOR)
    groups = _funding_groups(plan, None, None)
    ids = {key: contract_id_for(plan, *key) for key in groups}
    drawn = set(
        session.scalars(
            select(Contract.id).where(
                Contract.id.in_(list(ids.values())), Viewer(actor).condition("contracts")
            )
        )
    )
    rates = planning_rates(session)
    return [
        _funded_line(session, rates, key, g, ids[key] if ids[key] in drawn else None)
        for key, g in sorted(groups.items())
    ]


def _funded_line(
    session: Session, rates: FxRates, key: tuple[str, str], group: _Funding, drawn: str | None
) -> FundedLine:
    pledge, proposal = session.get(db.Pledge, key[0]), session.get(db.Proposal, key[1])
    base = Money(group.cents, rates.base)
    line = FundedLine(key[0], key[1], group.units, base, min(group.schedule), drawn)
    if pledge is None or proposal is None:
        return line
    return replace(
        line,
        amount=to_currency(base, pledge.currency, rates)[0],
        free=free_money(session, pledge),
        partner_id=pledge.partner_id,
        company_id=proposal.company_id,
        capability_id=proposal.capability_id,
        schedule=_shift(group.schedule, proposal.ship_lag_months),
    )
