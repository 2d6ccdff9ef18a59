"""Row locks on both engines, and money conversion at the planning rates.

Checks such as "commitments never exceed the pledge" read a sum and then write; under concurrent
requests that is only safe if the read happens under a lock that the other writers wait for:

* PostgreSQL: ``SELECT ... FOR UPDATE`` on the row that the rule is about (the pledge, the
  commitment, the contract). Other writers of that row wait until we commit, and then (READ
  COMMITTED) their next statement sees what we wrote.
* SQLite has one writer at a time. ``BEGIN IMMEDIATE`` takes the write lock before the first
  read, so nothing can change between the read and the write; other writers wait (busy
  timeout). A transaction that has written already holds that lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kuznia.db.engine import SQLITE_BUSY_TIMEOUT_MS

Row = TypeVar("Row")
_may_wait: ContextVar[bool] = ContextVar("may_wait", default=True)


class WouldWait(Exception):
    """A write under :func:`without_waiting` found the write lock taken: nothing was written."""


@contextmanager
def without_waiting() -> Iterator[None]:
    """Writes inside take SQLite's write lock (and this process's writer turn,
    ``Database._writer_turn``) only if it is free now, and raise :class:`WouldWait` otherwise,
    before they write anything: the caller then runs them where waiting harms nobody."""
    token = _may_wait.set(False)
    try:
        yield
    finally:
        _may_wait.reset(token)


def may_wait() -> bool:
    """False under :func:`without_waiting`."""
    return _may_wait.get()


def write_lock(session: Session) -> None:
    """On SQLite, take the database's write lock now unless this transaction holds it already."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.dbapi_connection
    if raw.in_transaction:
        return
    if may_wait():
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        _begin_now(connection)


def _begin_now(connection: Connection) -> None:
    """``BEGIN IMMEDIATE`` with no busy wait: :class:`WouldWait` if another holds the lock."""
    connection.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
            raise
        raise WouldWait from None
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def locked(session: Session, model: type[Row], record_id: str) -> Row | None:
    """The row, freshly read and locked until the transaction ends (None if there is none)."""
    write_lock(session)
    key: Any = model.id  # type: ignore[attr-defined]
    statement = (
        select(model)
        .where(key == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).first()
