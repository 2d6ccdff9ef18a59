"""Every row of every table, to show that a refused change left the database as it was."""

from __future__ import annotations

from sqlalchemy import select

from kuznia.db.tables import metadata
from kuznia.services.kernel.database import Database


def dump_tables(database: Database) -> dict[str, list[str]]:
    """Table name -> its rows (as sorted reprs of their values), read in a fresh transaction."""
    with database.reading() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
            for table in metadata.sorted_tables
        }
