"""The statement every appender runs under the log's lock keeps one plan on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import asyncpg, pg8000

from kuznia.services.transparency.append import _bump_reading_frontier


def test_the_heads_statement_binds_only_the_count_of_new_leaves() -> None:
    """Its numbers are written in the SQL: a prepared statement with eleven bound values was
    planned again at every run (PostgreSQL guessed the plan for unknown values dearer), one
    with ``count`` alone keeps its plan."""
    for dialect in (asyncpg.dialect(), pg8000.dialect()):
        compiled = _bump_reading_frontier().compile(dialect=dialect)
        assert set(compiled.binds) == {"count"}
        assert "generate_series(1, 62)" in str(compiled)
