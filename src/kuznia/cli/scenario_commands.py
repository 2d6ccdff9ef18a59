"""``kuznia scenario ...``: scenario files in and out of the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, stages, state

# The scenario format and the database are imported by the command that runs.
scenario_app = typer.Typer(
    help="Scenario files (kuznia.scenario/1 and /2).",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


@scenario_app.command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A kuznia.scenario/1 JSON file.")],
) -> None:
    """Load a scenario file into the database: all of it, or nothing if any error is found.

    Records are matched by id: new ones are created, changed ones updated, review statuses kept.
    A risk section's classes are saved and its registered sites classed (others are listed).

    Example: kuznia scenario import national.json
    """
    from kuznia.scenario.io import load_scenario
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.scenarios import import_scenario
    from kuznia.services.resilience.inputs import load_risk_section

    risk_lines: list[str] = []
    with stages(3) as progress:
        progress.begin(f"reading {path.name}")
        scenario, _ = load_scenario(path)
        progress.begin("checking against the database")
        database = state(ctx).database()
        with database.unit_of_work(Actor.system()) as uow:
            progress.begin("writing")
            summary = import_scenario(uow, scenario)
            if scenario.risk is not None:
                risk_lines = [*load_risk_section(uow, scenario.risk).lines()]
    for line in [*summary.lines(), *risk_lines]:
        console.print(line)


@scenario_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    include_unreviewed: Annotated[
        bool, typer.Option(help="Also submitted proposals and offered pledges.")
    ] = False,
) -> None:
    """Write the database's planning inputs as a scenario file (canonical form): format 2
    when there are capacity projects or investment pledges, else format 1.

    Example: kuznia scenario export --out current.json
    """
    from kuznia.services.registries.project_export import scenario_bytes

    with state(ctx).database().reading() as session:
        data = scenario_bytes(session, include_unreviewed=include_unreviewed)
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        out.write_bytes(data)
        console.print(f"wrote {out} ({len(data):,} bytes)")
