"""``kuznia db ...``: schema migrations."""

from __future__ import annotations

import typer

from kuznia.cli.common import console, state
from kuznia.db.migrate import current_revision

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the latest revision (creates the SQLite file if needed).

    Example: KUZNIA_DATABASE_URL=postgresql://kuznia@localhost/kuznia kuznia db upgrade
    """
    database = state(ctx).database(migrate=False)
    database.upgrade()
    console.print(f"schema at revision [bold]{current_revision(database.engine)}[/]")


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the schema revision the database is at.

    Example: kuznia db current
    """
    revision = current_revision(state(ctx).database(migrate=False).engine)
    console.print(revision or "no kuznia schema yet (run `kuznia db upgrade`)")
