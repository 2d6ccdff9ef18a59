"""The audit trail and the commit sequence.

Every unit of work that changes something takes one **commit sequence number** (``seq``) from
the single-row ``commit_sequence`` table. Taking it is an ``UPDATE`` of that row, whose lock is
held until the transaction ends, so writers serialise on it and numbers become visible in
commit order. That is what makes ``seq`` a safe paging and feed key: a reader that has seen
``seq = n`` will never later discover a change numbered ``<= n``. (A database sequence or an
autoincrement id would not do: numbers are handed out at insert time, and a transaction that
took a smaller number can commit after one that took a larger.)

We keep the number in a change table rather than in a column of each registry row: the
``change_index`` table holds the last ``seq`` of every record (the cursor key of every list),
and ``audit_events`` holds every change with who, when, and the record before and after. The
registry tables stay as they are, and every entity -- including ones added later by other
modules -- is covered by the one listener, because every change passes through
``UnitOfWork.record``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import Row, delete, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kuznia.db.bulk import insert_rows
from kuznia.db.models import utcnow
from kuznia.db.models_identity import AuditEvent, ChangeIndex, CommitSequence
from kuznia.errors import InvalidInput
from kuznia.services.authz import Viewer, require
from kuznia.services.unit_of_work import Change, Role, UnitOfWork

SEQ_KEY = "kuznia.commit_seq"
CHUNK = 1000


def encode_cursor(kind: str, key: Any, last_id: Any) -> str:
    """An opaque cursor: the sort key and id of the last item seen, and which list it is for."""
    raw = json.dumps([kind, key, last_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str) -> tuple[Any, Any]:
    """The (key, id) of a cursor made by :func:`encode_cursor` for the list ``kind``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found, key, last_id = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise InvalidInput.single("cursor", "not a cursor of this list") from None
    if found != kind:
        raise InvalidInput.single("cursor", "not a cursor of this list")
    return key, last_id


def _next_seq(session: Session) -> int:
    seq = CommitSequence
    stmt = update(seq).where(seq.id == 1).values(value=seq.value + 1).returning(seq.value)
    value = session.execute(stmt, execution_options={"synchronize_session": False}).scalar()
    if value is None:  # the row is missing (a truncated test database): start again at 1
        session.execute(insert(seq).values(id=1, value=1))
        return 1
    return int(value)


def commit_seq(uow: UnitOfWork) -> int:
    """This unit of work's commit sequence number, taken now if not yet (then held to commit)."""
    info = uow.session.info
    if SEQ_KEY not in info:
        info[SEQ_KEY] = _next_seq(uow.session)
    return int(info[SEQ_KEY])


def begin_write(uow: UnitOfWork) -> None:
    """Start a writing use case: on SQLite, take the database's one write lock now (by taking
    the commit sequence number first), so that what the use case reads cannot change before it
    writes, and concurrent writers queue on the busy timeout instead of failing.

    On PostgreSQL the number is taken at the end, by the listener, as every other writer does:
    one lock order everywhere (the rows a use case locks, then the commit sequence, then the
    transparency log's head), so writers cannot deadlock on it. Use cases lock the rows they
    check with ``SELECT ... FOR UPDATE`` instead.
    """
    if uow.session.get_bind().dialect.name == "sqlite":
        commit_seq(uow)


def _jsonable(doc: Any) -> Any:
    if doc is None:
        return None
    return json.loads(json.dumps(dict(doc), default=str))


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _upsert_index(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Multi-row VALUES per chunk: pg8000's executemany would be one round trip per row."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    for chunk in _chunks(rows):
        stmt = module.insert(ChangeIndex.__table__).values(list(chunk))
        stmt = stmt.on_conflict_do_update(
            index_elements=["entity", "record_id"], set_={"seq": stmt.excluded.seq}
        )
        session.execute(stmt)


def _index(session: Session, changes: Sequence[Change], seq: int) -> None:
    last: dict[tuple[str, str], str] = {}
    for change in changes:
        last[(change.entity, change.record_id)] = change.action
    gone = [key for key, action in last.items() if action == "delete"]
    kept = [
        {"entity": e, "record_id": r, "seq": seq} for (e, r), a in last.items() if a != "delete"
    ]
    for start in range(0, len(gone), CHUNK):
        keys = gone[start : start + CHUNK]
        session.execute(
            delete(ChangeIndex).where(tuple_(ChangeIndex.entity, ChangeIndex.record_id).in_(keys))
        )
    if kept:
        _upsert_index(session, kept)


def audit_listener(uow: UnitOfWork) -> None:
    """Write one audit event per change and move each changed record to the end of the index."""
    if not uow.changes:
        return
    session = uow.session
    seq = commit_seq(uow)
    session.info.pop(SEQ_KEY, None)
    actor, at = uow.actor, utcnow()
    rows = [
        {
            "seq": seq,
            "at": at,
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
    insert_rows(session, AuditEvent, rows)
    _index(session, uow.changes, seq)


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
    """Audit events in commit order, for coordinators and auditors; secret fields redacted by
    the viewer's rights (an auditor never sees a site's location, before or after)."""
    require(viewer.actor, Role.COORDINATOR, Role.AUDITOR)
    table = AuditEvent.__table__
    stmt = select(table)
    if entity is not None:
        stmt = stmt.where(table.c.entity == entity)
    if record_id is not None:
        stmt = stmt.where(table.c.record_id == record_id)
    if cursor is not None:
        seq, last_id = decode_cursor(cursor, "audit")
        if not isinstance(seq, int) or not isinstance(last_id, int):
            raise InvalidInput.single("cursor", "not a cursor of this list")
        stmt = stmt.where(tuple_(table.c.seq, table.c.id) > tuple_(seq, last_id))
    rows = session.execute(stmt.order_by(table.c.seq, table.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_event_document(viewer, r) for r in rows]
    next_cursor = encode_cursor("audit", rows[-1].seq, rows[-1].id) if more and rows else None
    return AuditPage(items, next_cursor)
