"""Tables of the shared kernel: the commit sequence, the change index (the paging key of every
list) and the idempotency keys of safe retries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import ID, Base, utcnow

DIGEST = String(64)


class IdempotencyRecord(Base):
    """The first response to a creating request sent with an ``Idempotency-Key``."""

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(DIGEST)
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CommitSequence(Base):
    """One row: the last commit sequence number handed out.

    A writing unit of work takes the next number by updating this row first, which holds the row
    lock until commit; so numbers become visible in commit order and a reader that has seen
    number n will never later find a new change numbered below n.
    """

    __tablename__ = "commit_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class ChangeIndex(Base):
    """The commit sequence number of the last change of every record (the paging key)."""

    __tablename__ = "change_index"

    entity: Mapped[str] = mapped_column(String(100), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_change_index_entity_seq", "entity", "seq"),)
