"""Insert many rows in one statement on every engine.

SQLite's ``executemany`` runs in C and is fast. pg8000's ``executemany`` is a loop of round
trips, so on PostgreSQL the rows travel as ONE JSON parameter that ``json_populate_recordset``
turns into rows of the table's type (bytes as bytea's hex text, datetimes as ISO 8601 text,
decimals as text: PostgreSQL casts each to the column's type).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session


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
    missing = [c for c in table.columns if c.default is not None and c.name not in rows[0]]
    defaults: dict[str, Any] = {}
    for column in missing:
        default: Any = column.default
        if default.is_scalar:
            defaults[column.name] = default.arg
        elif default.is_callable:
            defaults[column.name] = default.arg(None)
    return [{**defaults, **r} for r in rows]


def insert_rows(session: Session, target: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """One INSERT of ``rows`` (dicts with the same keys) into a mapped class or a table."""
    if not rows:
        return
    table: Table = target if isinstance(target, Table) else target.__table__
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    rows = _with_python_defaults(table, rows)
    quote = bind.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in rows[0])
    statement = text(  # identifiers from the table's metadata, quoted; the rows are a parameter
        f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} "  # noqa: S608
        f"FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json))"
    )
    session.execute(statement, {"rows": json.dumps([dict(r) for r in rows], default=_json_value)})
