"""The one place where transactions begin and end."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.util import greenlet_spawn

from kuznia.db.bulk import discard_deferred, insert_deferred
from kuznia.db.engine import is_sqlite, make_engine, make_loop_engine
from kuznia.db.migrate import current_revision, script_heads, upgrade
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.locking import WouldWait, may_wait, write_lock
from kuznia.services.kernel.reading import refuse_writes, statement_snapshots
from kuznia.services.kernel.unit_of_work import ChangeListener, UnitOfWork
from kuznia.settings import Settings

Listeners = Sequence[ChangeListener] | Callable[[], Sequence[ChangeListener]]
WRITER_WAIT_SECONDS = 10.0
"""How long a writer waits for its turn in this process (SQLite), as long as the busy timeout."""
T = TypeVar("T")
LoopBinding = tuple[Engine, "sessionmaker[Session]"]
_on_loop: ContextVar[tuple[Database, LoopBinding] | None] = ContextVar("on_loop", default=None)


class Database:
    """An engine, its session factory and the change listeners every unit of work reports to.

    Build one per process with :func:`kuznia.services.wiring.open_database`.
    """

    def __init__(self, engine: Engine, listeners: Listeners = ()) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        refuse_writes(self._sessions)
        self._listeners = listeners
        self._pinged_at = -math.inf
        self._writers = threading.RLock() if is_sqlite(engine) else None
        self._loops: dict[asyncio.AbstractEventLoop, LoopBinding] = {}

    @property
    def embedded(self) -> bool:
        """SQLite: the database runs in this process, so a query is CPU work here, never a
        wait on the network (``api/deps.run_query`` runs short reads on the event loop then)."""
        return self._writers is not None

    @property
    def listeners(self) -> list[ChangeListener]:
        """Given as a function, they are wired at the first unit of work: a process that only
        reads (``kuznia log proof``, ``log audit``) imports none of their modules."""
        if callable(self._listeners):
            self._listeners = list(self._listeners())
        return list(self._listeners)

    @listeners.setter
    def listeners(self, listeners: Sequence[ChangeListener]) -> None:
        self._listeners = list(listeners)

    @classmethod
    def from_engine_settings(cls, settings: Settings, listeners: Listeners = ()) -> Database:
        """Use :func:`kuznia.services.wiring.open_database`: it wires the listeners."""
        engine = make_engine(settings.database_url, echo=settings.sql_echo)
        return cls(engine, listeners)

    @classmethod
    def at_url(cls, url: str, listeners: Listeners = ()) -> Database:
        """Use :func:`kuznia.services.wiring.database_at`: it wires the listeners."""
        return cls(make_engine(url), listeners)

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """While an app serves on the running event loop (its lifespan). On PostgreSQL,
        :meth:`on_loop` then runs statements on this loop through asyncpg
        (``db/engine.make_loop_engine``), whose connections belong to the loop: they are closed
        when serving ends. On SQLite nothing changes (``api/deps.run_query``)."""
        loop = asyncio.get_running_loop()
        if self.embedded or loop in self._loops:
            yield
            return
        engine = make_loop_engine(self.engine.url.render_as_string(hide_password=False))
        sessions = sessionmaker(engine.sync_engine, expire_on_commit=False)
        refuse_writes(sessions)
        self._loops[loop] = (engine.sync_engine, sessions)
        try:
            yield
        finally:
            del self._loops[loop]
            await engine.dispose()

    def serves_on_loop(self) -> bool:
        """Inside :meth:`serving` on the running event loop, on PostgreSQL."""
        try:
            return asyncio.get_running_loop() in self._loops
        except RuntimeError:
            return False

    async def on_loop(self, work: Callable[[], T]) -> T:
        """``work`` (synchronous code, as for any other caller) run here, on the event loop,
        its statements through the loop's engine: in a greenlet, so each wait for PostgreSQL
        is an ``await`` and the loop serves other requests meanwhile. Needs :meth:`serving`."""
        binding = self._loops[asyncio.get_running_loop()]
        return await greenlet_spawn(self._bound, binding, work)

    def _bound(self, binding: LoopBinding, work: Callable[[], T]) -> T:
        token = _on_loop.set((self, binding))
        try:
            return work()
        finally:
            _on_loop.reset(token)

    def _binding(self) -> LoopBinding:
        """The engine and sessions of this call: the loop's inside :meth:`on_loop`."""
        bound = _on_loop.get()
        if bound is not None and bound[0] is self:
            return bound[1]
        return self.engine, self._sessions

    def upgrade(self) -> None:
        upgrade(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: everything inside commits together or not at all.

        On SQLite it takes the write lock first, as :meth:`unit_of_work` does: a transaction that
        read and then writes after another writer committed fails at once ("database is
        locked", SQLite's busy handler cannot help it); one that waits for the lock first
        queues on the busy timeout instead."""
        with self._writer_turn(), self._binding()[1]() as session, session.begin():
            write_lock(session)
            yield session

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """SQLite: this process's writers take turns on a lock before SQLite's write lock.
        Waiting in SQLite's busy handler, each polls at growing intervals, so the last come is
        served first and an early one can wait past the timeout (503s under 32 writing
        clients); here a waiter holds no connection and is woken when the lock is free. After
        ``WRITER_WAIT_SECONDS`` it goes on to SQLite's lock (and its busy timeout) anyway."""
        if self._writers is None:
            yield
            return
        if may_wait():
            taken = self._writers.acquire(timeout=WRITER_WAIT_SECONDS)
        elif not (taken := self._writers.acquire(blocking=False)):
            raise WouldWait  # under locking.without_waiting: another writer has the turn
        try:
            yield
        finally:
            if taken:
                self._writers.release()

    @contextmanager
    def unit_of_work(self, actor: Actor) -> Iterator[UnitOfWork]:
        """A transaction on behalf of ``actor``; listeners see its changes before it commits."""
        with self._writer_turn(), self._binding()[1]() as session, session.begin():
            # SQLite: take the write lock before the first read, so that two writers never both
            # read and then deadlock upgrading to write ("database is locked").
            write_lock(session)
            uow = UnitOfWork(session, actor)
            yield uow
            session.flush()
            try:
                for listener in self.listeners:
                    listener(uow)
                insert_deferred(session)  # what listeners kept, in one statement
            finally:
                discard_deferred(session)

    @contextmanager
    def one_statement(self) -> Iterator[Connection]:
        """A connection for a read of one statement, outside any transaction (a statement is
        its own snapshot): on PostgreSQL no BEGIN and no ROLLBACK, two of the three round
        trips of a credential lookup before every request."""
        with self._binding()[0].connect() as connection:
            raw = connection.connection.dbapi_connection
            if is_sqlite(self.engine) or raw is None:
                yield connection
                return
            raw.autocommit = True  # the driver then sends neither BEGIN nor ROLLBACK
            try:
                yield connection
            finally:
                raw.autocommit = False

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads; on PostgreSQL without BEGIN and ROLLBACK (each statement
        its own snapshot, as in a READ COMMITTED transaction: ``kernel/reading.py``). Closing the
        session gives the connection back, and the pool rolls back what a driver may have begun:
        a rollback of the session before that expired its objects and walked its transaction
        for nothing, a third of a reading session's cost."""
        with self._binding()[1]() as session, statement_snapshots(session):
            yield session

    def ping(self, max_age_seconds: float = 0.0) -> None:
        """One round trip to the database (raises if it cannot be reached), unless one succeeded
        less than ``max_age_seconds`` ago: a flood of health checks costs the database at most
        one query a second per process."""
        if time.monotonic() - self._pinged_at < max_age_seconds:
            return
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        self._pinged_at = time.monotonic()

    def schema_revisions(self) -> tuple[str | None, str]:
        """(the revision the database is at, the revision this code expects), each as
        comma-separated sorted heads."""
        return current_revision(self.engine), script_heads()

    def dispose(self) -> None:
        self.engine.dispose()
