"""How proposals, capacity projects and pledges move: each a transition table, stated once.

A proposal is submitted by its company; the ministry vets or rejects it, and may change its
decision or reopen it (back to submitted) at any time. The company may change or withdraw
(delete) its proposal only while it is submitted; the ministry at any time.

A capacity project is reviewed as a proposal is (submitted, vetted, rejected, by the same
actions); a vetted project is then financed (by the ministry, once its capex is found), its
construction started (by the ministry or its company) and, when built, it starts producing (the
ministry: its line then enters the proposals, vetted). The company changes or withdraws its
project only while it is submitted; the ministry until it produces.

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

from kuznia.db.registries import (
    CapacityProject,
    Pledge,
    PledgeStatus,
    ProjectStatus,
    Proposal,
    ProposalStatus,
)
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.lifecycle import Lifecycle, Transition


class Party(StrEnum):
    """Who someone is to a registry record."""

    COORDINATOR = "coordinator"
    OWNER = "owner"
    """the company a proposal or project is of, the partner a pledge is of"""


class ProposalAction(StrEnum):
    VET = "vet"
    REJECT = "reject"
    REOPEN = "reopen"
    EDIT = "edit"
    DELETE = "delete"


class ProjectAction(StrEnum):
    VET = "vet"
    REJECT = "reject"
    REOPEN = "reopen"
    FINANCE = "finance"
    BUILD = "build"
    PRODUCE = "produce"
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

JS, JA = ProjectStatus, ProjectAction
_REVIEWED = (JS.SUBMITTED, JS.VETTED, JS.REJECTED)
_ProjectStep = tuple[ProjectStatus, ProjectAction]
PROJECT_TRANSITIONS: Mapping[_ProjectStep, Transition[ProjectStatus, Party]] = {
    # the review, as a proposal's: among the review states only, by the ministry
    **{(state, JA.VET): _t(JS.VETTED, C) for state in _REVIEWED},
    **{(state, JA.REJECT): _t(JS.REJECTED, C) for state in _REVIEWED},
    **{(state, JA.REOPEN): _t(JS.SUBMITTED, C) for state in _REVIEWED},
    # the build: vetted -> financed -> under construction -> producing
    (JS.VETTED, JA.FINANCE): _t(JS.FINANCED, C),
    (JS.FINANCED, JA.BUILD): _t(JS.UNDER_CONSTRUCTION, C, OWN),
    (JS.UNDER_CONSTRUCTION, JA.PRODUCE): _t(JS.PRODUCING, C),
    (JS.SUBMITTED, JA.EDIT): _t(JS.SUBMITTED, C, OWN),
    **{(state, JA.EDIT): _t(state, C) for state in JS if state not in (JS.SUBMITTED, JS.PRODUCING)},
    (JS.SUBMITTED, JA.DELETE): _t(JS.SUBMITTED, C, OWN),
    (JS.VETTED, JA.DELETE): _t(JS.VETTED, C),
    (JS.REJECTED, JA.DELETE): _t(JS.REJECTED, C),
}

PROJECT = Lifecycle(
    records="capacity_projects",
    transitions=PROJECT_TRANSITIONS,
    verbs={
        JA.VET: "vet {it}",
        JA.REJECT: "reject {it}",
        JA.REOPEN: "reopen {it}",
        JA.FINANCE: "mark {it} financed",
        JA.BUILD: "start building {it}",
        JA.PRODUCE: "start production of {it}",
        JA.EDIT: "change {it}",
        JA.DELETE: "delete {it}",
    },
)
PLANNED_PROJECTS = frozenset({JS.VETTED, JS.FINANCED})
"""The projects a plan may decide to build: vetted and financed, not yet building (a producing
project is a proposal now)."""
OPEN_PROJECTS = frozenset({JS.SUBMITTED, JS.VETTED, JS.FINANCED})
"""The projects a what-if with unreviewed records plans."""
IMPORTED_PROJECT = JS.VETTED
TABLED_PROJECT = JS.SUBMITTED
"""What a scenario file's import (vetted) and a spreadsheet import (submitted) register new
projects as, as for proposals."""

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
AWAITING_REVIEW = frozenset({PS.SUBMITTED})
"""The proposals that wait for the coordinator's review (the inbox)."""


FIRMS = frozenset({Role.COMPANY, Role.INVESTOR})
"""Who owns a capacity project by its company: a company, or an investor firm."""
FUNDERS = frozenset({Role.PARTNER, Role.INVESTOR})
"""Who owns a pledge by its partner record: a partner, or an investor fund."""


def parties_of(actor: Actor, record: Proposal | CapacityProject | Pledge) -> frozenset[Party]:
    """Who ``actor`` is to ``record``: the coordinator, its owner, or no one."""
    if actor.role is Role.COORDINATOR:
        return frozenset({C})
    if isinstance(record, Proposal):
        owner = actor.role is Role.COMPANY and actor.company_id == record.company_id
    elif isinstance(record, CapacityProject):
        owner = actor.role in FIRMS and actor.company_id == record.company_id
    else:
        owner = actor.role in FUNDERS and actor.partner_id == record.partner_id
    return frozenset({OWN}) if owner else frozenset()


def check_proposal(proposal: Proposal, action: ProposalAction, actor: Actor) -> ProposalStatus:
    """Take ``action`` on ``proposal`` as ``actor`` through :data:`PROPOSAL`: its new status
    (set on the row if it changes)."""
    parties = parties_of(actor, proposal)
    return PROPOSAL.take(
        proposal, action, parties, role=actor.role.value, record=f"proposal {proposal.id}"
    )


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
    parties = parties_of(actor, pledge)
    return PLEDGE.take(pledge, action, parties, role=actor.role.value, record=f"pledge {pledge.id}")


def check_project(project: CapacityProject, action: ProjectAction, actor: Actor) -> ProjectStatus:
    """Take ``action`` on ``project`` as ``actor`` through :data:`PROJECT`: its new status
    (set on the row if it changes)."""
    parties = parties_of(actor, project)
    return PROJECT.take(
        project, action, parties, role=actor.role.value, record=f"project {project.id}"
    )


def project_action_towards(project: CapacityProject, target: ProjectStatus) -> ProjectAction:
    """The action a client that sets a project's status to ``target`` takes."""
    current = ProjectStatus(project.status)
    return PROJECT.action_towards(current, target, record=f"project {project.id}")


def proposal_actions(actor: Actor, proposal: Proposal) -> tuple[ProposalAction, ...]:
    """What ``actor`` may do to ``proposal`` now, by :data:`PROPOSAL`."""
    return PROPOSAL.actions_from(ProposalStatus(proposal.status), parties_of(actor, proposal))


def pledge_actions(actor: Actor, pledge: Pledge) -> tuple[PledgeAction, ...]:
    """What ``actor`` may do to ``pledge`` now, by :data:`PLEDGE`."""
    return PLEDGE.actions_from(PledgeStatus(pledge.status), parties_of(actor, pledge))
