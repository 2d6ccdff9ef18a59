"""The commit sequence and the change index.

Every unit of work that changes something takes one **commit sequence number** (``seq``) from
the single-row ``commit_sequence`` table. Taking it is an ``UPDATE`` of that row, whose lock is
held until the transaction ends, so writers serialise on it and numbers become visible in
commit order. That is what makes ``seq`` a safe paging and feed key: a reader that has seen
``seq = n`` will never later discover a change numbered ``<= n``. (A database sequence or an
autoincrement id would not do: numbers are handed out at insert time, and a transaction that
took a smaller number can commit after one that took a larger.)

We keep the number in a change table rather than in a column of each registry row: the
``change_index`` table holds the last ``seq`` of every record (the cursor key of every list),
so the registry tables stay as they are and every entity is covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Update,
    delete,
    insert,
    literal_column,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from kuznia.db.bulk import defer_rows
from kuznia.db.kernel import ChangeIndex, CommitSequence
from kuznia.services.kernel.reading import writing_connection
from kuznia.services.kernel.unit_of_work import SEQ_KEY, Change, UnitOfWork

CHUNK = 1000


def seq_update(one: ColumnElement[int]) -> Update:
    """``UPDATE commit_sequence SET value = value + 1 WHERE id = 1 RETURNING value``, ``one``
    the SQL for 1 (a statement of the log puts it in its own, ``transparency/head.py``)."""
    seq = CommitSequence
    return update(seq).where(seq.id == one).values(value=seq.value + one).returning(seq.value)


@cache
def _bump() -> Any:
    """The one statement that takes a number, built once (building it cost as much as running
    it: it runs in every writing transaction, while it holds the write lock)."""
    return seq_update(literal_column("1", Integer))


def _next_seq(session: Session) -> int:
    value = writing_connection(session).execute(_bump()).scalar()
    if value is None:  # the row is missing (a truncated test database): start again at 1
        session.execute(insert(CommitSequence).values(id=1, value=1))
        return 1
    return int(value)


def commit_seq(uow: UnitOfWork) -> int:
    """This unit of work's commit sequence number, taken now if not yet (then held to commit)."""
    if not has_seq(uow):
        uow.session.info[SEQ_KEY] = _next_seq(uow.session)
    return int(uow.session.info[SEQ_KEY])


def has_seq(uow: UnitOfWork) -> bool:
    """Whether this unit of work holds its commit sequence number already."""
    return SEQ_KEY in uow.session.info


def took_seq(uow: UnitOfWork, value: int) -> None:
    """Record the number a statement of :func:`seq_update` took for this unit of work."""
    if has_seq(uow):
        raise RuntimeError("a unit of work takes one commit sequence number")
    uow.session.info[SEQ_KEY] = value


def begin_write(uow: UnitOfWork) -> None:
    """Start a writing use case: on SQLite, take the database's one write lock now (by taking
    the commit sequence number first), so that what the use case reads cannot change before it
    writes, and concurrent writers queue on the busy timeout instead of failing.

    On PostgreSQL the number is taken at the end, by the listener, as every other writer does:
    one lock order everywhere (the rows a use case locks, then the commit sequence, then the
    transparency log's head), so writers cannot deadlock on it. Use cases lock the rows they
    check with ``SELECT ... FOR UPDATE`` instead.
    """
    if uow.session.get_bind().dialect.name == "sqlite":
        commit_seq(uow)


def index_changes(session: Session, changes: Sequence[Change], seq: int) -> None:
    last: dict[tuple[str, str], str] = {}
    for change in changes:
        last[(change.entity, change.record_id)] = change.action
    gone = [key for key, action in last.items() if action == "delete"]
    kept = [
        {"entity": e, "record_id": r, "seq": seq} for (e, r), a in last.items() if a != "delete"
    ]
    for start in range(0, len(gone), CHUNK):
        keys = gone[start : start + CHUNK]
        session.execute(
            delete(ChangeIndex).where(tuple_(ChangeIndex.entity, ChangeIndex.record_id).in_(keys))
        )
    if kept:
        # written with the unit of work's other rows, in one statement (db/bulk.py)
        defer_rows(session, ChangeIndex, kept, upsert_on=("entity", "record_id"))
