"""``kuznia start``: the quick start. Loads the notional demo into the embedded database (once)
and shows it."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import func, select

from kuznia.cli.common import console, stages, state
from kuznia.cli.demo_commands import Scale, ScaleOption, SeedOption
from kuznia.cli.registry_commands import render_overview
from kuznia.db import models as db
from kuznia.demo import generate
from kuznia.services.demo import load_world
from kuznia.services.summary import capability_overview
from kuznia.services.unit_of_work import Actor


def start_command(
    ctx: typer.Context,
    scale: ScaleOption = Scale.NATIONAL,
    seed: SeedOption = 1,
    reload: Annotated[bool, typer.Option(help="Load the demo again even if data exists.")] = False,
) -> None:
    """Load the notional demo data (first time only) and show needs against capacity and money.

    Example: kuznia start --scale small
    """
    database = state(ctx).database()
    with database.reading() as session:
        empty = not session.scalar(select(func.count()).select_from(db.Proposal))
    if empty or reload:
        with stages(2) as progress:
            progress.begin(f"generating the {scale.value} demo (notional data)")
            world = generate(scale.value, seed)
            progress.begin("loading it into the database")
            with database.unit_of_work(Actor.system()) as uow:
                load_world(uow, world)
    with database.reading() as session:
        console.print(render_overview(capability_overview(session)))
    console.print(
        "[dim]All names and figures are notional demo data. "
        f"Database: {state(ctx).settings.database_url}[/]"
    )
