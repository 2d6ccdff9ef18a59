"""``kuznia invest``: where capacity is missing and the capacity projects ranked by value per
million of capex, from the current stored plan (as the operator sees them, or the public)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, state

if TYPE_CHECKING:
    from kuznia.services.investment.view import InvestmentView

# The services and the database are imported by the command that runs: `--help` needs neither.
invest_app = typer.Typer(
    help="The investor view: where capacity is missing, and the projects that would add most.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)
PUBLIC = typer.Option("--public", help="Show what the public sees (aggregates only).")
LIMIT = typer.Option("--limit", help="Rows to show.", min=1)


def _view(ctx: typer.Context, public: bool) -> InvestmentView:
    """The view of the current stored plan (the last stored one, said so, if the inputs
    changed since); plans nothing and queues nothing."""
    from kuznia.services.access.policy import Viewer
    from kuznia.services.investment.view import investment_view, planned_or_not_found
    from kuznia.services.kernel.actors import Actor, Role
    from kuznia.services.planning.views import PlanCache

    actor = Actor(role=Role.PUBLIC, label="public") if public else Actor.system("cli")
    with state(ctx).database().reading() as session:
        current = PlanCache().shown(session)
        planned = planned_or_not_found(current)
        if not current.up_to_date:
            console.print("note: the inputs changed since this plan; it is the last one stored")
        return investment_view(session, Viewer.of(session, actor), planned)


def _number(value: float | int | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if isinstance(value, int) else f"{value:,.2f}"


@invest_app.command("gaps")
def gaps_command(
    ctx: typer.Context, public: Annotated[bool, PUBLIC] = False, limit: Annotated[int, LIMIT] = 30
) -> None:
    """Per capability (largest unmet need first): units needed, monthly capacity declared and
    built, units funded and unmet, the value of one more unit of monthly capacity.

    Example: kuznia invest gaps --limit 10
    """
    from rich.table import Table

    view = _view(ctx, public)
    table = Table(title=f"Where capacity is missing (plan {view.plan_sha256[:12]})")
    for column in ("capability", "needed", "declared/month", "built/month", "funded", "unmet",
                   "value of +1/month", "by country and kind"):  # fmt: skip
        table.add_column(column, justify="left" if column[0] in "cb" else "right",
                         no_wrap=column == "capability")  # fmt: skip
    for g in view.capabilities[:limit]:
        cells = ", ".join(
            f"{c.site_country} {c.kind or 'other'}: {c.declared_monthly + c.built_monthly:,}"
            for c in g.cells
        )
        table.add_row(g.capability, _number(g.needed_units), _number(g.declared_monthly),
                      _number(g.built_monthly), _number(g.funded_units), _number(g.unmet_units),
                      _number(g.value_per_unit), cells)  # fmt: skip
    console.print(table)
    if not view.split:
        console.print("cells of fewer than 3 firms are summed as '* other'")


@invest_app.command("projects")
def projects_command(
    ctx: typer.Context, public: Annotated[bool, PUBLIC] = False, limit: Annotated[int, LIMIT] = 30
) -> None:
    """The capacity projects by value per million of capex (base currency), built or with the
    reason they are not; the value is estimated as docs/investment.md states.

    Example: kuznia invest projects --limit 20
    """
    from rich.table import Table

    from kuznia.money import format_cents

    view = _view(ctx, public)
    title = f"Capacity projects by value per million of capex ({view.base_currency})"
    table = Table(title=title)
    for column in ("project", "capability", "kind", "site", "capex", "in the plan", "units",
                   "value", "per million", "estimated from"):  # fmt: skip
        table.add_column(column, justify="right" if column in {"capex", "units", "value",
                         "per million"} else "left", no_wrap=column == "project")  # fmt: skip
    for p in view.projects[:limit]:
        status = f"built from {p.built_from}" if p.built_from else str(p.unbuilt_reason)
        table.add_row(p.project, p.capability, p.kind, p.site_country,
                      format_cents(p.capex_cents), status, _number(p.units), _number(p.value),
                      _number(p.value_per_million), p.basis.value)  # fmt: skip
    console.print(table)
    if not view.projects:
        console.print("no project to show" + (" (the public sees aggregates only)" * public))
