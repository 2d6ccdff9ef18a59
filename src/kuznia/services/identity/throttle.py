"""Throttling of password checks: growing delays per account *and* client, never a lock-out.

A password check (a login, or re-authentication with ``current_password``) counts against keys:

* ``pair`` -- this account from this client. The first ``account_failures`` failures are free;
  after that each attempt must wait ``2 ** (failures - free)`` seconds after the last failure
  (capped at ``max_delay_seconds``). Only this client is slowed down: the right password from a
  client that never failed still works, so no one can lock a user out by failing for them.
* ``client`` -- this client, whatever the account (password spraying): ``client_failures`` free.
* ``account`` -- this account from every client (guessing from many addresses):
  ``account_total_failures`` free, and applied only to clients that have failed for this
  account themselves, so it too cannot be turned against a client that never failed.

Clients are their address (an IPv6 address by its /64 network, which one host usually holds);
behind a reverse proxy the address comes from ``X-Forwarded-For`` only when the proxy is
configured as trusted (``KUZNIA_TRUSTED_PROXIES``, see ``api.middleware``).

An attempt is recorded *before* the password is checked and committed at once, then counted:
concurrent attempts each see every attempt committed before them, so sending many at once
cannot slip past the count. A throttled attempt is removed again (waiting is not failing); a
successful one is removed with the pair's failures. Rows live in the database so that every
server process sees the same counts.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kuznia.db.base import as_utc
from kuznia.db.identity import LoginFailure
from kuznia.errors import KuzniaError
from kuznia.services.kernel.database import Database


class Throttled(KuzniaError):
    """Too many failed password checks: try again after ``retry_after`` seconds."""

    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    account_failures: int = 5
    client_failures: int = 50
    account_total_failures: int = 100
    window_minutes: int = 15
    max_delay_seconds: int = 900


@dataclass(frozen=True, slots=True)
class Keys:
    """What one password check counts against (``purpose`` keeps logins and re-auth apart)."""

    pair: str
    client: str
    account: str

    @classmethod
    def of(cls, purpose: str, account: str, client: str) -> Keys:
        pair = hashlib.sha256(f"{purpose}\0{account}\0{client}".encode(errors="replace"))
        return cls(
            f"pair:{pair.hexdigest()}",
            _storable(f"client:{client}"),
            _storable(f"{purpose}:{account}"),
        )


def _storable(key: str) -> str:
    """A key every engine stores: no NUL (PostgreSQL refuses it), no lone surrogate, 400 chars."""
    return key.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")[:400]


@dataclass(frozen=True, slots=True)
class Attempt:
    """The rows of one attempt in progress (failures unless the password turns out right)."""

    keys: Keys
    row_ids: tuple[int, ...]


def client_key(address: str) -> str:
    """An address as a throttling key: IPv6 by its /64 (one host's share), IPv4 as it is."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _now() -> datetime:
    return datetime.now(UTC)


def delay_after(failures: int, free: int, policy: ThrottlePolicy) -> float:
    """Seconds to wait after the last failure: none while ``failures < free``, then doubling."""
    if failures < free:
        return 0.0
    return float(min(policy.max_delay_seconds, 2 ** min(failures - free, 30)))


def _earlier(
    session: Session, key: str, own: Sequence[int], policy: ThrottlePolicy, at: datetime
) -> tuple[int, datetime | None]:
    """How many earlier attempts in the window count against ``key``, and the last one's time."""
    since = at - timedelta(minutes=policy.window_minutes)
    earlier = (LoginFailure.key == key, LoginFailure.at > since, LoginFailure.id.not_in(own))
    count, last = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(*earlier)
    ).one()
    return int(count or 0), None if last is None else as_utc(last)


def _wait(
    failures: int, last: datetime | None, free: int, policy: ThrottlePolicy, at: datetime
) -> float:
    delay = delay_after(failures, free, policy)
    if delay == 0 or last is None:
        return 0.0
    return max(0.0, (last + timedelta(seconds=delay) - at).total_seconds())


def _required_wait(session: Session, attempt: Attempt, policy: ThrottlePolicy) -> float:
    keys, own, at = attempt.keys, attempt.row_ids, _now()
    pair = _earlier(session, keys.pair, own, policy, at)
    client = _earlier(session, keys.client, own, policy, at)
    waits = [
        _wait(*pair, policy.account_failures, policy, at),
        _wait(*client, policy.client_failures, policy, at),
    ]
    if pair[0] > 0:  # only a client that failed for this account itself
        account = _earlier(session, keys.account, own, policy, at)
        waits.append(_wait(*account, policy.account_total_failures, policy, at))
    return max(waits)


def begin_attempt(database: Database, keys: Keys, policy: ThrottlePolicy) -> Attempt:
    """Record an attempt (committed at once), then refuse it with :class:`Throttled` if a
    key asks this client to wait; the caller checks the password only after this."""
    with database.transaction() as session:
        rows = [LoginFailure(key=k, at=_now()) for k in (keys.pair, keys.client, keys.account)]
        session.add_all(rows)
        session.flush()
        attempt = Attempt(keys, tuple(row.id for row in rows))
    with database.transaction() as session:
        wait = _required_wait(session, attempt, policy)
        if wait > 0:
            session.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.row_ids)))
    if wait > 0:
        raise Throttled("too many failed attempts; try again later", max(1, math.ceil(wait)))
    return attempt


def succeeded(session: Session, attempt: Attempt) -> None:
    """The password was right: forget this attempt and the pair's failures (not the client's
    or the account's, which an attacker could otherwise reset with an account of their own)."""
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.id.in_(attempt.row_ids)) | (LoginFailure.key == attempt.keys.pair)
        )
    )


def forget_expired(session: Session, policy: ThrottlePolicy) -> None:
    """Drop failures older than the window: they count against nothing any more."""
    since = _now() - timedelta(minutes=policy.window_minutes)
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
