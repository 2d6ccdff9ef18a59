"""Logging in: browser sessions, personal API tokens, CSRF tokens, throttling of failed logins.

Session cookies and API tokens are 256-bit random strings; only their SHA-256 digests are
stored, so a copy of the database lets no one log in. API tokens are shown once, expire, and
can be revoked. The CSRF token of a session is an HMAC of the session token under the server's
secret key: nothing to store, and useless without the cookie it belongs to.

Password checks are throttled by :mod:`kuznia.services.identity.throttle`: growing delays per
account and client, never a lock-out of the account. A password change ends every other
session and token of the user.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, select
from sqlalchemy.orm import Session

from kuznia.db.base import as_utc
from kuznia.db.identity import ApiToken, Organisation, User, UserSession
from kuznia.errors import InvalidInput, NotFound, Unauthorized
from kuznia.services.identity import throttle
from kuznia.services.identity.throttle import ThrottlePolicy
from kuznia.services.identity.users import actor_of, password_matches, set_password
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.unit_of_work import UnitOfWork

TOKEN_PREFIX = "kz_"  # noqa: S105 - a prefix that marks API tokens, not a secret
LOGIN, REAUTH = "login", "reauth"


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    session_hours: int = 12
    max_token_days: int = 365
    account_failures: int = 5
    client_failures: int = 50
    window_minutes: int = 15
    account_total_failures: int = 100
    max_delay_seconds: int = 900

    @property
    def throttle(self) -> ThrottlePolicy:
        return ThrottlePolicy(
            account_failures=self.account_failures,
            client_failures=self.client_failures,
            account_total_failures=self.account_total_failures,
            window_minutes=self.window_minutes,
            max_delay_seconds=self.max_delay_seconds,
        )


@dataclass(frozen=True, slots=True)
class LoggedIn:
    actor: Actor
    token: str = field(repr=False)
    expires_at: datetime
    password_change_required: bool = False
    """The user logged in with a one-time password: ask them to choose their own."""


@dataclass(frozen=True, slots=True)
class Credential:
    """What a request authenticated with: a session cookie or an API token (never both)."""

    session_token: str | None = field(default=None, repr=False)
    api_token: str | None = field(default=None, repr=False)


MIN_PASSWORD = 12
MAX_PASSWORD = 1000


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------- logins


def _password_hash(database: Database, condition: Any) -> tuple[str | None, str | None]:
    with database.reading() as session:
        row = session.execute(select(User.id, User.password_hash, User.active).where(condition))
        found = row.first()
    if found is None or not found.active:
        return None, None
    return found.id, found.password_hash


def log_in(
    database: Database, email: str, password: str, *, client: str, policy: SessionPolicy
) -> LoggedIn:
    """Check a password (throttled per account and client) and open a session.

    The attempt is recorded and committed before the password is checked; Argon2 runs outside
    any transaction, so slow hashing never holds SQLite's write lock.
    """
    address = email.strip().lower()[:320]
    attempt = throttle.begin_attempt(
        database, throttle.Keys.of(LOGIN, address, throttle.client_key(client)), policy.throttle
    )
    # PostgreSQL refuses NUL and lone surrogates in text: such an address names no user (and
    # is never sent to the database)
    known = "\x00" not in address and address.encode("utf-8", "replace").decode() == address
    user_id, stored = _password_hash(database, User.email == address) if known else (None, None)
    if not password_matches(stored, password) or user_id is None:
        raise Unauthorized("wrong email or password")
    with database.unit_of_work(Actor(role=Role.PUBLIC, label="login")) as uow:
        throttle.succeeded(uow.session, attempt)
        throttle.forget_expired(uow.session, policy.throttle)
        token = secrets.token_urlsafe(32)
        expires = now() + timedelta(hours=policy.session_hours)
        uow.session.add(UserSession(id=digest(token), user_id=user_id, expires_at=expires))
        user = uow.session.get(User, user_id)
        assert user is not None
        organisation = uow.session.get(Organisation, user.organisation_id)
        assert organisation is not None
        return LoggedIn(
            actor_of(user, organisation), token, expires, bool(user.password_change_required)
        )


def change_password(
    database: Database,
    actor: Actor,
    current: str,
    new: str,
    *,
    client: str,
    keep: Credential,
    policy: SessionPolicy,
) -> None:
    """A user changes their own password, proving the current one (throttled like a login).

    Every other session and API token of the user ends with it: whoever holds a stolen cookie
    or token loses it when the owner changes the password. The credential the change was made
    with (``keep``) stays valid.
    """
    if actor.user_id is None:
        raise Unauthorized("only a user has a password")
    if not MIN_PASSWORD <= len(new) <= MAX_PASSWORD:
        raise InvalidInput.single(
            "new_password", f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters"
        )
    attempt = throttle.begin_attempt(
        database,
        throttle.Keys.of(REAUTH, actor.user_id, throttle.client_key(client)),
        policy.throttle,
    )
    user_id, stored = _password_hash(database, User.id == actor.user_id)
    if user_id is None or not password_matches(stored, current):
        raise InvalidInput.single("current_password", "not your current password")
    if new == current:
        raise InvalidInput.single("new_password", "choose a password other than the current one")
    with database.unit_of_work(actor) as uow:
        set_password(uow, user_id, new)
        end_other_credentials(uow, user_id, keep)
        throttle.succeeded(uow.session, attempt)


def end_other_credentials(uow: UnitOfWork, user_id: str, keep: Credential) -> None:
    """End every session and revoke every API token of ``user_id`` except ``keep``'s."""
    kept_session = digest(keep.session_token) if keep.session_token else None
    kept_token = digest(keep.api_token) if keep.api_token else None
    uow.session.execute(
        delete(UserSession).where(UserSession.user_id == user_id, UserSession.id != kept_session)
    )
    live = select(ApiToken).where(
        ApiToken.user_id == user_id,
        ApiToken.revoked_at.is_(None),
        ApiToken.token_hash != kept_token,
    )
    for token in uow.session.scalars(live.with_for_update()):
        before = _token_document(token)
        token.revoked_at = now()
        uow.session.flush()
        uow.record("api_tokens", token.id, "update", before, _token_document(token))


def log_out(database: Database, token: str) -> None:
    with database.transaction() as session:
        session.execute(delete(UserSession).where(UserSession.id == digest(token)))


ActorQuery = Select[Role, str, str, str, str | None, str | None]
Reader = Session | Connection
"""Where a credential is looked up: a session, or (cheaper, per request) a plain connection."""


@cache
def _actor_query(by_session: bool) -> ActorQuery:
    """One query from a credential's digest to its user and organisation, built once per kind.

    Only the columns an :class:`Actor` needs, one join, no ORM objects: this runs before every
    authenticated request, and building the query and loading ORM rows cost more than running
    it. A session lives until it expires; a token until it expires or is revoked."""
    credential: Any = UserSession if by_session else ApiToken
    key = UserSession.id if by_session else ApiToken.token_hash
    live = [] if by_session else [ApiToken.revoked_at.is_(None)]
    return (
        select(
            User.role, User.id, User.email,
            Organisation.id.label("organisation_id"), Organisation.partner_id,
            Organisation.company_id,
        )
        .select_from(credential)
        .join(User, User.id == credential.user_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            key == bindparam("digest"), User.active.is_(True), *live,
            credential.expires_at > bindparam("now"),
        )
        .limit(1)
    )  # fmt: skip


def _actor_of_row(reader: Reader, stmt: ActorQuery, token: str) -> Actor | None:
    row = reader.execute(stmt, {"digest": digest(token), "now": now()}).first()
    if row is None:
        return None
    return Actor(
        role=Role(row.role),
        user_id=row.id,
        organisation_id=row.organisation_id,
        partner_id=row.partner_id,
        company_id=row.company_id,
        label=row.email,
    )


def actor_from_session(reader: Reader, token: str) -> Actor | None:
    """The actor of a live session cookie, or None."""
    return _actor_of_row(reader, _actor_query(by_session=True), token)


def csrf_token(secret_key: str, session_token: str) -> str:
    """The CSRF token that goes with a session: HMAC-SHA256 of the session token."""
    mac = hmac.new(secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_matches(secret_key: str, session_token: str, offered: str | None) -> bool:
    return offered is not None and hmac.compare_digest(
        csrf_token(secret_key, session_token), offered
    )


# ---------------------------------------------------------------------------------- tokens


def _token_document(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "user_id": token.user_id,
        "created_at": as_utc(token.created_at),
        "expires_at": as_utc(token.expires_at),
        "revoked_at": None if token.revoked_at is None else as_utc(token.revoked_at),
    }


def issue_token(
    uow: UnitOfWork, name: str, days: int, policy: SessionPolicy
) -> tuple[dict[str, Any], str]:
    """A personal API token of the acting user; the plain token is returned this once only."""
    if uow.actor.user_id is None:
        raise Unauthorized("only a user can hold API tokens")
    begin_write(uow)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=f"tok-{secrets.token_hex(8)}",
        user_id=uow.actor.user_id,
        name=name,
        token_hash=digest(plain),
        created_at=now(),
        expires_at=now() + timedelta(days=min(days, policy.max_token_days)),
    )
    uow.session.add(token)
    uow.session.flush()
    doc = _token_document(token)
    uow.record("api_tokens", token.id, "create", None, doc)
    return doc, plain


def list_tokens(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The acting user's tokens, newest first (never the tokens themselves)."""
    stmt = select(ApiToken).where(ApiToken.user_id == actor.user_id)
    return [_token_document(t) for t in session.scalars(stmt.order_by(ApiToken.created_at.desc()))]


def revoke_token(uow: UnitOfWork, token_id: str) -> dict[str, Any]:
    """Revoke one of one's own tokens (a coordinator may revoke anyone's)."""
    begin_write(uow)
    token = uow.session.get(ApiToken, token_id)
    mine = token is not None and token.user_id == uow.actor.user_id
    if token is None or not (mine or uow.actor.role is Role.COORDINATOR):
        raise NotFound(f"no token {token_id!r}")
    before = _token_document(token)
    if token.revoked_at is None:
        token.revoked_at = now()
        uow.session.flush()
        uow.record("api_tokens", token.id, "update", before, _token_document(token))
    return _token_document(token)


def actor_from_token(reader: Reader, token: str) -> Actor | None:
    """The actor of a live (unexpired, unrevoked) API token, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return _actor_of_row(reader, _actor_query(by_session=False), token)
