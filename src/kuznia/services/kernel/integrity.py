"""Database integrity errors turned into domain conflicts that name what clashed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from kuznia.errors import (
    Conflict,
)


def is_integrity_error(exc: DBAPIError) -> bool:
    """A broken constraint: pg8000 reports these as ProgrammingError with SQLSTATE class 23."""
    if isinstance(exc, IntegrityError):
        return True
    args: Any = getattr(exc.orig, "args", ())
    return bool(args) and isinstance(args[0], dict) and str(args[0].get("C", "")).startswith("23")


def flush_or_conflict(session: Session, what: str) -> None:
    """Flush; a broken constraint (a concurrent duplicate, a reference) becomes a Conflict."""
    try:
        session.flush()
    except DBAPIError as exc:
        if not is_integrity_error(exc):
            raise
        raise Conflict(f"{what} conflicts with the records stored") from None
