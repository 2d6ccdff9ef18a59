"""What every command shares: consoles, the database handle, errors mapped to exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from kuznia.errors import InvalidInput, KuzniaError

if TYPE_CHECKING:  # imported where used: a command that needs no database loads none of it
    from rich.progress import Progress

    from kuznia.services.kernel.database import Database
    from kuznia.settings import Settings

console = Console()
err_console = Console(stderr=True)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def exit_code_for(exc: KuzniaError) -> int:
    """The one mapping from domain errors to exit codes: bad input 2, anything else 1."""
    return EXIT_BAD_INPUT if isinstance(exc, InvalidInput) else EXIT_FAILURE


def report(exc: KuzniaError) -> None:
    err_console.print(f"[bold red]{exc.title}:[/] {exc.message}", highlight=False, markup=True)


@dataclass
class State:
    """Per-invocation state, kept on the Typer context object."""

    database_url: str | None = None
    _settings: Settings | None = None
    _database: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from kuznia.settings import load_settings

            overrides = {"database_url": self.database_url} if self.database_url else {}
            self._settings = load_settings(**overrides)
        return self._settings

    def database(self, *, migrate: bool = True) -> Database:
        """The database, brought to the latest schema when it is the embedded SQLite file.

        A PostgreSQL database is migrated only by ``kuznia db upgrade`` (an operator's decision).
        """
        if self._database is None:
            from kuznia.db.engine import is_sqlite
            from kuznia.db.migrate import current_revision
            from kuznia.services.wiring import open_database

            self._database = open_database(self.settings)
            if migrate and is_sqlite(self._database.engine):
                self._database.upgrade()
            elif migrate and current_revision(self._database.engine) is None:
                raise KuzniaError("the database has no kuznia schema yet: run `kuznia db upgrade`")
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # pragma: no cover - the root callback always sets it
        raise KuzniaError("internal error: command state missing")
    return obj


class Stages:
    """Named stages of a long operation, shown as a progress bar on stderr."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._task = progress.add_task("starting", total=total)
        self._begun = False

    def begin(self, description: str) -> None:
        if self._begun:
            self._progress.advance(self._task)
        self._begun = True
        self._progress.update(self._task, description=description)


@contextmanager
def stages(total: int) -> Iterator[Stages]:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        yield Stages(progress, total)
