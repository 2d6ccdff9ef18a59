"""Helpers for the transparency log tests: a signing key, changes to log, triggers dropped and
restored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from kuznia.db.registries import Capability
from kuznia.db.transparency import APPEND_ONLY_TABLES
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.transparency.checkpoints import LogSigner
from kuznia.transparency import generate_private_key

ORIGIN = "kuznia.test/log"


@pytest.fixture
def signer() -> LogSigner:
    return LogSigner(ORIGIN, generate_private_key())


def log_changes(
    database: Database, count: int, *, prefix: str = "cap", with_rows: bool = False
) -> None:
    """One unit of work recording ``count`` changes (nothing else written; with ``with_rows``
    the capabilities are written too, so the log vouches for the live table)."""
    with database.unit_of_work(Actor.system("test")) as uow:
        for i in range(count):
            if with_rows:
                uow.session.add(Capability(id=f"{prefix}-{i}", name="c", unit="u", version=1))
            uow.record("capabilities", f"{prefix}-{i}", "create", None, {"id": f"{prefix}-{i}"})


def _pg_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION kuznia_refuse_change()"
    )


def _sqlite_trigger(table: str, event: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {event} refused'); END"
    )


@contextmanager
def triggers_dropped(database: Database, table: str = "ledger_leaves") -> Iterator[None]:
    """Go behind the application's back: drop a table's append-only triggers, then restore them
    (the PostgreSQL test database is shared by every test of the session)."""
    postgres = database.engine.dialect.name == "postgresql"
    assert table in APPEND_ONLY_TABLES
    with database.engine.begin() as conn:
        if postgres:
            conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
        else:
            conn.execute(text(f"DROP TRIGGER {table}_no_update"))
            conn.execute(text(f"DROP TRIGGER {table}_no_delete"))
    try:
        yield
    finally:
        with database.engine.begin() as conn:
            if postgres:
                conn.execute(text(_pg_trigger(table)))
            else:
                conn.execute(text(_sqlite_trigger(table, "UPDATE")))
                conn.execute(text(_sqlite_trigger(table, "DELETE")))
