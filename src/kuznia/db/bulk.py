"""Insert many rows in one statement on every engine.

SQLite's ``executemany`` runs in C and is fast. pg8000's ``executemany`` is a loop of round
trips, so on PostgreSQL the rows travel as ONE JSON parameter that ``json_populate_recordset``
turns into rows of the table's type (bytes as bytea's hex text, datetimes as ISO 8601 text,
decimals as text: PostgreSQL casts each to the column's type).

Rows for several tables can also wait in the session (:func:`defer_rows`) and go in ONE
statement (:func:`insert_deferred`): on PostgreSQL a chain of data-modifying ``WITH`` clauses,
one round trip where there were as many as tables. A unit of work's audit rows, change index
and log leaves are written so, at its end, while it holds the commit sequence's lock: every
round trip there is time every other writer waits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, insert, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

DEFERRED = "kuznia.deferred_rows"


def _json_value(value: object) -> str:
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _with_python_defaults(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the columns' Python-side defaults filled in, as SQLAlchemy's own INSERT
    would (the JSON path bypasses them). Callable defaults are evaluated once for the batch."""
    defaults: dict[str, Any] = {}
    for column in _defaulted(table, frozenset(rows[0])):
        default: Any = column.default
        if default.is_scalar:
            defaults[column.name] = default.arg
        elif default.is_callable:
            defaults[column.name] = default.arg(None)
    return [{**defaults, **r} for r in rows]


@lru_cache(maxsize=256)
def _defaulted(table: Table, given: frozenset[str]) -> tuple[Any, ...]:
    """The columns of ``table`` with a Python-side default that ``given`` leaves out."""
    return tuple(c for c in table.columns if c.default is not None and c.name not in given)


@dataclass(frozen=True, slots=True)
class Batch:
    """Rows (dicts with the same keys) for one table; with ``upsert_on``, a row whose key
    (those columns) exists already replaces that row's other given columns."""

    table: Table
    rows: Sequence[Mapping[str, Any]]
    upsert_on: tuple[str, ...] = ()


def _table(target: Any) -> Table:
    return target if isinstance(target, Table) else target.__table__


def insert_rows(
    session: Session, target: Any, rows: Sequence[Mapping[str, Any]], upsert_on: Sequence[str] = ()
) -> None:
    """One INSERT of ``rows`` (dicts with the same keys) into a mapped class or a table."""
    if rows:
        _execute(session, [Batch(_table(target), rows, tuple(upsert_on))])


def defer_rows(
    session: Session, target: Any, rows: Sequence[Mapping[str, Any]], upsert_on: Sequence[str] = ()
) -> None:
    """Keep ``rows`` for :func:`insert_deferred`, which writes everything kept in one statement.
    Only for rows that nothing reads before then."""
    if rows:
        session.info.setdefault(DEFERRED, []).append(Batch(_table(target), rows, tuple(upsert_on)))


def insert_deferred(session: Session) -> None:
    """Write every batch :func:`defer_rows` kept in ``session``, in the order they were kept."""
    batches: list[Batch] = session.info.pop(DEFERRED, [])
    if batches:
        _execute(session, batches)


def discard_deferred(session: Session) -> None:
    session.info.pop(DEFERRED, None)


def _execute(session: Session, batches: Sequence[Batch]) -> None:
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        for batch in batches:
            statement = _sqlite_insert(batch.table, tuple(batch.rows[0]), batch.upsert_on)
            session.execute(statement, list(batch.rows))
        return
    quote = bind.dialect.identifier_preparer.quote
    parts, values = [], {}
    for n, batch in enumerate(batches):
        rows = _with_python_defaults(batch.table, batch.rows)
        parts.append(_json_insert(batch.table, tuple(rows[0]), batch.upsert_on, f"rows{n}", quote))
        values[f"rows{n}"] = json.dumps([dict(r) for r in rows], default=_json_value)
    *first, last = parts
    chain = ", ".join(f"w{n} AS ({part})" for n, part in enumerate(first))
    session.execute(_statement(f"WITH {chain} {last}" if first else last), values)


@lru_cache(maxsize=256)
def _statement(sql: str) -> TextClause:
    """One statement object per SQL text: its cache key is made once, not at every unit of
    work (a registry create writes the same four tables each time)."""
    return text(sql)


@lru_cache(maxsize=256)
def _sqlite_insert(table: Table, names: tuple[str, ...], upsert_on: tuple[str, ...]) -> Any:
    """One statement per table, columns and key: a new one at each unit of work cost
    SQLAlchemy a cache key of its own each time."""
    if not upsert_on:
        return insert(table)
    statement = sqlite.insert(table)
    kept = [c for c in names if c not in upsert_on]
    return statement.on_conflict_do_update(
        index_elements=list(upsert_on), set_={c: statement.excluded[c] for c in kept}
    )


@lru_cache(maxsize=256)
def _json_insert(
    target: Table, names: tuple[str, ...], upsert_on: tuple[str, ...], parameter: str, quote: Any
) -> str:
    """The INSERT of one batch's rows from a JSON parameter, made once per table, columns and
    place in the chain (a create writes the same tables each time). Identifiers come from the
    table's metadata, quoted; the rows are a parameter."""
    table, columns = quote(target.name), ", ".join(quote(c) for c in names)
    statement = (
        f"INSERT INTO {table} ({columns}) SELECT {columns} "  # noqa: S608
        f"FROM json_populate_recordset(NULL::{table}, CAST(:{parameter} AS json))"
    )
    if upsert_on:
        keys = ", ".join(quote(c) for c in upsert_on)
        kept = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in names if c not in upsert_on)
        statement += f" ON CONFLICT ({keys}) DO UPDATE SET {kept}"
    return statement
