"""What every command shares: consoles, the database handle, errors mapped to exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import typer
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam
from typer.core import TyperArgument, TyperGroup, TyperOption

from kuznia.errors import InvalidInput, KuzniaError

if TYPE_CHECKING:  # imported where used: a command that needs no database loads none of it
    from rich.console import Console
    from rich.progress import Progress

    from kuznia.services.kernel.database import Database
    from kuznia.settings import Settings

# Help is plain Click text: Typer's rich help imports rich's markdown, pygments and traceback
# modules (about 0.3 s, as much as the rest of ``kuznia plan --help``).
MARKUP: Literal[None] = None


class _LazyConsole:
    """A rich console made on first use, so that ``--help`` imports no rich at all."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def real_console(console: Console) -> Console:
    """The console itself, for rich objects that keep one (progress bars, live displays)."""
    return console.real if isinstance(console, _LazyConsole) else console


@dataclass(frozen=True)
class _Deferred(RuntimeParam):
    """An option's or argument's value of a plain type (text, flag, whole number, path), checked
    without Pydantic: a value Click already gave as that type passes as it is, a whole number or
    a path is read from its text, any other is checked as Typer would. Typer builds a Pydantic
    adapter for every option it processes (importing its adapters and Pydantic, 0.1-0.2 s), even
    for an unset ``--help`` flag of a group."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        if isinstance(value, str) and self.annotation is int:
            return _whole_number(value, self.parameter_info, param, ctx)
        if isinstance(value, str | Path) and self.annotation is Path:  # a default is a PosixPath
            from typer._param_types import coerce_cli_path

            return coerce_cli_path(
                Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx
            )
        from typer._coercion import build_runtime_param

        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


def _whole_number(value: str, info: Any, param: Any, ctx: Any) -> int:
    """An int as Typer's adapter reads it, with its bounds (``min``, ``max``)."""
    try:
        number = int(value.strip())
    except ValueError:
        raise BadParameter(
            "Input should be a valid integer, unable to parse string as an integer",
            ctx=ctx,
            param=param,
        ) from None
    if info.min is not None and number < info.min:
        raise BadParameter(f"Input should be greater than or equal to {info.min}", ctx, param)
    if info.max is not None and number > info.max:
        raise BadParameter(f"Input should be less than or equal to {info.max}", ctx, param)
    return number


def _deferrable(param: Any) -> bool:
    """A parameter whose value :class:`_Deferred` checks exactly as Typer would."""
    if not isinstance(param, TyperOption | TyperArgument) or param.multiple or param.nargs != 1:
        return False
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.clamp:
        return False
    if descriptor.annotation is Path:
        return info.path_type is None and not info.resolve_path and not info.allow_dash
    return descriptor.annotation in {str, bool, int}


def _defer(params: list[Any]) -> None:
    for param in params:
        if _deferrable(param) and not isinstance(param._runtime_param, _Deferred):
            descriptor = param.type_descriptor
            param._runtime_param = _Deferred(descriptor.parameter_info, descriptor.annotation)


class LightGroup(TyperGroup):
    """A command group whose ``--help`` imports neither Pydantic nor rich, and whose commands
    read their plain options and arguments without Pydantic either."""

    def get_params(self, ctx: Any) -> list[Any]:  # click.Parameter
        params: list[Any] = super().get_params(ctx)
        _defer(params)  # --help, the root's --database-url and completion flags
        return params

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not isinstance(command, TyperGroup):
            _defer(command.get_params(ctx))  # with its --help
        return command


console = cast("Console", _LazyConsole(stderr=False))
err_console = cast("Console", _LazyConsole(stderr=True))

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
        console=real_console(err_console),
        transient=True,
    ) as progress:
        yield Stages(progress, total)
