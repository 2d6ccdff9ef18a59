"""How proposals and pledges move: each a transition table, stated once.

A proposal is submitted by its company; the ministry vets or rejects it, and may change its
decision or reopen it (back to submitted) at any time. The company may change or withdraw
(delete) its proposal only while it is submitted; the ministry at any time.

A pledge is offered by its partner and confirmed (by the partner or the coordinator); either
may withdraw it, offered or confirmed, and a withdrawn pledge stays withdrawn. Contracts are
drawn and money committed only from a pledge not withdrawn. The partner deletes only an offered
pledge (a confirmed one is withdrawn instead); the coordinator any.

Every path that changes a proposal's or a pledge's status (review, PATCH, web forms) or that
needs one in some state (editing, deleting, drawing a contract, committing money) goes through
:func:`check` with an action; a client that sets a pledge's ``status`` names the action by its
target (:meth:`~kuznia.services.kernel.lifecycle.Lifecycle.action_towards`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from kuznia.db.registries import Pledge, PledgeStatus, Proposal, ProposalStatus
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.lifecycle import Lifecycle, Transition


class Party(StrEnum):
    """Who someone is to a registry record."""

    COORDINATOR = "coordinator"
    OWNER = "owner"
    """the company a proposal is of, the partner a pledge is of"""


class ProposalAction(StrEnum):
    VET = "vet"
    REJECT = "reject"
    REOPEN = "reopen"
    EDIT = "edit"
    DELETE = "delete"


class PledgeAction(StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"
    EDIT = "edit"
    DELETE = "delete"
    FUND = "fund"


C, OWN = Party.COORDINATOR, Party.OWNER
T = TypeVar("T", bound=StrEnum)


def _t(to: T, *by: Party) -> Transition[T, Party]:
    return Transition(to, frozenset(by))


PS, PA = ProposalStatus, ProposalAction
PROPOSAL_TRANSITIONS: Mapping[
    tuple[ProposalStatus, ProposalAction], Transition[ProposalStatus, Party]
] = {
    **{(state, PA.VET): _t(PS.VETTED, C) for state in PS},
    **{(state, PA.REJECT): _t(PS.REJECTED, C) for state in PS},
    **{(state, PA.REOPEN): _t(PS.SUBMITTED, C) for state in PS},
    (PS.SUBMITTED, PA.EDIT): _t(PS.SUBMITTED, C, OWN),
    (PS.VETTED, PA.EDIT): _t(PS.VETTED, C),
    (PS.REJECTED, PA.EDIT): _t(PS.REJECTED, C),
    (PS.SUBMITTED, PA.DELETE): _t(PS.SUBMITTED, C, OWN),
    (PS.VETTED, PA.DELETE): _t(PS.VETTED, C),
    (PS.REJECTED, PA.DELETE): _t(PS.REJECTED, C),
}

PROPOSAL = Lifecycle(
    records="proposals",
    transitions=PROPOSAL_TRANSITIONS,
    verbs={
        PA.VET: "vet {it}",
        PA.REJECT: "reject {it}",
        PA.REOPEN: "reopen {it}",
        PA.EDIT: "change {it}",
        PA.DELETE: "delete {it}",
    },
)

REVIEW_DECISIONS: Mapping[ProposalStatus, ProposalAction] = {
    PS.VETTED: PA.VET,
    PS.REJECTED: PA.REJECT,
    PS.SUBMITTED: PA.REOPEN,
}
"""The review action a decision (the status the ministry gives a proposal) is."""
REASON_REQUIRED = frozenset({PA.REJECT})
"""Review actions that must say why (the company reads the reason)."""

GS, GA = PledgeStatus, PledgeAction
PLEDGE_TRANSITIONS: Mapping[tuple[PledgeStatus, PledgeAction], Transition[PledgeStatus, Party]] = {
    (GS.OFFERED, GA.CONFIRM): _t(GS.CONFIRMED, C, OWN),
    (GS.OFFERED, GA.WITHDRAW): _t(GS.WITHDRAWN, C, OWN),
    (GS.CONFIRMED, GA.WITHDRAW): _t(GS.WITHDRAWN, C, OWN),
    **{(state, GA.EDIT): _t(state, C, OWN) for state in GS},
    (GS.OFFERED, GA.DELETE): _t(GS.OFFERED, C, OWN),
    (GS.CONFIRMED, GA.DELETE): _t(GS.CONFIRMED, C),
    (GS.WITHDRAWN, GA.DELETE): _t(GS.WITHDRAWN, C),
    (GS.OFFERED, GA.FUND): _t(GS.OFFERED, C, OWN),
    (GS.CONFIRMED, GA.FUND): _t(GS.CONFIRMED, C, OWN),
}

PLEDGE = Lifecycle(
    records="pledges",
    transitions=PLEDGE_TRANSITIONS,
    verbs={
        GA.CONFIRM: "confirm {it}",
        GA.WITHDRAW: "withdraw {it}",
        GA.EDIT: "change {it}",
        GA.DELETE: "delete {it}",
        GA.FUND: "fund contracts from {it}",
    },
)

IMPORTED_PROPOSAL = PS.VETTED
IMPORTED_PLEDGE = GS.CONFIRMED
"""What a scenario file's import registers new lines and pledges as: a scenario holds the
planning inputs as exported (only vetted lines and confirmed pledges), so importing one restores
them as they were; an import keeps the status of records already registered."""
TABLED_PROPOSAL = PS.SUBMITTED
TABLED_PLEDGE = GS.OFFERED
"""What a spreadsheet import registers new lines and pledges as: unreviewed, like a record
created by hand, until the coordinator reviews them (``review.review_in_bulk``)."""

PLANNED_PROPOSALS = frozenset({PS.VETTED})
"""The proposals a plan draws on (and whose capacity counts as declared for the plan)."""
PLANNED_PLEDGES = frozenset({GS.CONFIRMED})
"""The pledges a plan spends (and that count as pledged money)."""
OPEN_PROPOSALS = frozenset(PS) - {PS.REJECTED}
"""The proposals not rejected: a what-if with unreviewed records, declared capacity."""
OPEN_PLEDGES = frozenset(GS) - {GS.WITHDRAWN}
"""The pledges not withdrawn: a what-if with unreviewed records."""


def parties_of(actor: Actor, record: Proposal | Pledge) -> frozenset[Party]:
    """Who ``actor`` is to ``record``: the coordinator, its owner, or no one."""
    if actor.role is Role.COORDINATOR:
        return frozenset({C})
    if isinstance(record, Proposal):
        owner = actor.role is Role.COMPANY and actor.company_id == record.company_id
    else:
        owner = actor.role is Role.PARTNER and actor.partner_id == record.partner_id
    return frozenset({OWN}) if owner else frozenset()


def check_proposal(proposal: Proposal, action: ProposalAction, actor: Actor) -> ProposalStatus:
    """Take ``action`` on ``proposal`` as ``actor`` through :data:`PROPOSAL`: its new status
    (set on the row if it changes)."""
    current = ProposalStatus(proposal.status)
    status = PROPOSAL.apply(
        current,
        action,
        parties_of(actor, proposal),
        role=actor.role.value,
        record=f"proposal {proposal.id}",
    )
    if status is not current:
        proposal.status = status
    return status


def set_pledge_status(pledge: Pledge, target: PledgeStatus, actor: Actor) -> PledgeStatus:
    """Give ``pledge`` the status ``target`` (a client sets it rather than naming an action):
    through the action leading there from its status, none if it has it already."""
    current = PledgeStatus(pledge.status)
    if target is current:
        return current
    action = PLEDGE.action_towards(current, target, record=f"pledge {pledge.id}")
    return check_pledge(pledge, action, actor)


def check_pledge(pledge: Pledge, action: PledgeAction, actor: Actor) -> PledgeStatus:
    """Take ``action`` on ``pledge`` as ``actor`` through :data:`PLEDGE`: its new status
    (set on the row if it changes)."""
    current = PledgeStatus(pledge.status)
    status = PLEDGE.apply(
        current,
        action,
        parties_of(actor, pledge),
        role=actor.role.value,
        record=f"pledge {pledge.id}",
    )
    if status is not current:
        pledge.status = status
    return status


def proposal_actions(actor: Actor, proposal: Proposal) -> tuple[ProposalAction, ...]:
    """What ``actor`` may do to ``proposal`` now, by :data:`PROPOSAL`."""
    return PROPOSAL.actions_from(ProposalStatus(proposal.status), parties_of(actor, proposal))


def pledge_actions(actor: Actor, pledge: Pledge) -> tuple[PledgeAction, ...]:
    """What ``actor`` may do to ``pledge`` now, by :data:`PLEDGE`."""
    return PLEDGE.actions_from(PledgeStatus(pledge.status), parties_of(actor, pledge))
