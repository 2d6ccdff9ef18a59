"""The statements every appender runs under the log's lock keep one plan on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import asyncpg, pg8000

from kuznia.services.transparency.head import _bump, _bump_with_seq


def test_the_heads_statements_bind_only_the_count_of_new_leaves() -> None:
    """Their numbers are written in the SQL: a prepared statement with eleven bound values was
    planned again at every run (PostgreSQL guessed the plan for unknown values dearer), one
    with ``count`` alone keeps its plan."""
    for dialect in (asyncpg.dialect(), pg8000.dialect()):
        for statement in (_bump(), _bump_with_seq()):
            compiled = statement.compile(dialect=dialect)
            assert set(compiled.binds) == {"count"}


def test_the_head_is_locked_after_the_commit_sequence_in_the_one_statement() -> None:
    """The head's UPDATE asks for the number's row (``EXISTS (SELECT ... FROM seq)``): it cannot
    take the head's lock before the commit sequence's, the order every writer keeps."""
    sql = " ".join(str(_bump_with_seq().compile(dialect=asyncpg.dialect())).split())
    assert sql.startswith("WITH seq AS (UPDATE commit_sequence SET value=")
    assert "head AS (UPDATE ledger_head SET size=" in sql
    assert "WHERE ledger_head.id = 1 AND (EXISTS (SELECT seq.value FROM seq))" in sql
