"""The audit trail: who changed what, when, with the record before and after.

``audit_events`` holds every change with who, when, and the record before and after (secret
fields included; they are redacted when read, by the reader's rights). Every entity is covered
by the one listener, because every change passes through ``UnitOfWork.record``. The listener
also moves each changed record to the end of the change index
(:mod:`kuznia.services.kernel.commit_sequence`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.orm import Session

from kuznia.db.base import utcnow
from kuznia.db.bulk import defer_rows
from kuznia.db.transparency import AuditEvent
from kuznia.errors import InvalidInput
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.kernel.commit_sequence import commit_seq, index_changes
from kuznia.services.kernel.paging import MAX_SEQ, decode_cursor, encode_cursor
from kuznia.services.kernel.unit_of_work import SEQ_KEY, UnitOfWork


def _jsonable(doc: Any) -> Any:
    if doc is None:
        return None
    return json.loads(json.dumps(dict(doc), default=str))


def audit_listener(uow: UnitOfWork) -> None:
    """The audit trail alone as a change listener (the default wiring: ``recording.py``)."""
    if uow.changes:
        defer_audit(uow, audit_rows(uow))


def audit_rows(uow: UnitOfWork) -> list[dict[str, Any]]:
    """One audit event per change of ``uow``, but for the commit sequence number and the time,
    which :func:`defer_audit` adds: made before that number's lock is taken."""
    actor = uow.actor
    return [
        {
            "actor": actor.name[:200],
            "role": actor.role.value,
            "user_id": actor.user_id,
            "organisation_id": actor.organisation_id,
            "entity": c.entity,
            "record_id": c.record_id,
            "action": c.action,
            "before": _jsonable(c.before),
            "after": _jsonable(c.after),
        }
        for c in uow.changes
    ]


def defer_audit(uow: UnitOfWork, rows: list[dict[str, Any]]) -> int:
    """Take the unit of work's commit sequence number (on PostgreSQL its lock, held to commit),
    keep the audit ``rows`` with it and the time for the unit of work's one INSERT, and move
    each changed record to the end of the change index. Returns the number."""
    session = uow.session
    seq = commit_seq(uow)
    session.info.pop(SEQ_KEY, None)
    at = utcnow()
    defer_rows(session, AuditEvent, [{"seq": seq, "at": at, **row} for row in rows])
    index_changes(session, uow.changes, seq)
    return seq


@dataclass(frozen=True, slots=True)
class AuditPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _event_document(viewer: Viewer, event: Row[Any]) -> dict[str, Any]:
    def shown(doc: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if doc is None else viewer.redact(event.entity, dict(doc))

    return {
        "id": event.id,
        "seq": event.seq,
        "at": event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC),
        "actor": event.actor,
        "role": event.role,
        "user_id": event.user_id,
        "organisation_id": event.organisation_id,
        "entity": event.entity,
        "record_id": event.record_id,
        "action": event.action,
        "before": shown(event.before),
        "after": shown(event.after),
    }


def audit_trail(
    session: Session,
    viewer: Viewer,
    *,
    entity: str | None = None,
    record_id: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> AuditPage:
    """Audit events in commit order, for whoever the access policy lets read them (coordinators
    and auditors); secret fields redacted by the viewer's rights (an auditor never sees a site's
    location, before or after)."""
    viewer.scope("audit_events", Action.READ)
    table = AuditEvent.__table__
    stmt = select(table)
    if entity is not None:
        stmt = stmt.where(table.c.entity == entity)
    if record_id is not None:
        stmt = stmt.where(table.c.record_id == record_id)
    if cursor is not None:
        seq, last_id = decode_cursor(cursor, "audit")
        if not all(type(v) is int and 0 <= v <= MAX_SEQ for v in (seq, last_id)):
            raise InvalidInput.single("cursor", "not a cursor of this list")
        stmt = stmt.where(tuple_(table.c.seq, table.c.id) > tuple_(seq, last_id))
    rows = session.execute(stmt.order_by(table.c.seq, table.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_event_document(viewer, r) for r in rows]
    next_cursor = encode_cursor("audit", rows[-1].seq, rows[-1].id) if more and rows else None
    return AuditPage(items, next_cursor)
