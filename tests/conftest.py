"""Fixtures shared by every test: databases on both engines.

PostgreSQL tests need ``KUZNIA_TEST_POSTGRES_URL`` (an admin URL of a throwaway server, as
``.ci/run`` starts one); without it they are skipped locally, and ``.ci/run`` refuses to skip them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kuznia.db.engine import normalise_url
from kuznia.db.tables import metadata
from kuznia.services.kernel.database import Database
from kuznia.services.wiring import database_at

POSTGRES_ENV = "KUZNIA_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A fresh database on the throwaway server, migrated once; dropped at the end."""
    admin = postgres_admin_url()
    if admin is None:
        if os.environ.get("KUZNIA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{POSTGRES_ENV} is not set but KUZNIA_REQUIRE_POSTGRES=1")
        pytest.skip(f"{POSTGRES_ENV} is not set")
    name = f"kuznia_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(normalise_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(admin)).set(database=name).render_as_string(hide_password=False)
    database = Database(create_engine(url))
    database.upgrade()
    database.dispose()
    yield url
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _truncate_all(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL on each engine."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kuznia.sqlite3'}"
        database = database_at(url)
        database.upgrade()
        database.dispose()
        return url
    url: str = request.getfixturevalue("postgres_template")
    database = database_at(url)
    _truncate_all(database)
    database.dispose()
    return url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = database_at(database_url)
    yield db
    db.dispose()
