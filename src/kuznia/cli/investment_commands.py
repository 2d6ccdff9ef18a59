"""``kuznia project`` (a capacity project's review and build) and ``kuznia investment``
(the mutual-investment balance): the registry use cases from the terminal, as the operator."""

from __future__ import annotations

from typing import Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, state
from kuznia.db.enums import ProjectStatus  # plain enums: --help loads no table

# The registries and the database are imported by the command that runs: `--help` needs neither.
project_app = typer.Typer(
    help="Capacity projects: review and build them (producing enters their line).",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)
investment_app = typer.Typer(
    help="Investments across borders.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


@project_app.command("status")
def status_command(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="The project's id.")],
    to: Annotated[ProjectStatus, typer.Option("--to", help="The status the step leads to.")],
) -> None:
    """Take a project's next step: vetted, rejected, submitted (the review), financed,
    under_construction, producing (the build; producing enters its line in the proposals).

    Example: kuznia project status proj-dk-1 --to financed
    """
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.records import change_project_status

    with state(ctx).database().unit_of_work(Actor.system("cli")) as uow:
        doc = change_project_status(uow, project, to, None)
    line = f" (its line: proposal {doc['proposal_id']})" if doc.get("proposal_id") else ""
    console.print(f"project {doc['id']} is {doc['status']}{line}")


@investment_app.command("balance")
def balance_command(ctx: typer.Context) -> None:
    """Per pair of countries, how much investment flows each way, by instrument.

    Example: kuznia investment balance
    """
    from rich.table import Table

    from kuznia.services.access.policy import Viewer
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.investment_balance import investment_balance

    with state(ctx).database().reading() as session:
        rows = investment_balance(session, Viewer.of(session, Actor.system("cli")))
    table = Table(title="Mutual-investment balance (planning base currency)")
    columns = ("countries", "instrument", "first to second", "second to first", "net",
               "committed each way", "paid each way")  # fmt: skip
    for column in columns:
        table.add_column(
            column, justify="left" if column in {"countries", "instrument"} else "right"
        )
    for row in rows:
        table.add_row(
            f"{row.first} / {row.second}",
            row.instrument,
            row.first_to_second.display(),
            row.second_to_first.display(),
            row.net.display(),
            f"{row.committed[0].display()} / {row.committed[1].display()}",
            f"{row.disbursed[0].display()} / {row.disbursed[1].display()}",
        )
    console.print(table)
