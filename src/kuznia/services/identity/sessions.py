"""Logging in: browser sessions, personal API tokens, CSRF tokens, throttling of failed logins.

Session cookies and API tokens are 256-bit random strings; only their SHA-256 digests are
stored, so a copy of the database lets no one log in. API tokens are shown once, expire, and
can be revoked. The CSRF token of a session is an HMAC of the session token under the server's
secret key: nothing to store, and useless without the cookie it belongs to.

Failed logins are throttled per account and per client address over a sliding window, kept in
the database so that every server process sees the same count.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kuznia.db.identity import ApiToken, LoginFailure, Organisation, User, UserSession
from kuznia.errors import KuzniaError, NotFound, Unauthorized
from kuznia.services.identity.users import actor_of, password_matches
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.unit_of_work import UnitOfWork

TOKEN_PREFIX = "kz_"  # noqa: S105 - a prefix that marks API tokens, not a secret


class Throttled(KuzniaError):
    """Too many failed logins: try again after ``retry_after`` seconds."""

    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    session_hours: int = 12
    max_token_days: int = 365
    account_failures: int = 5
    client_failures: int = 50
    window_minutes: int = 15


@dataclass(frozen=True, slots=True)
class LoggedIn:
    actor: Actor
    token: str = field(repr=False)
    expires_at: datetime


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------- logins


def _throttle(session: Session, keys: dict[str, int], policy: SessionPolicy, at: datetime) -> None:
    since = at - timedelta(minutes=policy.window_minutes)
    for key, allowed in keys.items():
        recent = LoginFailure.key == key, LoginFailure.at > since
        count = session.scalar(select(func.count()).where(*recent)) or 0
        if count >= allowed:
            oldest = session.scalar(select(func.min(LoginFailure.at)).where(*recent))
            wait = _aware(oldest or at) + timedelta(minutes=policy.window_minutes) - at
            raise Throttled("too many failed logins; try again later", max(1, int(wait.seconds)))


def _authenticate(
    uow: UnitOfWork, email: str, password: str, client: str, policy: SessionPolicy
) -> User | None:
    session, at = uow.session, now()
    keys = {f"email:{email}": policy.account_failures, f"client:{client}": policy.client_failures}
    _throttle(session, keys, policy, at)
    user = session.scalars(select(User).where(User.email == email)).first()
    ok = password_matches(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        session.add_all(LoginFailure(key=k, at=at) for k in keys)
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.key == f"email:{email}"))
    return user


def log_in(
    database: Database, email: str, password: str, *, client: str, policy: SessionPolicy
) -> LoggedIn:
    """Check a password and open a session; a failure is recorded (and committed) first."""
    address = email.strip().lower()[:320]
    with database.unit_of_work(Actor(role=Role.PUBLIC, label="login")) as uow:
        user = _authenticate(uow, address, password, client[:300], policy)
        if user is not None:
            token = secrets.token_urlsafe(32)
            expires = now() + timedelta(hours=policy.session_hours)
            uow.session.add(UserSession(id=digest(token), user_id=user.id, expires_at=expires))
            organisation = uow.session.get(Organisation, user.organisation_id)
            assert organisation is not None
            result = LoggedIn(actor_of(user, organisation), token, expires)
    if user is None:
        raise Unauthorized("wrong email or password")
    return result


def log_out(database: Database, token: str) -> None:
    with database.transaction() as session:
        session.execute(delete(UserSession).where(UserSession.id == digest(token)))


def _actor_where(session: Session, *conditions: Any) -> Actor | None:
    stmt = (
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), *conditions)
    )
    row = session.execute(stmt).first()
    return None if row is None else actor_of(row[0], row[1])


def actor_from_session(session: Session, token: str) -> Actor | None:
    """The actor of a live session cookie, or None."""
    found = select(UserSession.user_id).where(
        UserSession.id == digest(token), UserSession.expires_at > now()
    )
    return _actor_where(session, User.id.in_(found.scalar_subquery()))


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
        "created_at": _aware(token.created_at),
        "expires_at": _aware(token.expires_at),
        "revoked_at": None if token.revoked_at is None else _aware(token.revoked_at),
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


def actor_from_token(session: Session, token: str) -> Actor | None:
    """The actor of a live (unexpired, unrevoked) API token, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = select(ApiToken.user_id).where(
        ApiToken.token_hash == digest(token),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > now(),
    )
    return _actor_where(session, User.id.in_(found.scalar_subquery()))
