"""What waits for someone: proposals to review, contracts to sign or deliver under, deliveries to
inspect, commitments to pay, failed jobs. One counting query per kind, each through the access
policy (``Viewer.condition``), so a count never includes a record its reader may not see; the
lists behind the counts are the same conditions with their rows.

Who is asked to do what follows the transition tables: the coordinator reviews proposals and
inspects deliveries; a contract waits for the signature of the coordinator (for Ukraine) and of
its paying partner; a commitment waits to be paid by its paying partner or the coordinator; a
signed contract waits for deliveries from its company.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import (
    Contract,
    Delivery,
    FlowKind,
    MoneyFlow,
)
from kuznia.db.jobs import JobStatus
from kuznia.db.kernel import CommitSequence
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.contracting.lifecycle import AWAITING_SIGNATURE, DELIVERING, UNINSPECTED
from kuznia.services.jobs.reading import counts_waiting, list_jobs
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries.lifecycle import AWAITING_REVIEW

Pair = Select[str, str]
"""A kind's rows: the record to open, and a detail (a title, the record within it)."""


class Waiting(StrEnum):
    """The kinds of work an inbox holds, in the order it shows them."""

    PROPOSALS_TO_REVIEW = "proposals_to_review"
    CONTRACTS_TO_SIGN = "contracts_to_sign"
    DELIVERIES_TO_INSPECT = "deliveries_to_inspect"
    COMMITMENTS_TO_PAY = "commitments_to_pay"
    CONTRACTS_TO_DELIVER = "contracts_to_deliver"
    FAILED_JOBS = "failed_jobs"


@dataclass(frozen=True, slots=True)
class WaitingItem:
    """One thing to do: which record, a short description, where to do it."""

    kind: Waiting
    record_id: str
    title: str
    href: str


def _proposals(viewer: Viewer) -> Pair | None:
    if viewer.grant("proposals", Action.REVIEW) is None:
        return None
    condition = and_(
        viewer.condition("proposals", Action.REVIEW),
        db.Proposal.status.in_(AWAITING_REVIEW),
    )
    return select(db.Proposal.id, db.Proposal.capability_id).where(condition)


def _to_sign(viewer: Viewer) -> Pair | None:
    role = viewer.actor.role
    if role is Role.COORDINATOR:
        unsigned: ColumnElement[bool] = Contract.coordinator_signed_by.is_(None)
    elif role is Role.PARTNER:
        unsigned = Contract.partner_signed_by.is_(None)
    else:
        return None
    condition = and_(
        viewer.condition("contracts"), Contract.status.in_(AWAITING_SIGNATURE), unsigned
    )
    return select(Contract.id, Contract.title).where(condition)


def _to_inspect(viewer: Viewer) -> Pair | None:
    if viewer.actor.role is not Role.COORDINATOR:
        return None
    condition = and_(viewer.condition("deliveries"), Delivery.status.in_(UNINSPECTED))
    titled = select(Delivery.contract_id, Contract.title).join(
        Contract, Contract.id == Delivery.contract_id
    )
    return titled.where(condition)


def _to_pay(viewer: Viewer) -> Pair | None:
    if viewer.actor.role not in (Role.COORDINATOR, Role.PARTNER):
        return None
    disbursed = (
        select(MoneyFlow.commitment_id, func.sum(MoneyFlow.amount_cents).label("paid"))
        .where(MoneyFlow.kind == FlowKind.DISBURSEMENT)
        .group_by(MoneyFlow.commitment_id)
        .subquery()
    )
    condition = and_(
        viewer.condition("money_flows"),
        MoneyFlow.kind == FlowKind.COMMITMENT,
        MoneyFlow.amount_cents > func.coalesce(disbursed.c.paid, 0),
    )
    titled = (
        select(MoneyFlow.contract_id, Contract.title)  # only contracts' flows (the join)
        .select_from(MoneyFlow)
        .join(Contract, Contract.id == MoneyFlow.contract_id)
        .outerjoin(disbursed, disbursed.c.commitment_id == MoneyFlow.id)
    )
    return cast(Pair, titled.where(condition))


def _to_deliver(viewer: Viewer) -> Pair | None:
    if viewer.actor.role is not Role.COMPANY:
        return None
    open_ = Contract.status.in_(DELIVERING)
    return select(Contract.id, Contract.title).where(viewer.condition("contracts"), open_)


QUERIES: Mapping[Waiting, Callable[[Viewer], Pair | None]] = {
    Waiting.PROPOSALS_TO_REVIEW: _proposals,
    Waiting.CONTRACTS_TO_SIGN: _to_sign,
    Waiting.DELIVERIES_TO_INSPECT: _to_inspect,
    Waiting.COMMITMENTS_TO_PAY: _to_pay,
    Waiting.CONTRACTS_TO_DELIVER: _to_deliver,
}
"""Each kind's rows for a viewer (None: nothing of that kind is ever for its role); failed
jobs are counted by the jobs context (``jobs.reading``)."""


def _record_counts(session: Session, viewer: Viewer) -> dict[Waiting, int]:
    counts: dict[Waiting, int] = {}
    for kind, query in QUERIES.items():
        rows = query(viewer)
        if rows is not None:
            counted = select(func.count()).select_from(rows.subquery())
            counts[kind] = int(session.scalar(counted) or 0)
    return counts


def _job_counts(session: Session, viewer: Viewer) -> dict[Waiting, int]:
    if viewer.grant("jobs") is None:
        return {}
    return {Waiting.FAILED_JOBS: counts_waiting(session, viewer.actor)[JobStatus.FAILED.value]}


def waiting_counts(session: Session, actor: Actor) -> dict[Waiting, int]:
    """How many of each kind wait for ``actor``: one COUNT query per kind its role has."""
    viewer = Viewer.of(session, actor)
    return {**_record_counts(session, viewer), **_job_counts(session, viewer)}


class WaitingCache:
    """The counts of records waiting, per kind of reader, kept until the next write commits:
    every change of a record takes a new commit sequence number, which empties this memory, so
    a page's navigation costs one read of that number while nothing changed. Jobs change
    outside units of work: their count is read every time (one query)."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._seq = -1
        self._counts: dict[tuple[object, ...], dict[Waiting, int]] = {}
        self._lock = threading.Lock()

    def counts(self, session: Session, actor: Actor) -> dict[Waiting, int]:
        viewer = Viewer.of(session, actor)
        sequence = session.get(CommitSequence, 1)
        seq = sequence.value if sequence is not None else 0
        key = (actor.role, actor.partner_id, actor.company_id, actor.user_id)
        with self._lock:
            if self._seq != seq:
                self._seq, self._counts = seq, {}
            found = self._counts.get(key)
        if found is None:
            found = _record_counts(session, viewer)
            with self._lock:
                if self._seq == seq and len(self._counts) < self._size:
                    self._counts[key] = found
        return {**found, **_job_counts(session, viewer)}


def total_waiting(counts: Mapping[Waiting, int]) -> int:
    return sum(counts.values())


HREFS: Mapping[Waiting, Callable[[str, str], str]] = {
    Waiting.PROPOSALS_TO_REVIEW: lambda record, _detail: f"/registries/proposals?q={record}",
    Waiting.CONTRACTS_TO_SIGN: lambda record, _detail: f"/contracts/{record}#sign",
    Waiting.DELIVERIES_TO_INSPECT: lambda record, _detail: f"/contracts/{record}#deliveries",
    Waiting.COMMITMENTS_TO_PAY: lambda record, _detail: f"/contracts/{record}#money",
    Waiting.CONTRACTS_TO_DELIVER: lambda record, _detail: f"/contracts/{record}#deliveries",
}


def waiting_items(
    session: Session, actor: Actor, limit: int = 50
) -> dict[Waiting, list[WaitingItem]]:
    """The first ``limit`` records of each kind waiting for ``actor`` (same conditions as the
    counts), each with where to act on it."""
    viewer = Viewer.of(session, actor)
    found: dict[Waiting, list[WaitingItem]] = {}
    for kind, query in QUERIES.items():
        rows = query(viewer)
        if rows is None:
            continue
        found[kind] = [
            WaitingItem(kind, str(first), str(second), HREFS[kind](str(first), str(second)))
            for first, second in session.execute(rows.limit(limit))
        ]
    if viewer.grant("jobs") is not None:
        failed = list_jobs(session, actor, status=JobStatus.FAILED, limit=limit)
        found[Waiting.FAILED_JOBS] = [
            WaitingItem(Waiting.FAILED_JOBS, j["id"], j["kind"], "/jobs") for j in failed
        ]
    return found
