"""The one place where transactions begin and end."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kuznia.db.engine import make_engine
from kuznia.db.migrate import upgrade
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.locking import write_lock
from kuznia.services.kernel.unit_of_work import ChangeListener, UnitOfWork
from kuznia.settings import Settings


class Database:
    """An engine, its session factory and the change listeners every unit of work reports to.

    Build one per process with :func:`kuznia.services.wiring.open_database`.
    """

    def __init__(self, engine: Engine, listeners: Sequence[ChangeListener] = ()) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.listeners: list[ChangeListener] = list(listeners)

    @classmethod
    def from_engine_settings(
        cls, settings: Settings, listeners: Sequence[ChangeListener] = ()
    ) -> Database:
        """Use :func:`kuznia.services.wiring.open_database`: it wires the listeners."""
        engine = make_engine(settings.database_url, echo=settings.sql_echo)
        return cls(engine, listeners)

    @classmethod
    def at_url(cls, url: str, listeners: Sequence[ChangeListener] = ()) -> Database:
        """Use :func:`kuznia.services.wiring.database_at`: it wires the listeners."""
        return cls(make_engine(url), listeners)

    def upgrade(self) -> None:
        upgrade(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: everything inside commits together or not at all."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def unit_of_work(self, actor: Actor) -> Iterator[UnitOfWork]:
        """A transaction on behalf of ``actor``; listeners see its changes before it commits."""
        with self._sessions() as session, session.begin():
            # SQLite: take the write lock before the first read, so that two writers never both
            # read and then deadlock upgrading to write ("database is locked").
            write_lock(session)
            uow = UnitOfWork(session, actor)
            yield uow
            session.flush()
            for listener in self.listeners:
                listener(uow)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session
            session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
