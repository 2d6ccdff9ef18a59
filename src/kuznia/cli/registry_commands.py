"""``kuznia list REGISTRY`` and ``kuznia summary``: read the registries from the terminal."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from kuznia.cli.choices import RegistryName
from kuznia.cli.common import console, state
from kuznia.errors import InvalidInput

if TYPE_CHECKING:  # imported by the command that runs: `--help` needs none of them
    from rich.table import Table

    from kuznia.money import Money
    from kuznia.services.registries.summary import Overview


def _parse_where(items: list[str]) -> dict[str, str]:
    filters = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field:
            raise InvalidInput.single("--where", f"expected FIELD=VALUE, got {item!r}")
        filters[field.strip()] = value.strip()
    return filters


def list_command(
    ctx: typer.Context,
    registry: Annotated[RegistryName, typer.Argument(help="Which registry to list.")],
    where: Annotated[
        list[str] | None,
        typer.Option("--where", "-w", help="FIELD=VALUE filter; repeat to combine."),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Part of id or name.")
    ] = None,
    sort: Annotated[str, typer.Option(help="Column to sort by; prefix - for descending.")] = "id",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    show_secret: Annotated[
        bool, typer.Option(help="Show secret fields (site locations). Coordinator use only.")
    ] = False,
) -> None:
    """List one registry with filters, search, sorting and paging.

    Examples: kuznia list proposals --where kind=ukrainian_abroad --sort -monthly_capacity
              kuznia list pledges --where status=confirmed --limit 10
    """
    from kuznia.services.access.policy import SECRET_FIELDS, Viewer
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.catalogue import display_value
    from kuznia.services.registries.listing import ListQuery, list_records

    entity = str(registry.value)
    query = ListQuery(
        filters=_parse_where(where or []),
        search=search or "",
        sort=sort,
        limit=limit,
        offset=offset,
        count=True,
    )
    with state(ctx).database().reading() as session:
        # The operator at the terminal: the coordinator's rights, through the one listing.
        found = list_records(session, Viewer.of(session, Actor.system("cli")), entity, query)
    hidden = set() if show_secret else SECRET_FIELDS.get(entity, frozenset())
    columns = [c for c in found.columns if c not in hidden]
    rows = [{c: display_value(c, item[c]) for c in columns} for item in found.items]
    total = found.total or 0
    title = f"{registry.value}: {len(rows)} of {total:,} (from {offset + 1})"
    console.print(_table(title, columns, rows))


def _table(title: str, columns: list[str], rows: list[dict[str, object]]) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    return table


def _millions(money: Money) -> str:
    return f"{Decimal(money.cents) / 100_000_000:,.1f}"


def render_overview(overview: Overview) -> Table:
    from rich.table import Table

    table = Table(
        title=(
            f"Needs, declared capacity and money by capability "
            f"({overview.start_month}, {overview.horizon_months} months, {overview.base_currency})"
        ),
        caption=(
            f"pledged {overview.pledged_total.display()} against declared capacity worth "
            f"{overview.capacity_value_total.display()}: "
            f"{overview.funded_share:.0%} of capacity can be funded"
        ),
    )
    for column in (
        "capability",
        "unit",
        "needed",
        "declared capacity",
        "capacity value",
        "cost of the need",
        "earmarked",
    ):
        table.add_column(column, justify="left" if column in {"capability", "unit"} else "right")
    for line in overview.lines:
        table.add_row(
            line.name,
            line.unit,
            f"{line.needed_units:,}",
            f"{line.capacity_units:,}",
            _millions(line.capacity_value),
            _millions(line.need_cost_estimate),
            _millions(line.earmarked_pledges),
        )
    return table


def summary_command(ctx: typer.Context) -> None:
    """Print needs against declared capacity against pledged money, by capability.

    Example: kuznia summary
    """
    from kuznia.services.registries.summary import capability_overview

    with state(ctx).database().reading() as session:
        overview = capability_overview(session)
    console.print(render_overview(overview))
