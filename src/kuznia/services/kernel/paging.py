"""Paging every list the same way: opaque cursors, and pages in commit order.

Lists page by the commit sequence number of each record's last change (the ``change_index``),
never by timestamps: a reader that has seen sequence n never later finds a change numbered
below n (see :mod:`kuznia.services.kernel.commit_sequence`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from kuznia.db.kernel import ChangeIndex
from kuznia.errors import InvalidInput

T = TypeVar("T")


MAX_SEQ = 2**62


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def page_in_commit_order(
    session: Session,
    model: Any,
    entity: str,
    condition: ColumnElement[bool],
    cursor: str | None,
    limit: int,
) -> Page[Any]:
    """Rows of ``model`` meeting ``condition`` in the order of their last change (commit
    sequence, ``change_index``), then id, after ``cursor``: as the registry lists page, so a
    row changed while a client pages moves to the end and is seen again, and none is skipped."""
    seq = func.coalesce(ChangeIndex.seq, 0)
    index = and_(ChangeIndex.entity == entity, ChangeIndex.record_id == model.id)
    stmt = select(model, seq.label("seq")).outerjoin(ChangeIndex, index).where(condition)
    if cursor is not None:
        last_seq, last_id = decode_cursor(cursor, entity)
        if type(last_seq) is not int or not 0 <= last_seq <= MAX_SEQ or type(last_id) is not str:
            raise InvalidInput.single("cursor", "not a cursor of this list")
        stmt = stmt.where(tuple_(seq, model.id) > tuple_(last_seq, last_id))
    rows = session.execute(stmt.order_by(seq, model.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    next_cursor = None if last is None else encode_cursor(entity, last.seq, last[0].id)
    return Page([row[0] for row in rows], next_cursor)


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
