"""How contracts and deliveries move: each a transition table, stated once, and the conditions
their transitions need (a line abroad's terms and export licence).

A contract is a draft until the coordinator AND the paying partner have signed it, in either
order; the stored status stays ``draft`` in between, and the signature columns say which
:class:`Stage` of the draft it is. Then it is signed, in production (started by hand or by a
first delivery), completed; the coordinator may amend or terminate it, with a reason, from any
open stage. Money is committed to a signed contract or one in production.

A delivery is reported (under a contract that accepts deliveries, see ``DELIVER``), then
inspected once by the coordinator: accepted, accepted in part, or rejected.

Every use case that changes a contract's or a delivery's status calls :func:`advance` or
:func:`inspect`; use cases that only need the contract to be in some stage (committing money,
amending, delivering) take an action that leads back to the same stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from kuznia.db.contracting import Contract, ContractStatus, Delivery, DeliveryStatus, LicenceStatus
from kuznia.errors import Conflict
from kuznia.money import Money
from kuznia.scenario.kinds import ProposalKind
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.lifecycle import Lifecycle, Transition


class Party(StrEnum):
    """Who someone is to a contract (and its deliveries)."""

    COORDINATOR = "coordinator"
    PAYING_PARTNER = "paying_partner"
    CONTRACTED_COMPANY = "contracted_company"


class Stage(StrEnum):
    """A contract's status, with a draft told apart by who has signed it."""

    DRAFT = "draft"
    COORDINATOR_SIGNED = "coordinator_signed"
    PARTNER_SIGNED = "partner_signed"
    SIGNED = "signed"
    IN_PRODUCTION = "in_production"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class ContractAction(StrEnum):
    SIGN_FOR_UKRAINE = "sign_for_ukraine"
    SIGN_FOR_PARTNER = "sign_for_partner"
    START_PRODUCTION = "start_production"
    DELIVER = "deliver"
    COMMIT_FUNDS = "commit_funds"
    AMEND = "amend"
    COMPLETE = "complete"
    TERMINATE = "terminate"


class DeliveryAction(StrEnum):
    ACCEPT = "accept"
    ACCEPT_IN_PART = "accept_in_part"
    REJECT = "reject"


C, PP, CC = Party.COORDINATOR, Party.PAYING_PARTNER, Party.CONTRACTED_COMPANY
S, A = Stage, ContractAction
OPEN = (S.DRAFT, S.COORDINATOR_SIGNED, S.PARTNER_SIGNED, S.SIGNED, S.IN_PRODUCTION)


T = TypeVar("T", bound=StrEnum)


def _t(to: T, *by: Party) -> Transition[T, Party]:
    return Transition(to, frozenset(by))


CONTRACT_TRANSITIONS: Mapping[tuple[Stage, ContractAction], Transition[Stage, Party]] = {
    (S.DRAFT, A.SIGN_FOR_UKRAINE): _t(S.COORDINATOR_SIGNED, C),
    (S.DRAFT, A.SIGN_FOR_PARTNER): _t(S.PARTNER_SIGNED, PP),
    (S.PARTNER_SIGNED, A.SIGN_FOR_UKRAINE): _t(S.SIGNED, C),
    (S.COORDINATOR_SIGNED, A.SIGN_FOR_PARTNER): _t(S.SIGNED, PP),
    (S.SIGNED, A.START_PRODUCTION): _t(S.IN_PRODUCTION, C, CC),
    (S.SIGNED, A.DELIVER): _t(S.IN_PRODUCTION, C, CC),
    (S.IN_PRODUCTION, A.DELIVER): _t(S.IN_PRODUCTION, C, CC),
    (S.SIGNED, A.COMMIT_FUNDS): _t(S.SIGNED, C, PP),
    (S.IN_PRODUCTION, A.COMMIT_FUNDS): _t(S.IN_PRODUCTION, C, PP),
    (S.IN_PRODUCTION, A.COMPLETE): _t(S.COMPLETED, C),
    **{(stage, A.AMEND): _t(stage, C) for stage in OPEN},
    **{(stage, A.TERMINATE): _t(S.TERMINATED, C) for stage in OPEN},
}

CONTRACT = Lifecycle(
    records="contracts",
    transitions=CONTRACT_TRANSITIONS,
    verbs={
        A.SIGN_FOR_UKRAINE: "sign {it} for Ukraine",
        A.SIGN_FOR_PARTNER: "sign {it} for the paying partner",
        A.START_PRODUCTION: "start production under {it}",
        A.DELIVER: "deliver under {it}",
        A.COMMIT_FUNDS: "commit money to {it}",
        A.AMEND: "amend {it}",
        A.COMPLETE: "complete {it}",
        A.TERMINATE: "terminate {it}",
    },
    described={
        S.COORDINATOR_SIGNED: "the coordinator signed {record} already",
        S.PARTNER_SIGNED: "the partner signed {record} already",
    },
)

D, DA = DeliveryStatus, DeliveryAction
DELIVERY_TRANSITIONS: Mapping[
    tuple[DeliveryStatus, DeliveryAction], Transition[DeliveryStatus, Party]
] = {
    (D.REPORTED, DA.ACCEPT): _t(D.ACCEPTED, C),
    (D.REPORTED, DA.ACCEPT_IN_PART): _t(D.PARTIALLY_ACCEPTED, C),
    (D.REPORTED, DA.REJECT): _t(D.REJECTED, C),
}

UNINSPECTED = frozenset(status for status, _action in DELIVERY_TRANSITIONS)
"""The statuses of deliveries that wait for an inspection."""

DELIVERY = Lifecycle(
    records="deliveries",
    transitions=DELIVERY_TRANSITIONS,
    verbs={
        DA.ACCEPT: "accept {it}",
        DA.ACCEPT_IN_PART: "accept {it} in part",
        DA.REJECT: "reject {it}",
    },
    described={
        D.ACCEPTED: "{record} was inspected already ({state})",
        D.PARTIALLY_ACCEPTED: "{record} was inspected already ({state})",
        D.REJECTED: "{record} was inspected already ({state})",
    },
)

STATUS_OF: Mapping[Stage, ContractStatus] = {
    S.DRAFT: ContractStatus.DRAFT,
    S.COORDINATOR_SIGNED: ContractStatus.DRAFT,
    S.PARTNER_SIGNED: ContractStatus.DRAFT,
    S.SIGNED: ContractStatus.SIGNED,
    S.IN_PRODUCTION: ContractStatus.IN_PRODUCTION,
    S.COMPLETED: ContractStatus.COMPLETED,
    S.TERMINATED: ContractStatus.TERMINATED,
}
"""The stored status of each stage."""

AWAITING_SIGNATURE = frozenset(
    STATUS_OF[stage]
    for stage, action in CONTRACT_TRANSITIONS
    if action in (A.SIGN_FOR_UKRAINE, A.SIGN_FOR_PARTNER)
)
"""The statuses of contracts that wait for a signature (the inbox: drafts)."""
DELIVERING = frozenset(
    STATUS_OF[stage] for stage, action in CONTRACT_TRANSITIONS if action is A.DELIVER
)
"""The statuses of contracts that take deliveries."""

CONTRACTED = frozenset(
    {ContractStatus.SIGNED, ContractStatus.IN_PRODUCTION, ContractStatus.COMPLETED}
)
"""Statuses whose units count as contracted (signed, whether delivered yet or not)."""


def stage_of(contract: Contract) -> Stage:
    """Where ``contract`` is: its status, and for a draft who has signed it."""
    status = ContractStatus(contract.status)
    if status is not ContractStatus.DRAFT:
        return Stage(status.value)
    if contract.coordinator_signed_by:
        return S.COORDINATOR_SIGNED
    return S.PARTNER_SIGNED if contract.partner_signed_by else S.DRAFT


def ended_as_draft(contract: Contract) -> bool:
    """Terminated before both parties had signed (OCDS: a cancelled award and contract)."""
    signed = contract.coordinator_signed_at is not None and contract.partner_signed_at is not None
    return contract.status is ContractStatus.TERMINATED and not signed


def parties_of(actor: Actor, contract: Contract) -> frozenset[Party]:
    """Who ``actor`` is to ``contract``: the coordinator, its paying partner, its company."""
    if actor.role is Role.COORDINATOR:
        return frozenset({C})
    if actor.role is Role.PARTNER and actor.partner_id == contract.partner_id:
        return frozenset({PP})
    if actor.role is Role.COMPANY and actor.company_id == contract.company_id:
        return frozenset({CC})
    return frozenset()


ROLE_PARTIES: Mapping[Role, frozenset[Party]] = {
    Role.COORDINATOR: frozenset({C}),
    Role.PARTNER: frozenset({PP}),
    Role.COMPANY: frozenset({CC}),
}
"""The parties someone of a role can be to some contract (to refuse before reading one)."""


def check_role(action: ContractAction, actor: Actor) -> None:
    """Forbidden if no one of ``actor``'s role may ever take ``action``."""
    CONTRACT.check_party(action, ROLE_PARTIES.get(actor.role, frozenset()), actor.role.value)


def next_stage(contract: Contract, action: ContractAction, actor: Actor) -> Stage:
    """The stage ``action`` by ``actor`` takes ``contract`` to (through :data:`CONTRACT`),
    without changing it."""
    return CONTRACT.apply(
        stage_of(contract),
        action,
        parties_of(actor, contract),
        role=actor.role.value,
        record=f"contract {contract.id}",
    )


def advance(contract: Contract, action: ContractAction, actor: Actor) -> Stage:
    """Take ``action`` on ``contract`` as ``actor``: its status becomes that of the new stage
    (:func:`next_stage`), which is returned."""
    stage = next_stage(contract, action, actor)
    if STATUS_OF[stage] is not contract.status:
        contract.status = STATUS_OF[stage]
    return stage


def _inspectors(actor: Actor) -> frozenset[Party]:
    return frozenset({C}) if actor.role is Role.COORDINATOR else frozenset()


def check_inspector(actor: Actor) -> None:
    """Forbidden unless ``actor`` may take some inspection action (before reading one)."""
    for action in DeliveryAction:
        DELIVERY.check_party(action, _inspectors(actor), actor.role.value)


def inspect(delivery: Delivery, action: DeliveryAction, actor: Actor) -> DeliveryStatus:
    """Take an inspection ``action`` on ``delivery`` as ``actor``: its new status."""
    parties = _inspectors(actor)
    return DELIVERY.take(
        delivery, action, parties, role=actor.role.value, record=f"delivery {delivery.id}"
    )


def inspection_action(accepted: int, rejected: int) -> DeliveryAction:
    """Which inspection accepting ``accepted`` units and rejecting ``rejected`` is."""
    if not rejected:
        return DA.ACCEPT
    return DA.REJECT if not accepted else DA.ACCEPT_IN_PART


# --- what transitions need of a line abroad --------------------------------------------------

UNUSABLE_LICENCES = frozenset({LicenceStatus.REFUSED, LicenceStatus.EXPIRED})


def check_abroad_terms(contract: Contract) -> None:
    """Signing a line abroad needs its wartime offtake, the capacity after, the IP owner and
    the export licence stated (a granted licence with its reference and expiry), and a licence
    that is neither refused nor expired."""
    if contract.kind != ProposalKind.UKRAINIAN_ABROAD:
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
    if contract.export_licence_status == LicenceStatus.GRANTED and not (
        contract.export_licence_reference and contract.export_licence_expiry
    ):
        missing.append("export_licence_reference and export_licence_expiry (licence granted)")
    if missing:
        raise Conflict(f"contract {contract.id} is for a line abroad; state {', '.join(missing)}")
    if contract.export_licence_status in UNUSABLE_LICENCES:
        raise Conflict(
            f"contract {contract.id}: the export licence is {contract.export_licence_status}"
        )


def check_licence(contract: Contract, on: date) -> None:
    """A line abroad delivers only with an export licence granted and valid on the day (or
    none required)."""
    if (
        contract.kind != ProposalKind.UKRAINIAN_ABROAD
        or contract.export_licence_status == LicenceStatus.NOT_REQUIRED
    ):
        return
    expiry = contract.export_licence_expiry
    if contract.export_licence_status != LicenceStatus.GRANTED or expiry is None or expiry < on:
        raise Conflict(
            f"contract {contract.id}: no valid export licence on {on.isoformat()} "
            f"(status {contract.export_licence_status}, expiry {expiry})"
        )


# --- what completion needs --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settlement:
    """Where a contract stands: units accepted, money committed to it and disbursed."""

    accepted_units: int
    committed: Money
    disbursed: Money


def check_settled(contract: Contract, settlement: Settlement) -> None:
    """A contract is completed only with every unit accepted and its whole amount committed
    and disbursed; otherwise it is terminated, with a reason."""
    amount = Money(contract.amount_cents, contract.currency)
    missing = []
    if settlement.accepted_units < contract.units:
        outstanding = contract.units - settlement.accepted_units
        missing.append(f"units: {outstanding} of {contract.units} units are not delivered")
    if settlement.committed < amount:
        missing.append(
            f"amount: {settlement.committed.display()} of {amount.display()} is committed"
        )
    if settlement.disbursed < amount:
        unpaid = amount - settlement.disbursed
        missing.append(f"amount: {unpaid.display()} of {amount.display()} is not paid")
    if missing:
        raise Conflict(
            f"contract {contract.id} cannot be completed ({'; '.join(missing)}): "
            "terminate it with a reason instead"
        )
