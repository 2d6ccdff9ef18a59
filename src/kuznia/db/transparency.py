"""Tables of the transparency log (``ledger_*``: leaves, nodes, head, openings, checkpoints) and
the audit trail.

The log tables and ``contract_amendments`` are append-only: migration 0003 creates triggers on
SQLite and PostgreSQL that refuse UPDATE and DELETE of their rows, so not even a bug in kuznia
(or an operator with plain SQL) can quietly rewrite history. ``ledger_head`` is the one mutable
log table: a single row whose lock serialises appends and hands out sequence numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import ID, SERIAL, Base, utcnow

HASH = LargeBinary(32)
SEQ = BigInteger().with_variant(Integer(), "sqlite")
"""On SQLite an INTEGER primary key is the rowid itself: no second index for a million leaves."""

APPEND_ONLY_TABLES = (
    "ledger_leaves",
    "ledger_nodes",
    "ledger_openings",
    "ledger_checkpoints",
    "contract_amendments",
)
"""Tables whose rows the database refuses to update or delete (triggers of migration 0003)."""


class LedgerLeaf(Base):
    """One leaf of the log: the canonical JSON of one change, secret fields as commitments."""

    __tablename__ = "ledger_leaves"

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(10))
    leaf: Mapped[str] = mapped_column(Text, doc="canonical JSON (RFC 8785), hashed as UTF-8")
    leaf_hash: Mapped[bytes] = mapped_column(HASH, doc="SHA-256(0x00 || leaf)")
    __table_args__ = (
        CheckConstraint("seq >= 0", name="seq_non_negative"),
        Index("ix_ledger_leaves_entity_record_id", "entity", "record_id"),
    )


class LedgerNode(Base):
    """The hash of a complete subtree: 2^level leaves starting at leaf index * 2^level.

    Level 0 is the leaf hash, kept in ``ledger_leaves``; levels 1 and up are here (about one
    row per leaf), so every proof and every past root costs O(log^2 n) look-ups.
    """

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(HASH)
    __table_args__ = (CheckConstraint("level >= 1 AND idx >= 0", name="position_valid"),)


class LedgerHead(Base):
    """The log's size and frontier (one row). Appenders lock it, which orders them and keeps
    seq gapless; the frontier (the complete subtrees new nodes pair with, 32 bytes each) is
    read with the lock (``services/transparency/head.py``)."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=1)
    size: Mapped[int] = mapped_column(BigInteger)
    frontier: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("size >= 0", name="size_non_negative"),
    )


class LedgerOpening(Base):
    """The salt and value behind one commitment of a leaf: readable by the coordinator only."""

    __tablename__ = "ledger_openings"

    seq: Mapped[int] = mapped_column(ForeignKey("ledger_leaves.seq"), primary_key=True)
    part: Mapped[str] = mapped_column(String(6), primary_key=True, doc="before or after")
    field: Mapped[str] = mapped_column(String(100), primary_key=True)
    salt: Mapped[bytes] = mapped_column(HASH)
    value: Mapped[str] = mapped_column(Text, doc="canonical JSON of the secret value")
    __table_args__ = (CheckConstraint("part IN ('before', 'after')", name="part_known"),)


class LedgerCheckpoint(Base):
    """A signed tree head: the C2SP signed note as published, and its parsed fields."""

    __tablename__ = "ledger_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[bytes] = mapped_column(HASH)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Who changed what, when, with the record before and after (secret fields included: they
    are redacted when read, by the reader's rights)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    organisation_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    entity: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    __table_args__ = (Index("ix_audit_events_entity_record", "entity", "record_id"),)
