"""Reviewing in bulk: the coordinator vets submitted proposals and confirms offered pledges,
many at once (after a spreadsheet import, which registers them unreviewed).

A separate use case from importing, so that no record vets itself: each record moves through its
lifecycle (``lifecycle.PROPOSAL``: vet; ``lifecycle.PLEDGE``: confirm) as the coordinator, and
each change is recorded in the unit of work (so in the audit trail and the transparency log,
with the coordinator as the actor), exactly as one review at a time would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.errors import Forbidden, InvalidInput, Problem
from kuznia.services.kernel.actors import Role
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.catalogue import plain
from kuznia.services.registries.lifecycle import (
    PledgeAction,
    ProposalAction,
    check_pledge,
    check_proposal,
)


@dataclass(frozen=True, slots=True)
class BulkReview:
    """The ids of the proposals vetted and the pledges confirmed."""

    proposals: tuple[str, ...]
    pledges: tuple[str, ...]


R = TypeVar("R", db.Proposal, db.Pledge)


def _rows(
    uow: UnitOfWork, model: type[R], waiting: str, ids: Sequence[str] | None, field: str
) -> list[R]:
    """The rows named by ``ids`` (every row in status ``waiting`` when None), locked."""
    stmt = select(model).with_for_update().order_by(model.id)
    if ids is None:
        stmt = stmt.where(model.status == waiting)
    else:
        stmt = stmt.where(model.id.in_(list(ids)))
    rows = list(uow.session.scalars(stmt))
    found = {r.id for r in rows}
    missing = [(i, m) for i, m in enumerate(ids or ()) if m not in found]
    if missing:
        raise InvalidInput(
            [Problem(f"{field}[{i}]", f"no such record {m!r}") for i, m in missing],
            f"the review names unknown {field}",
        )
    return rows


def _document(row: db.Proposal | db.Pledge) -> dict[str, Any]:
    return {c.name: plain(getattr(row, c.name)) for c in row.__table__.columns}


def review_in_bulk(
    uow: UnitOfWork,
    *,
    proposals: Sequence[str] | None = None,
    pledges: Sequence[str] | None = None,
) -> BulkReview:
    """Vet ``proposals`` and confirm ``pledges`` (None: every submitted proposal, every offered
    pledge), each through its lifecycle; a record in another state is refused, naming it."""
    if uow.actor.role is not Role.COORDINATOR:
        raise Forbidden("only the coordinator reviews in bulk")
    begin_write(uow)
    vetted = [
        _step(uow, "proposals", row, lambda r: check_proposal(r, ProposalAction.VET, uow.actor))
        for row in _rows(uow, db.Proposal, db.ProposalStatus.SUBMITTED, proposals, "proposals")
    ]
    confirmed = [
        _step(uow, "pledges", row, lambda r: check_pledge(r, PledgeAction.CONFIRM, uow.actor))
        for row in _rows(uow, db.Pledge, db.PledgeStatus.OFFERED, pledges, "pledges")
    ]
    uow.session.flush()
    return BulkReview(tuple(i for i in vetted if i), tuple(i for i in confirmed if i))


def _step(uow: UnitOfWork, entity: str, row: R, take: Callable[[R], object]) -> str:
    """Take the lifecycle step on ``row`` and record it; its id ('' if it was there already)."""
    before = _document(row)
    take(row)
    if row.status == before["status"]:
        return ""
    row.version = int(before["version"]) + 1
    uow.record(entity, row.id, "update", before, _document(row))
    return row.id
