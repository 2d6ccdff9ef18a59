"""What the shells (API, web) tell about a failure they did not expect: whether the database was
only busy (worth a retry, not a bug), and where a failure happened, without its message."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from sqlalchemy.exc import DBAPIError

BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""PostgreSQL: serialization failure, deadlock detected, lock not available."""
RETRY_AFTER_BUSY = 1
"""Seconds a client is asked to wait before retrying a busy database."""


def is_busy(exc: BaseException) -> bool:
    """The database was too busy to take this writer in time: worth a retry, not a bug.

    SQLite says "database is locked" once its busy timeout has passed; PostgreSQL reports
    serialization failures, deadlocks and locks given up on by SQLSTATE."""
    if not isinstance(exc, DBAPIError):
        return False
    text = str(exc.orig).lower() if exc.orig is not None else ""
    if "database is locked" in text or "database table is locked" in text:
        return True
    return sqlstate_of(exc.orig) in BUSY_SQLSTATES


def sqlstate_of(error: object) -> str | None:
    """The SQLSTATE of a PostgreSQL driver's error: asyncpg's (the API's event loop, through
    SQLAlchemy's adapter) carries it as ``sqlstate``, pg8000's in its first argument."""
    code = getattr(error, "sqlstate", None)
    if isinstance(code, str):
        return code
    args: Any = getattr(error, "args", ())
    fields = args[0] if args and isinstance(args[0], dict) else {}
    found = fields.get("C")
    return found if isinstance(found, str) else None


def where_it_failed(exc: BaseException) -> str:
    """The last frames of ``exc``'s traceback, not its message: a database error's message
    holds the statement's parameters, which may be a password hash or a site's location."""
    return "".join(traceback.format_tb(exc.__traceback__)[-4:])


def report_failure(log: logging.Logger, method: str, path: str, exc: BaseException) -> bool:
    """Log a failure nobody expected on ``method path``: a busy database as a warning, anything
    else as an error with where it failed; whether the database was only busy (a 503, not a
    500)."""
    if is_busy(exc):
        log.warning("database busy on %s %s; answered 503", method, path)
        return True
    log.error("unexpected %s on %s %s\n%s", type(exc).__name__, method, path, where_it_failed(exc))
    return False
