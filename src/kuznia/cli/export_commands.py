"""``kuznia export ...``: workbooks for planners (registries, plans) and open data (OCDS, the
tracker CSV, the public feed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kuznia.cli.choices import Tier
from kuznia.cli.common import MARKUP, LightGroup, console, state
from kuznia.cli.import_commands import read_file
from kuznia.errors import KuzniaError

# Each command imports its service when it runs: `--help` needs none of them.
export_app = typer.Typer(
    help="Export workbooks and open data.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)

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
    from kuznia.services.registries.workbook_import import export_workbook

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
    from kuznia.spreadsheets.plan_files import export_plan_workbook

    write(out, export_plan_workbook(read_file(scenario), read_file(plan)))


@export_app.command("ocds")
def ocds(
    ctx: typer.Context,
    out: Out = Path("releases.json"),
    tier: Annotated[Tier, typer.Option(help="public (no secret field) or confidential.")] = (
        Tier.PUBLIC
    ),
    ocid_prefix: Annotated[
        str, typer.Option(envvar="KUZNIA_OCID_PREFIX", help="Your OCDS ocid prefix.")
    ] = "ocds-kuznia",
    publisher: Annotated[str, typer.Option(help="Publisher name.")] = "kuznia",
) -> None:
    """Write contracts, money flows and deliveries as an OCDS 1.1 release package, checked
    against the OCDS 1.1.5 schema (offline) before it is written.

    Example: kuznia export ocds --tier public --ocid-prefix ocds-a1b2c3 --out releases.json
    """
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.open_data import ocds_processes
    from kuznia.services.open_data.ocds import OcdsOptions, release_package
    from kuznia.services.open_data.ocds_schema import package_bytes, validation_errors

    options = OcdsOptions(ocid_prefix=ocid_prefix, publisher_name=publisher)
    chosen = ocds_processes.Tier(tier.value)
    with state(ctx).database().reading() as session:
        data = package_bytes(
            release_package(session, Actor.system("export"), tier=chosen, options=options)
        )
    errors = validation_errors(data)
    if errors:
        raise KuzniaError("the package does not validate (not written):\n  " + "\n  ".join(errors))
    write(out, data)


@export_app.command("tracker")
def tracker(ctx: typer.Context, out: Out = Path("tracker.csv")) -> None:
    """Write commitments and disbursements by partner, month and capability category as CSV
    with IATI-like columns, for aid trackers.

    Example: kuznia export tracker --out tracker.csv
    """
    from kuznia.services.open_data.feeds import tracker_csv

    with state(ctx).database().reading() as session:
        write(out, tracker_csv(session))


@export_app.command("feed")
def feed(
    ctx: typer.Context,
    after: Annotated[int, typer.Option(help="Last sequence number already read; -1 = start.")] = -1,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Leaves to read.")] = 100,
) -> None:
    """Print one page of the public feed of published records (JSON), paged by sequence number.

    Example: kuznia export feed --after 1200 --limit 500
    """
    from kuznia.services.open_data.feeds import public_feed

    with state(ctx).database().reading() as session:
        page = public_feed(session, after, limit)
    typer.echo(json.dumps(page.document(), indent=2, ensure_ascii=False))
