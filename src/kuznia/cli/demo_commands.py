"""``kuznia demo ...``: the notional demo data."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, stages, state

# The generator and the database are imported by the command that runs: `--help` needs neither.
demo_app = typer.Typer(
    help="Notional demo data (synthetic, labelled as such).",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


class Scale(StrEnum):
    SMALL = "small"
    NATIONAL = "national"
    STRESS = "stress"


ScaleOption = Annotated[Scale, typer.Option(help="small (tests), national, or stress (3x).")]
SeedOption = Annotated[int, typer.Option(help="Same seed and start, same data.")]


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    from kuznia.months import check_month
    from kuznia.scenario.bounds import month_in_window

    try:
        return month_in_window(check_month(value))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


StartOption = Annotated[
    str | None,
    typer.Option(
        callback=_month,
        help="First month, YYYY-MM (default: January of the current year, so the demo's "
        "pledges are valid today).",
    ),
]


@demo_app.command("scenario")
def scenario(
    scale: ScaleOption = Scale.NATIONAL,
    seed: SeedOption = 1,
    start: StartOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
) -> None:
    """Write a deterministic notional scenario file.

    Example: kuznia demo scenario --scale national --seed 1 --out national.json
    """
    from kuznia.demo import generate
    from kuznia.scenario.io import dump_scenario

    with stages(2) as progress:
        progress.begin(f"generating the {scale.value} demo")
        data = dump_scenario(generate(scale.value, seed, start).scenario)
        progress.begin("writing")
        if out is not None:
            out.write_bytes(data)
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        console.print(f"wrote {out} ({len(data):,} bytes)")


@demo_app.command("load")
def load(
    ctx: typer.Context,
    scale: ScaleOption = Scale.SMALL,
    seed: SeedOption = 1,
    start: StartOption = None,
    file: Annotated[
        Path | None,
        typer.Option(help="Load this scenario file instead of generating one."),
    ] = None,
) -> None:
    """Put demo data into the database, in one transaction.

    Generated data comes with notional companies, sites (with secret locations), partners and
    cross-border investments; a --file brings only what a scenario holds.

    Examples: kuznia demo load --scale national --seed 1
              kuznia demo load --file national.json
    """
    from kuznia.demo import generate
    from kuznia.scenario.io import load_scenario
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.demo import load_world
    from kuznia.services.registries.scenarios import import_scenario
    from kuznia.services.resilience.inputs import load_risk_section

    risk_lines: list[str] = []
    with stages(3) as progress:
        progress.begin("preparing")
        world = None if file is not None else generate(scale.value, seed, start)
        scenario_in_file = load_scenario(file)[0] if file is not None else None
        database = state(ctx).database()
        progress.begin("writing")
        with database.unit_of_work(Actor.system()) as uow:
            if world is not None:
                summary = load_world(uow, world)
            else:
                assert scenario_in_file is not None
                summary = import_scenario(uow, scenario_in_file)
                if scenario_in_file.risk is not None:
                    risk_lines = [*load_risk_section(uow, scenario_in_file.risk).lines()]
        progress.begin("done")
    for line in [*summary.lines(), *risk_lines]:
        console.print(line)
