"""``kuznia export ...``: workbooks for planners (registries, plans)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.common import console, state
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
