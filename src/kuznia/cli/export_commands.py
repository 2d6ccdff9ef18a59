"""``kuznia export ...``: workbooks for planners (registries, plans)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.common import console, state
from kuznia.cli.import_commands import read_file
from kuznia.services.plan_workbook import export_plan_workbook
from kuznia.services.spreadsheet_import import export_workbook

export_app = typer.Typer(help="Export workbooks and open data.", no_args_is_help=True)

Out = Annotated[Path, typer.Option("--out", "-o", help="File to write.")]


def write(out: Path, data: bytes) -> None:
    out.write_bytes(data)
    console.print(f"wrote {out} ({len(data):,} bytes)")


@export_app.command("xlsx")
def xlsx(ctx: typer.Context, out: Out = Path("registries.xlsx")) -> None:
    """Write the registries as a workbook (settings, capabilities, requirements, proposals,
    pledges), laid out like the import templates: `kuznia import workbook` reads it back.

    Example: kuznia export xlsx --out registries.xlsx
    """
    with state(ctx).database().reading() as session:
        data = export_workbook(session)
    write(out, data)


@export_app.command("plan-xlsx")
def plan_xlsx(
    scenario: Annotated[Path, typer.Argument(help="The kuznia.scenario/1 file the plan is of.")],
    plan: Annotated[Path, typer.Argument(help="A kuznia.plan/1 file.")],
    out: Out = Path("plan.xlsx"),
) -> None:
    """Write a plan as a workbook: summary, production, funding, deliveries, unmet needs with
    reasons, marginal values of the pledges.

    Example: kuznia export plan-xlsx national.json plan.json --out plan.xlsx
    """
    write(out, export_plan_workbook(read_file(scenario), read_file(plan)))
