"""Dependencies of the routes: the app's state, who is calling (``current_actor``), If-Match.

``current_actor`` is the one way to learn who a request comes from, for the API and the
server-rendered pages alike: a personal API token (``Authorization: Bearer kz_...``) or a
browser session cookie. A cookie-authenticated request that changes state must also carry the
session's CSRF token (header ``X-CSRF-Token``, or form field ``csrf_token``); the cookie itself
is ``HttpOnly`` and ``SameSite=Strict``, so another site can neither read nor send it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyCookie, HTTPBearer
from starlette.concurrency import run_in_threadpool

from kuznia.api.config import ApiSettings
from kuznia.api.problems import PreconditionRequired
from kuznia.errors import Forbidden, PreconditionFailed, Unauthorized
from kuznia.services.identity.sessions import (
    Credential,
    SessionPolicy,
    actor_from_session,
    actor_from_token,
    csrf_matches,
    csrf_token,
)
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.locking import WouldWait, without_waiting
from kuznia.settings import Settings

SESSION_COOKIE = "kuznia_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
T = TypeVar("T")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class ApiState:
    """Built once by ``create_app``; reached through ``request.app.state.kuznia``."""

    settings: Settings
    api: ApiSettings
    database: Database

    @property
    def policy(self) -> SessionPolicy:
        return self.api.session_policy()

    @property
    def secure_cookies(self) -> bool:
        return self.api.secure_cookies(self.settings)

    def csrf_token(self, session_token: str) -> str:
        return csrf_token(self.settings.secret_key.get_secret_value(), session_token)


def api_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.kuznia
    return state


def database(request: Request) -> Database:
    return api_state(request).database


_bearer = HTTPBearer(auto_error=False, description="a personal API token: Bearer kz_...")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="browser session; unsafe methods also need the X-CSRF-Token header",
)


async def run_query(db: Database, read: Callable[[], T]) -> T:
    """A short, bounded read (one indexed lookup, one page of a list) for an async route.

    On SQLite it runs here, on the event loop: the database is in this process, so the read is
    CPU work under the GIL and a thread adds only hand-offs (the ``sqlite3`` module releases the
    GIL at every row, and the loop and the thread pass it back and forth). Under 32 clients a
    registry list cost the server 4.4 ms of CPU through the thread pool and 2.1 ms here
    (``benchmarks/api.py``). WAL readers never wait for writers, and the pool holds more
    connections than the thread pool has threads, so the loop does not wait either.

    On PostgreSQL a read waits on the network. While the app serves (its lifespan), it runs on
    the loop too, through asyncpg in a greenlet (``Database.on_loop``): each wait is an
    ``await``, and the loop serves other requests meanwhile. Outside a lifespan (a test
    client used without ``with``) it runs in the thread pool through pg8000. Writes:
    :func:`run_write`."""
    if db.embedded:
        return read()
    if db.serves_on_loop():
        return await db.on_loop(read)
    return await run_in_threadpool(read)


async def run_write(db: Database, write: Callable[[], T]) -> T:
    """A short write (one record and its log entry) for an async route.

    On SQLite it runs here when it need not wait: this process's writer turn and SQLite's lock
    are both free now (``locking.without_waiting``). Otherwise it stops before writing anything
    and runs in the thread pool, where it waits its turn. Under 32 writing clients a registry
    create cost the server 4.1 ms of CPU through the thread pool and 3.0 ms here
    (``benchmarks/api.py``). ``write`` must do nothing but reads before its unit of work: it
    may be run twice. On PostgreSQL it runs as :func:`run_query` does: a row lock it waits for
    is an ``await`` on the loop."""
    if db.embedded:
        try:
            with without_waiting():
                return write()
        except WouldWait:
            pass
    elif db.serves_on_loop():
        return await db.on_loop(write)
    return await run_in_threadpool(write)


def _read_actor(db: Database, token: str, *, by_session: bool) -> Actor | None:
    # A plain connection, not an ORM session: one query before every request, and a session's
    # set-up and rollback cost about as much as the query; outside a transaction: one round trip.
    with db.one_statement() as connection:
        return (actor_from_session if by_session else actor_from_token)(connection, token)


async def _check_csrf(request: Request, state: ApiState, session_token: str) -> None:
    """The token must be the session's own (an HMAC of the session cookie): a value planted in
    another cookie, or a token of another session, does not pass."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_matches(state.settings.secret_key.get_secret_value(), session_token, sent):
        raise Forbidden(f"{CSRF_FIELD}: missing or wrong CSRF token for this session")


def client_address(request: Request) -> str:
    """The client's address (``api.middleware.ClientAddress`` resolves trusted proxies)."""
    return request.client.host if request.client else "unknown"


def credential_of(request: Request) -> Credential:
    """What the request authenticated with, as :func:`authenticate` chose it."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        return Credential(api_token=authorization.partition(" ")[2].strip())
    return Credential(session_token=request.cookies.get(SESSION_COOKIE))


async def authenticate(request: Request) -> Actor | None:
    """Who sent ``request``: the actor of its API token or session cookie, or None."""
    state = api_state(request)
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send Authorization: Bearer <API token>")
        actor = await run_query(
            state.database, partial(_read_actor, state.database, token.strip(), by_session=False)
        )
        if actor is None:
            raise Unauthorized("the API token is unknown, expired or revoked")
        request.state.user_id = actor.user_id
        return actor
    session_token = request.cookies.get(SESSION_COOKIE)
    if not session_token:
        return None
    actor = await run_query(
        state.database, partial(_read_actor, state.database, session_token, by_session=True)
    )
    if actor is not None:
        request.state.user_id = actor.user_id
    if actor is not None and request.method not in SAFE_METHODS:
        await _check_csrf(request, state, session_token)
    return actor


async def current_actor(
    request: Request,
    _token: Annotated[object, Depends(_bearer)] = None,
    _session: Annotated[object, Depends(_cookie)] = None,
) -> Actor:
    """The logged-in actor, or 401. (The two security dependencies document the schemes.)"""
    actor = await authenticate(request)
    if actor is None:
        raise Unauthorized("log in, or send Authorization: Bearer <API token>")
    return actor


async def optional_actor(request: Request) -> Actor:
    """The logged-in actor, or the public."""
    return await authenticate(request) or Actor(role=Role.PUBLIC, label="public")


CurrentActor = Annotated[Actor, Depends(current_actor)]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='the ETag you read, e.g. "3" (required)', max_length=100),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="a unique key per intended creation; a retry with it replays the first answer",
        min_length=1,
        max_length=200,
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names; None for ``*``. Missing: 428."""
    if if_match is None:
        raise PreconditionRequired("If-Match: send the ETag of the record you read")
    value = if_match.strip()
    if value == "*":
        return None
    tag = value.removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 12:
        raise PreconditionFailed("If-Match: not an ETag of this record")
    return int(tag)


def etag(version: int) -> str:
    return f'"{version}"'
