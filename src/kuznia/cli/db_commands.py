"""``kuznia db ...``: schema migrations, backup and restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, state

# The database modules are imported by the command that runs: `--help` needs none of them.
db_app = typer.Typer(
    help="The database: schema, backup, restore.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the latest revision (creates the SQLite file if needed).

    Example: KUZNIA_DATABASE_URL=postgresql://kuznia@localhost/kuznia kuznia db upgrade
    """
    from kuznia.db.migrate import current_revision

    database = state(ctx).database(migrate=False)
    database.upgrade()
    console.print(f"schema at revision [bold]{current_revision(database.engine)}[/]")


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the schema revision the database is at.

    Example: kuznia db current
    """
    from kuznia.db.migrate import current_revision

    revision = current_revision(state(ctx).database(migrate=False).engine)
    console.print(revision or "no kuznia schema yet (run `kuznia db upgrade`)")


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Back up the whole database while kuznia runs: SQLite with its online backup API (FILE
    is an SQLite database), PostgreSQL with pg_dump (FILE is a custom-format archive).

    Example: kuznia db backup backups/kuznia-2026-03-01.sqlite3
    """
    from kuznia.db.backup import back_up

    database = state(ctx).database(migrate=False)
    result = back_up(database.engine, file, overwrite=force)
    console.print(f"backup written to {result.path} ({result.size:,} bytes)")


@db_app.command("restore")
def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup written by `kuznia db backup`.")],
) -> None:
    """Replace everything in the database with a backup, then bring its schema to the latest
    revision. Stop the servers first. Afterwards check the log: `kuznia log audit`.

    Example: kuznia db restore backups/kuznia-2026-03-01.sqlite3 && kuznia log audit
    """
    from kuznia.db.backup import restore
    from kuznia.db.migrate import current_revision

    database = state(ctx).database(migrate=False)
    result = restore(database.engine, file)
    database.upgrade()
    if result.kept is not None:
        console.print(f"the database as it was is kept in {result.kept}")
    console.print(
        f"restored from {result.path}; schema at revision "
        f"[bold]{current_revision(database.engine)}[/]; now run `kuznia log audit`"
    )
