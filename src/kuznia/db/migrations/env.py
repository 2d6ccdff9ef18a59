"""Alembic environment: runs on the connection handed in by ``kuznia.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kuznia.db.engine import make_engine
from kuznia.db.tables import metadata

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():  # pragma: no cover - offline SQL generation is not used
    raise SystemExit("kuznia runs migrations online only")
run_migrations_online()
