"""pg8000 through ``db/postgres.py``: one round trip per statement, the same answers and errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pg8000.converters
import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from kuznia.db.engine import make_engine, normalise_url
from kuznia.db.postgres import Connection as PipelinedConnection

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_template: str) -> Iterator[Engine]:
    engine = make_engine(postgres_template)
    yield engine
    engine.dispose()


def _exchanges(connection: Connection) -> list[int]:
    """Count the raw connection's waits for ReadyForQuery (one per round trip)."""
    raw: Any = connection.connection.dbapi_connection
    assert isinstance(raw, PipelinedConnection)
    count = [0]
    handle = raw.handle_messages

    def counted(context: Any) -> None:
        count[0] += 1
        handle(context)

    raw.handle_messages = counted
    return count


def test_a_statement_with_parameters_is_one_round_trip(engine: Engine) -> None:
    with engine.connect() as connection:
        count = _exchanges(connection)
        row = connection.execute(text("SELECT :a + 1 AS b, :s AS s"), {"a": 41, "s": "x%s$1?"})
        assert row.one() == (42, "x%s$1?")
        assert count[0] == 1  # with its BEGIN
        assert connection.connection.dbapi_connection._in_transaction  # type: ignore[union-attr]
        assert connection.execute(text("SELECT CAST(:a AS int)"), {"a": 1}).scalar() == 1
        connection.rollback()
        assert count[0] == 3


def test_a_failed_statement_leaves_its_transaction_failed_then_rolls_back(engine: Engine) -> None:
    with engine.connect() as connection:
        with pytest.raises(DBAPIError):
            connection.execute(text("SELECT 1 / (:i - 1)"), {"i": 1})
        raw: Any = connection.connection.dbapi_connection
        assert raw._transaction_status == b"E"
        connection.rollback()
        assert connection.execute(text("SELECT CAST(:i AS int)"), {"i": 2}).scalar() == 2


NAIVE = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).replace(tzinfo=None)


def test_values_read_back_as_written(engine: Engine) -> None:
    moment = datetime(2026, 12, 2, 13, 4, 27, 120000, tzinfo=UTC)
    with engine.connect() as connection:
        connection.execute(text("SET TIME ZONE 'Asia/Kathmandu'"))
        found = connection.execute(
            text(
                "SELECT CAST(:t AS timestamptz), CAST(:d AS date), CAST(:n AS timestamp), "
                "CAST(:b AS bytea), CAST(NULL AS timestamptz), 'infinity'::timestamptz"
            ),
            {"t": moment, "d": date(2026, 12, 2), "n": NAIVE, "b": b"\x00"},
        ).one()
    assert found[0] == moment
    assert found[0].utcoffset() == timezone(timedelta(hours=5, minutes=45)).utcoffset(None)
    assert found[1:5] == (date(2026, 12, 2), NAIVE, b"\x00", None)
    assert found[5] == pg8000.converters.timestamptz_in("infinity")


def _failures(engine: Engine) -> list[tuple[type[BaseException], str | None]]:
    """What each failing statement raises (its class and SQLSTATE); then a statement works."""
    raised: list[tuple[type[BaseException], str | None]] = []
    failing = [
        ("INSERT INTO t VALUES (:i)", 1),  # a broken constraint
        ("SELEC :i", 1),  # refused at Parse
        ("SELECT CAST(:i AS int)", "not a number"),  # refused at Bind
        ("SELECT 1 / (:i - 1)", 1),  # fails as it runs
    ]
    with engine.connect() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE t (id int PRIMARY KEY)"))
        connection.execute(text("INSERT INTO t VALUES (:i)"), [{"i": 1}, {"i": 2}])
        for statement, value in failing:
            with pytest.raises(DBAPIError) as error:
                connection.execute(text(statement), {"i": value})
            raised.append((type(error.value), sqlstate(error.value)))
            connection.rollback()
        assert connection.execute(text("SELECT CAST(:i AS int)"), {"i": 7}).scalar() == 7
    return raised


def sqlstate(error: DBAPIError) -> str | None:
    args: Any = getattr(error.orig, "args", ())
    return str(args[0].get("C")) if args and isinstance(args[0], dict) else None


def test_errors_are_raised_as_pg8000_raises_them(engine: Engine, postgres_template: str) -> None:
    plain = create_engine(normalise_url(postgres_template))
    try:
        expected = _failures(plain)
    finally:
        plain.dispose()
    assert _failures(engine) == expected
    assert [code for _, code in expected] == ["23505", "42601", "22P02", "22012"]


def test_autocommit_statements_commit_each(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS pipelined (id int)"))
        connection.commit()
    try:
        with engine.connect() as connection:
            reading = connection.execution_options(isolation_level="AUTOCOMMIT")
            reading.execute(text("INSERT INTO pipelined VALUES (:i)"), {"i": 3})
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id FROM pipelined")).scalars().all() == [3]
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE pipelined"))
