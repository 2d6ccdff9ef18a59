"""Units of work: one transaction, one actor, and the list of changes it made.

Every use case that changes state runs inside :meth:`Database.unit_of_work` and reports each
change with :meth:`UnitOfWork.record`. Before the transaction commits, the database's change
listeners see the whole list, inside the same transaction: the audit trail and the
transparency log are such listeners, so a change is committed together with its audit row and
its log leaf, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from kuznia.services.kernel.actors import Actor

Action = Literal["create", "update", "delete"]

SEQ_KEY = "kuznia.commit_seq"
"""The key of ``session.info`` under which a unit of work keeps the commit sequence number it
took (:func:`~kuznia.services.kernel.commit_sequence.commit_seq`): a session without it has
written nothing. Here, not beside the tables that number commits, so that a reader asking
(the log's proofs) loads none of them."""


@dataclass(frozen=True, slots=True)
class Change:
    """One state change of one record; ``before``/``after`` are JSON-able documents."""

    entity: str
    record_id: str
    action: Action
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass
class UnitOfWork:
    session: Session
    actor: Actor
    changes: list[Change] = field(default_factory=list)

    def record(
        self,
        entity: str,
        record_id: str,
        action: Action,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        self.changes.append(Change(entity, record_id, action, before, after))


ChangeListener = Callable[[UnitOfWork], None]
