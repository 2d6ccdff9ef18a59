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

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

Row = TypeVar("Row")


def write_lock(session: Session) -> None:
    """On SQLite, take the database's write lock now unless this transaction holds it already."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.dbapi_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


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
