"""``kuznia start``: the quick start. Loads the notional demo into the embedded database (once),
creates a demo login for each role, and serves the web app and the API."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated

import typer

from kuznia.cli.common import Stages, console, stages, state
from kuznia.cli.demo_commands import Scale, ScaleOption, SeedOption
from kuznia.cli.registry_commands import render_overview
from kuznia.cli.serve_command import serve
from kuznia.errors import KuzniaError

# The demo, the database and the planner are imported when the command runs.
if TYPE_CHECKING:
    from rich.table import Table

    from kuznia.services.identity.users import DemoLogin
    from kuznia.services.kernel.database import Database
    from kuznia.services.registries.summary import Overview


def _logins_table(logins: list[DemoLogin]) -> Table:
    from rich.table import Table

    table = Table(title="Demo logins (new passwords at every start)")
    table.add_column("role")
    table.add_column("organisation")
    table.add_column("email", no_wrap=True)
    table.add_column("password", no_wrap=True)
    for login in logins:
        table.add_row(login.role, login.organisation, login.email, login.password)
    return table


def _check_port_free(host: str, port: int) -> None:
    """Fail before the long set-up, with a way out, rather than after it with a traceback.

    Bound as the server binds (``SO_REUSEADDR``, as uvicorn does): only a socket listening there
    refuses it. Without it, the connections a stopped server closed, waiting out TIME_WAIT for
    a minute, refused a start the server itself would have made."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise KuzniaError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another with --port"
            ) from None


def start_command(
    ctx: typer.Context,
    scale: ScaleOption = Scale.NATIONAL,
    seed: SeedOption = 1,
    reload: Annotated[bool, typer.Option(help="Load the demo again even if data exists.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    serve_app: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web app (or only load and show).")
    ] = True,
) -> None:
    """Load the notional demo data (first time only), create demo logins, start the web app.

    Example: kuznia start --scale small --port 8080
    """
    if serve_app:
        _check_port_free(host, port)
    overview, logins = _load_demo(ctx, scale, seed, reload=reload, plan_beside=serve_app)
    console.print(render_overview(overview))
    console.print(
        "[dim]All names and figures are notional demo data. "
        f"Database: {state(ctx).settings.database_url}[/]"
    )
    console.print(_logins_table(logins))
    if serve_app:
        where = f"[bold]Open http://{host}:{port}/ and log in with one of the logins above.[/]"
        serve(ctx, host, port, listening=where)


def _load_demo(
    ctx: typer.Context, scale: Scale, seed: int, *, reload: bool, plan_beside: bool
) -> tuple[Overview, list[DemoLogin]]:
    """The demo in the database (generated if it is empty or ``reload``), its first plan,
    new demo logins; the overview to show.

    With ``plan_beside`` the first plan is queued for the server's job worker, which computes
    it in a child process while the server starts (the pages show its progress and reload
    themselves): on a fresh clone the address is ready seconds sooner. Without a server to run
    the job (``--no-serve``) it is computed here."""
    from sqlalchemy import func, select

    from kuznia.db import registries as db
    from kuznia.demo import generate
    from kuznia.services.identity.users import create_demo_logins
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.demo import load_world
    from kuznia.services.registries.summary import capability_overview

    database = state(ctx).database()
    with database.reading() as session:
        empty = not session.scalar(select(func.count()).select_from(db.Proposal))
    with stages(4) as progress:
        progress.begin(f"generating the {scale.value} demo (notional data)")
        world = generate(scale.value, seed) if empty or reload else None
        progress.begin("loading it into the database")
        with database.unit_of_work(Actor.system("start")) as uow:
            if world is not None:
                load_world(uow, world)
            logins = create_demo_logins(uow)
        _first_plan(database, progress, loaded=world is not None, beside=plan_beside)
        progress.begin("summarising")
        with database.reading() as session:
            overview = capability_overview(session)
    return overview, logins


def _first_plan(database: Database, progress: Stages, *, loaded: bool, beside: bool) -> None:
    """The first plan of a demo just ``loaded``: queued for the server's worker (``beside``) or
    computed here."""
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.planning.runs import run_plan

    if not beside:
        progress.begin("computing the first plan (the pages show it at once)")
        if loaded:
            run_plan(database, Actor.system("start"), label="initial plan of the demo")
        return
    progress.begin("queueing the first plan (computed while the server starts)")
    if loaded:
        _queue_first_plan(database)


def _queue_first_plan(database: Database) -> None:
    """The job the pages would queue at their first visit, queued now (the same one: its key
    is the inputs' digest, so a page finds it rather than queueing another)."""
    from kuznia.services.planning.jobs import ensure_current_plan_job
    from kuznia.services.planning.runs import canonical_export

    with database.reading() as session:
        inputs = canonical_export(session)  # read outside the write's lock
    with database.transaction() as session:
        ensure_current_plan_job(session, inputs.sha256)
