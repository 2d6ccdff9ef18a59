"""Engines for SQLite (embedded default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled PostgreSQL connection idle this long is pinged before it is handed out."""


POSTGRES_POOL: dict[str, Any] = {"pool_size": 40, "max_overflow": 10}
"""As many pooled connections as a server's threads (anyio's 40). A pool smaller than the
requests in flight closes a connection at every checkin past its size and opens one for the
next request: with 10, a third of all requests of 32 clients paid a new connection and the
server a new process."""
SQLITE_POOL = POSTGRES_POOL
"""The same on SQLite: SQLAlchemy's 5 (+ 10) opened a connection, with its pragmas, for a third
of the requests of 32 clients. (Writers take turns before they take a connection:
``Database._writer_turn``.)"""


def normalise_url(url: str) -> str:
    """Use the pure-Python BSD-licensed pg8000 driver for ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+pg8000")
    return parsed.render_as_string(hide_password=False)


SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long an SQLite statement waits for another connection's lock before it fails."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _postgres_no_delay(dbapi_conn: Any, _record: Any) -> None:
    """pg8000 leaves Nagle's algorithm on, so a statement of a few kilobytes often waits 40 ms
    for a delayed ACK; turning it off lifted batched log appends from ~5,000 to ~8,900 a second."""
    sock = getattr(dbapi_conn, "_usock", None)
    if isinstance(sock, socket.socket) and sock.family in {socket.AF_INET, socket.AF_INET6}:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _idle_since_now(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """``SELECT 1`` on a connection idle for :data:`PING_AFTER_IDLE_SECONDS`, a new connection
    in its place if that fails. ``pool_pre_ping`` pinged at every checkout: a round trip per
    request (two with the credential lookup) for a connection used a millisecond before. A
    connection broken within the idle time (a database restart) fails one request, whose
    error empties the pool (SQLAlchemy's disconnect handling); the next connect afresh."""
    if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_conn.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_conn.rollback()
    except Exception as exc:
        raise DisconnectionError("the pooled connection did not answer") from exc


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``. Statement parameters never reach logs or error messages
    (``hide_parameters``): they can hold secret fields and password hashes."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            pool = SQLITE_POOL  # a file (in memory: one connection per thread, SQLAlchemy's choice)
        engine = create_engine(url, echo=echo, hide_parameters=True, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, echo=echo, hide_parameters=True, **POSTGRES_POOL)
    from kuznia.db import postgres  # pg8000 (75 ms to import): not for an SQLite command

    event.listen(engine, "do_connect", postgres.connect)  # one round trip per statement
    event.listen(engine, "connect", _postgres_no_delay)
    _ping_connections_left_idle(engine)
    return engine


def _ping_connections_left_idle(engine: Engine) -> None:
    """Every PostgreSQL pool (pg8000's, the loop's asyncpg one) pings a connection left idle
    before it hands it out (:func:`_ping_if_idle`)."""
    event.listen(engine, "connect", _idle_since_now)
    event.listen(engine, "checkin", _idle_since_now)
    event.listen(engine, "checkout", _ping_if_idle)


LOOP_POOL: dict[str, Any] = {"pool_size": 16, "max_overflow": 0}
"""The event loop's connections to PostgreSQL, per served process. A read waits for a free one
(without holding a thread) rather than opening a connection past these, and a PostgreSQL on
few cores runs no faster with more statements at once."""


def make_loop_engine(url: str) -> AsyncEngine:
    """An engine for statements run on an event loop (``Database.on_loop``): PostgreSQL through
    asyncpg (Apache-2.0), which reads rows in C and keeps each statement prepared per
    connection, under SQLAlchemy's asyncio extension. Its ``sync_engine`` runs the same
    synchronous code as :func:`make_engine`'s inside a greenlet, each wait an ``await``."""
    from sqlalchemy.ext.asyncio import create_async_engine  # only a serving process needs it

    parsed = make_url(normalise_url(url)).set(drivername="postgresql+asyncpg")
    engine = create_async_engine(parsed, hide_parameters=True, **LOOP_POOL)
    _ping_connections_left_idle(engine.sync_engine)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
