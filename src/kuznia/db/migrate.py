"""Alembic, driven from code: no alembic.ini, the URL comes from the settings.

Alembic (and with it every table module, which the migration environment loads) is imported
only when the schema must change: a database already at the head is told so by one query and
the revisions the migration scripts declare (read here without Alembic).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from kuznia.db.engine import normalise_url

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("kuznia.db") / "migrations"))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` inside one transaction (PostgreSQL DDL is transactional)."""
    if revision == "heads" and current_revision(engine) == script_heads():
        return  # nothing to do: Alembic would find the same in 0.5 s of imports
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision``, inside one transaction."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run ``step`` on one connection, in one transaction.

    On SQLite, foreign keys are off while it runs: a migration that adds or drops a constraint
    rebuilds the table (copy, drop, rename), and dropping a table that others reference would
    fail or delete through them; the keys are checked before the transaction commits."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # outside any transaction, where SQLite honours it
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration left rows whose foreign keys do not match")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        return ",".join(sorted(str(r[0]) for r in rows)) or None


# A script's own revision and the ones it builds on, each on one line of its own, as every
# script here writes them (``revision = "0012"``, ``down_revision = ("0003", "0006")``).
_REVISION_LINE = re.compile(r"^(revision|down_revision) = (.+?)\s*(?:#.*)?$", re.MULTILINE)


@cache
def script_heads() -> str:
    """The revisions no migration script builds on (comma-separated, sorted), as Alembic's
    ``ScriptDirectory.get_heads`` finds them (a test holds the two equal), read from each
    script's ``revision`` and ``down_revision`` lines without importing Alembic or the scripts
    (nor parsing them whole: 20 ms of every command's start)."""
    revisions: set[str] = set()
    below: set[str] = set()
    for script in (resources.files("kuznia.db") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py"):
            continue
        for name, literal in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            value = ast.literal_eval(literal)
            if name == "revision":
                revisions.add(value)
            else:
                below.update([value] if isinstance(value, str) else (value or ()))
    return ",".join(sorted(revisions - below))
