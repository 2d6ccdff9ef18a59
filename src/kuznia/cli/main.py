"""The ``kuznia`` command: the root app, its sub-apps, the one place errors become exit codes."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from kuznia.cli.common import (
    EXIT_FAILURE,
    MARKUP,
    LightGroup,
    State,
    err_console,
    exit_code_for,
    report,
)
from kuznia.errors import KuzniaError


@dataclass(frozen=True, slots=True)
class Lazy:
    """A command or sub-app imported only when it runs (or shows its own help).

    ``summary`` is the first paragraph of its help, which ``kuznia --help`` lists without
    importing it (a test checks the two agree).
    """

    module: str
    attribute: str
    summary: str


# In the order ``kuznia --help`` lists them: single commands, then sub-apps.
COMMANDS: dict[str, Lazy] = {
    "verify": Lazy(
        "kuznia.cli.log_commands",
        "verify_command",
        "Check offline, with nothing but the public key, that a record is in the signed log.",
    ),
    "list": Lazy(
        "kuznia.cli.registry_commands",
        "list_command",
        "List one registry with filters, search, sorting and paging.",
    ),
    "summary": Lazy(
        "kuznia.cli.registry_commands",
        "summary_command",
        "Print needs against declared capacity against pledged money, by capability.",
    ),
    "start": Lazy(
        "kuznia.cli.start_command",
        "start_command",
        "Load the notional demo data (first time only), create demo logins, start the web app.",
    ),
    "serve": Lazy(
        "kuznia.cli.serve_command",
        "serve_command",
        "Serve the HTTP API; its documentation is at /api/docs, the OpenAPI document at\n"
        "/api/openapi.json, readiness at /api/v1/ready. Settings come from KUZNIA_* variables;\n"
        "logs are JSON lines on stderr (KUZNIA_LOG_FORMAT=text for a terminal).",
    ),
    "worker": Lazy(
        "kuznia.cli.worker_command",
        "worker_command",
        "Run queued jobs until stopped (Ctrl-C or SIGTERM); start as many as you like, on one\n"
        "machine or several: each job is claimed by exactly one worker.",
    ),
    "admin": Lazy(
        "kuznia.cli.admin_commands", "admin_app", "Administer users (there is no default password)."
    ),
    "db": Lazy("kuznia.cli.db_commands", "db_app", "The database: schema, backup, restore."),
    "demo": Lazy(
        "kuznia.cli.demo_commands", "demo_app", "Notional demo data (synthetic, labelled as such)."
    ),
    "log": Lazy(
        "kuznia.cli.log_commands",
        "log_app",
        "The transparency log: signed checkpoints, proofs, export and audit.",
    ),
    "plan": Lazy(
        "kuznia.cli.plan",
        "plan_app",
        "Plans (kuznia.plan/1): the allocation that does the most good with the money pledged.",
    ),
    "scenario": Lazy(
        "kuznia.cli.scenario_commands", "scenario_app", "Scenario files (kuznia.scenario/1 and /2)."
    ),
    "risk": Lazy(
        "kuznia.cli.risk_commands",
        "risk_app",
        "Resilience: plans under sampled strikes on sites (kuznia.risk/1).",
    ),
    "import": Lazy(
        "kuznia.cli.import_commands",
        "import_app",
        "Import requirements, proposals, pledges, capacity projects (and capabilities) from "
        ".xlsx or .csv files.",
    ),
    "project": Lazy(
        "kuznia.cli.investment_commands",
        "project_app",
        "Capacity projects: review and build them (producing enters their line).",
    ),
    "investment": Lazy(
        "kuznia.cli.investment_commands", "investment_app", "Investments across borders."
    ),
    "invest": Lazy(
        "kuznia.cli.invest_commands",
        "invest_app",
        "The investor view: where capacity is missing, and the projects that would add most.",
    ),
    "export": Lazy("kuznia.cli.export_commands", "export_app", "Export workbooks and open data."),
}


def load_command(name: str, lazy: Lazy) -> Any:  # a click.Command
    """Import one command's module and build it as ``add_typer``/``command`` on the root would."""
    target = getattr(importlib.import_module(lazy.module), lazy.attribute)
    holder = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _Commands(MutableMapping[str, Any]):
    """The root's commands by name: each built from ``COMMANDS`` when first looked up, except
    while the root's help lists them (``listing``), which needs only their summaries."""

    def __init__(self, built: Mapping[str, Any]) -> None:
        self._built = dict(built)
        self.listing = False

    def __getitem__(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        lazy = COMMANDS[name]  # KeyError for an unknown name, as a dict
        if self.listing:
            return TyperCommand(name=name, help=lazy.summary)
        command = self._built[name] = load_command(name, lazy)
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*COMMANDS, *(name for name in self._built if name not in COMMANDS)])

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self._built.keys())


class _LazyGroup(LightGroup):
    """The root: lists every command from ``COMMANDS``, imports one only to run it.

    So ``kuznia --help`` imports no command module, and ``kuznia plan ...`` imports the
    planner but not the web or database stack (about 2-3 s of start-up before).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = self._lazy = _Commands(self.commands)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._lazy.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._lazy.listing = False


app = typer.Typer(
    name="kuznia",
    help=(
        "kuznia (forge): needs, capacity, money and deliveries for financing Ukraine's defence "
        "production. Settings come from KUZNIA_* environment variables "
        "(KUZNIA_DATABASE_URL, default sqlite:///var/kuznia.sqlite3)."
    ),
    cls=_LazyGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=MARKUP,
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="KUZNIA_DATABASE_URL",
            help="sqlite:///path/file.sqlite3 or postgresql://user@host/db",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """kuznia command line."""
    ctx.obj = State(database_url=database_url)
    ctx.call_on_close(ctx.obj.close)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 2 bad input, 1 any other failure."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="kuznia", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return EXIT_FAILURE
    except typer.TyperException as exc:  # usage errors (exit code 2) and other Click errors
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(exc.format_message())
        return exc.exit_code
    except KuzniaError as exc:
        report(exc)
        return exit_code_for(exc)
    # Without standalone mode, ``typer.Exit(n)`` inside a command comes back as the return value.
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run())
