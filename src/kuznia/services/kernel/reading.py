"""Reads without a transaction on PostgreSQL: each statement is its own snapshot.

Under READ COMMITTED (PostgreSQL's default, which kuznia keeps) a transaction gives a reader
nothing: every statement of it sees what was committed when that statement began. Its BEGIN
and ROLLBACK are two round trips of a list's four (the credential lookup, BEGIN, the page,
ROLLBACK). So a reading session's connection is put in autocommit: pg8000 then sends neither.

Nothing may write through such a session (a write would commit at once, where a reading
transaction rolled it back): a flush or an INSERT, UPDATE or DELETE raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

READ_ONLY = "kuznia.read_only"


class WriteInReading(RuntimeError):
    """A reading session was asked to write: a bug, never the user's input."""


@contextmanager
def statement_snapshots(session: Session) -> Iterator[None]:
    """Run ``session``'s statements in autocommit on PostgreSQL (elsewhere as they are)."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    raw = session.connection().connection.dbapi_connection
    if raw is None:  # pragma: no cover - an invalidated connection: read as usual
        yield
        return
    raw.autocommit = True
    session.info[READ_ONLY] = True
    try:
        yield
    finally:
        session.info.pop(READ_ONLY, None)
        raw.autocommit = False  # before the session gives the connection back to the pool


def refuse_writes(sessions: sessionmaker[Session]) -> None:
    """Make the reading sessions of ``sessions`` refuse to write."""
    event.listen(sessions, "before_flush", _no_flush)
    event.listen(sessions, "do_orm_execute", _no_dml)


def _no_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteInReading("a reading session may not write")


def _no_dml(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and state.session.info.get(READ_ONLY):
        raise WriteInReading("a reading session may not write")


def writing_connection(session: Session) -> Connection:
    """The connection of ``session``'s transaction, to run a Core statement of a writer on (the
    commit sequence's and the log head's, each run once per unit of work while every other
    writer waits): ``session.execute`` would give each the ORM's statement handling (an
    annotated copy with a new cache key, ORM result processing), about a tenth of a create's
    Python calls. What is pending is flushed first, as ``session.execute`` would, so the rows a
    use case changes are locked before the statement's. Refused in a reading session."""
    if session.info.get(READ_ONLY):
        raise WriteInReading("a reading session may not write")
    if session.autoflush:
        session.flush()
    return session.connection()
