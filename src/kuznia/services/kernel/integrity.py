"""Database integrity errors turned into domain conflicts that reveal nothing a reader may not see.

A create that clashes with a stored record must not tell the caller whether that record exists
when the caller may not see it: "site 'site-00003' already exists" would confirm another firm's
site to a company probing ids. Creates therefore answer :data:`ID_NOT_AVAILABLE`, one message
for every clash (a visible record, an invisible one, a concurrent duplicate), and conflicts found
at flush name only what the caller sent, never the stored record.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from kuznia.db.failures import sqlstate_of
from kuznia.errors import Conflict
from kuznia.services.kernel.reading import writing_connection

ID_NOT_AVAILABLE = "id: this id cannot be used; leave it out and one is assigned"


def is_integrity_error(exc: DBAPIError) -> bool:
    """A broken constraint: asyncpg's come as IntegrityError, pg8000 reports them as
    ProgrammingError with SQLSTATE class 23."""
    if isinstance(exc, IntegrityError):
        return True
    return (sqlstate_of(exc.orig) or "").startswith("23")


def id_not_available() -> Conflict:
    """The one answer to a create whose id is taken, whoever holds the record."""
    return Conflict(ID_NOT_AVAILABLE)


def refuse_taken_id(session: Session, model: type[Any], record_id: str) -> None:
    """Raise :func:`id_not_available` if a row of ``model`` has ``record_id``, seen or not."""
    if session.get(model, record_id) is not None:
        raise id_not_available()


def flush_or_conflict(session: Session, what: str, *, creating: bool = False) -> None:
    """Flush; a broken constraint (a concurrent duplicate, a reference) becomes a Conflict.

    With ``creating`` the answer is :data:`ID_NOT_AVAILABLE`: a concurrent create of the same id
    says no more than a sequential one does."""
    try:
        session.flush()
    except DBAPIError as exc:
        if not is_integrity_error(exc):
            raise
        if creating:
            raise id_not_available() from None
        raise Conflict(f"{what} conflicts with the records stored") from None


def insert_new(session: Session, model: type[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """INSERT one new row of ``model`` and return it as stored (every column by name, in the
    table's order), in ``session``'s transaction; a broken constraint (a concurrent duplicate)
    is :data:`ID_NOT_AVAILABLE`, as :func:`flush_or_conflict` answers a create.

    Core on the transaction's connection: the ORM's flush of one new object (its unit of work,
    identity map and fetch of what the INSERT returned) was 550 Python calls, an eighth of a
    registry create's; a row made so is not in the session, whose next query reads it back."""
    table: Table = model.__table__
    try:
        row = writing_connection(session).execute(_returning(table), dict(values)).one()
    except DBAPIError as exc:
        if not is_integrity_error(exc):
            raise
        raise id_not_available() from None
    return {c.name: value for c, value in zip(table.columns, row, strict=True)}


@cache
def _returning(table: Table) -> Insert:
    return insert(table).returning(*table.columns)
