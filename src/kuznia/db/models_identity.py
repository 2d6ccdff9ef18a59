"""Tables of identity (organisations, users, sessions, API tokens), the audit trail, the commit
sequence, and the bookkeeping of safe writes (idempotency keys, failed logins).

Secrets are never stored: passwords as Argon2id hashes, session and API tokens as SHA-256
digests of 256-bit random values (a digest suffices: the token itself has full entropy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.models import ID, Base, Record, utcnow

ORGANISATION_KINDS = ("ministry", "partner", "company", "audit")
ROLES = ("coordinator", "partner", "company", "auditor")
DIGEST = String(64)
EMAIL = String(320)
# An autoincrementing 64-bit key: SQLite only autoincrements an INTEGER PRIMARY KEY.
SERIAL = BigInteger().with_variant(Integer(), "sqlite")


class Organisation(Record):
    """The coordinating ministry, a partner government (linked to its partner record), a company
    (linked to its company record) or an audit body."""

    __tablename__ = "organisations"

    name: Mapped[str]
    kind: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[str | None] = mapped_column(
        ForeignKey("partners.id"), unique=True, nullable=True
    )
    company_id: Mapped[str | None] = mapped_column(
        ForeignKey("companies.id"), unique=True, nullable=True
    )
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="kind_known"),
        CheckConstraint("kind <> 'partner' OR partner_id IS NOT NULL", name="partner_linked"),
        CheckConstraint("kind <> 'company' OR company_id IS NOT NULL", name="company_linked"),
    )


class User(Record):
    """A person of an organisation; the role follows from the organisation's kind."""

    __tablename__ = "users"

    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(EMAIL, unique=True)
    name: Mapped[str]
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)


class UserSession(Base):
    """A browser session; ``id`` is the SHA-256 of the cookie value."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(DIGEST, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A personal API token: shown once, stored as a digest, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailure(Base):
    """One failed login, kept for the throttling window, under what it counts against
    (``email:...`` for the account, ``client:...`` for the client address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(SERIAL, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


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
