"""Tables of identity: organisations, users, sessions, API tokens and failed logins.

Secrets are never stored: passwords as Argon2id hashes, session and API tokens as SHA-256
digests of 256-bit random values (a digest suffices: the token itself has full entropy).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import ID, SERIAL, Base, Record, enum_type, one_of, utcnow
from kuznia.db.enums import Role

__all__ = ["Role"]


USER_ROLES = tuple(role for role in Role if role is not Role.PUBLIC)
"""The roles a user can hold."""


class OrganisationKind(StrEnum):
    MINISTRY = "ministry"
    PARTNER = "partner"
    COMPANY = "company"
    AUDIT = "audit"
    INVESTOR = "investor"


DIGEST = String(64)
EMAIL = String(320)


class Organisation(Record):
    """The coordinating ministry, a partner government (linked to its partner record), a company
    (linked to its company record) or an audit body."""

    __tablename__ = "organisations"

    name: Mapped[str]
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind, 20))
    partner_id: Mapped[str | None] = mapped_column(
        ForeignKey("partners.id"), unique=True, nullable=True
    )
    company_id: Mapped[str | None] = mapped_column(
        ForeignKey("companies.id"), unique=True, nullable=True
    )
    __table_args__ = (
        one_of("kind", OrganisationKind, "kind_known"),
        CheckConstraint("kind <> 'partner' OR partner_id IS NOT NULL", name="partner_linked"),
        CheckConstraint("kind <> 'company' OR company_id IS NOT NULL", name="company_linked"),
    )


class User(Record):
    """A person of an organisation; the role follows from the organisation's kind."""

    __tablename__ = "users"

    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(EMAIL, unique=True)
    name: Mapped[str]
    role: Mapped[Role] = mapped_column(enum_type(Role, 20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_change_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(),
        doc="the password is a one-time one the user was given: change it after logging in",
    )  # fmt: skip
    __table_args__ = (one_of("role", USER_ROLES, "role_known"),)


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
