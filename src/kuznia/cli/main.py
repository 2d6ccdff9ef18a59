"""The ``kuznia`` command: the root app, its sub-apps, the one place errors become exit codes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kuznia.cli.admin_commands import admin_app
from kuznia.cli.common import EXIT_FAILURE, State, err_console, exit_code_for, report
from kuznia.cli.db_commands import db_app
from kuznia.cli.demo_commands import demo_app
from kuznia.cli.export_commands import export_app
from kuznia.cli.import_commands import import_app
from kuznia.cli.log_commands import log_app, verify_command
from kuznia.cli.plan import plan_app
from kuznia.cli.registry_commands import list_command, summary_command
from kuznia.cli.scenario_commands import scenario_app
from kuznia.cli.serve_command import serve_command
from kuznia.cli.start_command import start_command
from kuznia.cli.worker_command import worker_command
from kuznia.errors import KuzniaError

app = typer.Typer(
    name="kuznia",
    help=(
        "kuznia (forge): needs, capacity, money and deliveries for financing Ukraine's defence "
        "production. Settings come from KUZNIA_* environment variables "
        "(KUZNIA_DATABASE_URL, default sqlite:///var/kuznia.sqlite3)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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


app.add_typer(admin_app, name="admin")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(log_app, name="log")
app.add_typer(plan_app, name="plan")
app.command("verify")(verify_command)
app.add_typer(scenario_app, name="scenario")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.command("list")(list_command)
app.command("summary")(summary_command)
app.command("start")(start_command)
app.command("serve")(serve_command)
app.command("worker")(worker_command)


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
