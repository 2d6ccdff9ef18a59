"""``kuznia plan ...``: make a plan from a scenario file, check a plan, compare two plans.

``kuznia plan SCENARIO.json --out PLAN.json`` works on files alone (no database). The group
treats a first argument that is not a command name as the scenario of a hidden ``run``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, err_console
from kuznia.errors import InvalidInput, KuzniaError

# The planner, numpy, HiGHS and Pydantic are imported by the command that runs, so that
# ``kuznia plan --help`` starts at once.
if TYPE_CHECKING:
    from kuznia.allocation.diff import Change
    from kuznia.scenario.plan import Plan

EXIT_FAILURE, EXIT_BAD_INPUT = 1, 2


class _ScenarioFirstGroup(LightGroup):
    """``kuznia plan X.json ...`` means ``kuznia plan run X.json ...``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click.Context
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


plan_app = typer.Typer(
    cls=_ScenarioFirstGroup,
    help=(
        "Plans (kuznia.plan/1): the allocation that does the most good with the money pledged.\n\n"
        "Make a plan: kuznia plan SCENARIO.json --out PLAN.json [--time-limit S] [--gap G] "
        "[--threads N] [--warm EARLIER_PLAN.json] (see kuznia plan run --help).\n\n"
        "Example: kuznia plan national.json --out plan.json"
    ),
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
)


def _fail(exc: KuzniaError) -> typer.Exit:
    err_console.print(f"[bold red]{exc.title}:[/] {exc.message}", highlight=False)
    return typer.Exit(EXIT_BAD_INPUT if isinstance(exc, InvalidInput) else EXIT_FAILURE)


@plan_app.command("run", hidden=True)
def run(
    scenario: Annotated[
        Path, typer.Argument(help="A kuznia.scenario/1 or /2 (capacity projects) JSON file.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the plan.")],
    time_limit: Annotated[float, typer.Option(help="Seconds for the solver.", min=0.1)] = 300.0,
    gap: Annotated[
        float, typer.Option(help="Relative gap below which a plan is optimal.", min=0.0, max=1.0)
    ] = 1e-3,
    threads: Annotated[int, typer.Option(help="Solver threads (0: automatic).", min=0)] = 0,
    warm: Annotated[
        Path | None,
        typer.Option(help="An earlier plan of a slightly different scenario to start from."),
    ] = None,
) -> None:
    """Make the optimal plan of a scenario file and write it.

    Example: kuznia plan national.json --out plan.json --time-limit 60 --gap 0.001
    """
    from kuznia.allocation import SolverOptions, plan_scenario, warm_start_from
    from kuznia.scenario.io import load_scenario, scenario_sha256
    from kuznia.scenario.plan import dump_plan, load_plan

    try:
        model, data = load_scenario(scenario)
        start = warm_start_from(load_plan(warm), model) if warm is not None else None
        options = SolverOptions(time_limit=time_limit, mip_gap=gap, threads=threads)
        with console.status(
            f"planning {scenario.name} ({len(model.proposals):,} lines, "
            f"{len(model.pledges):,} pledges)",
            spinner="dots",
        ):
            result = plan_scenario(model, scenario_sha256(data), options, start)
        out.write_bytes(dump_plan(result.plan))
    except KuzniaError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(KuzniaError(f"cannot write {out}: {exc.strerror}")) from None
    _summary(result.plan, out)
    if result.plan.status == "error":
        raise typer.Exit(EXIT_FAILURE)


def _summary(plan: Plan, out: Path) -> None:
    from rich.table import Table

    table = Table(title=f"plan written to {out}", show_header=False)
    base = plan.baseline
    rows: list[tuple[str, Any]] = [
        ("status", plan.status.value),
        ("value", f"{plan.value:,.2f}"),
        ("greedy baseline", f"{base.value:,.2f}" if base else "-"),
        ("total spend", plan.total_spend),
        ("proven gap", f"{plan.solver.mip_gap:.4%} (bound {plan.solver.bound:,.2f})"),
        ("method", plan.solver.method),
        ("unmet requirements", _unmet_summary(plan)),
        *_projects_summary(plan),
        ("seconds", f"{plan.timings_s.total:.2f} (solve {plan.timings_s.solve:.2f})"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    _more_money(plan)
    for note in plan.notes:
        console.print(f"note: {note}")


def _projects_summary(plan: Plan) -> list[tuple[str, Any]]:
    """A ``kuznia.plan/2`` plan's builds and capex (nothing for a ``/1`` plan)."""
    if plan.builds is None:
        return []
    capex = sum((row.amount for row in plan.capex or ()), start=Decimal(0))
    return [
        ("projects built", f"{len(plan.builds)} of {len(plan.builds) + len(plan.unbuilt or ())}"),
        ("capex", f"{capex:.2f}"),
    ]


def _unmet_summary(plan: Plan) -> str:
    """How many needs are unmet, and what binds them (``earmarks 12, capacity 3``)."""
    limits: dict[str, int] = {}
    for row in plan.unmet:
        if row.action is not None:
            limits[row.action.limit.value] = limits.get(row.action.limit.value, 0) + 1
    if not limits:
        return str(len(plan.unmet))
    named = ", ".join(f"{k} {n}" for k, n in sorted(limits.items(), key=lambda kv: -kv[1]))
    return f"{len(plan.unmet)} (binding: {named})"


MORE_MONEY_ROWS = 10


def _more_money(plan: Plan) -> None:
    """The pledges where one more million adds most: value, and units per capability."""
    from rich.table import Table

    marginal = plan.marginal_value
    ranked = sorted(
        (pid for pid, v in marginal.pledges.items() if v > 0),
        key=lambda pid: (-marginal.pledges[pid], pid),
    )
    if not ranked:
        return
    table = Table(
        "pledge", "value", "units", "needs", title="what one more million on a pledge delivers"
    )
    for pid in ranked[:MORE_MONEY_ROWS]:
        units = marginal.units.get(pid, {})
        shown = ", ".join(
            f"{n:,.1f} {cap}" for cap, n in sorted(units.items(), key=lambda x: -x[1])
        )
        table.add_row(
            pid,
            f"{marginal.pledges[pid]:,.1f}",
            shown or "-",
            str(len(marginal.needs.get(pid, ()))),
        )
    if len(ranked) > MORE_MONEY_ROWS:
        table.caption = f"{len(ranked) - MORE_MONEY_ROWS} more pledges with money that binds"
    console.print(table)


@plan_app.command("check")
def check(
    scenario: Annotated[Path, typer.Argument(help="The scenario the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="A kuznia.plan/1 JSON file.")],
) -> None:
    """Check a plan against the six validity rules and recompute its value (exit 1 if invalid).

    Example: kuznia plan check national.json plan.json
    """
    from rich.table import Table

    from kuznia.plancheck import check_plan
    from kuznia.scenario.io import load_scenario
    from kuznia.scenario.plan import load_plan

    try:
        model, data = load_scenario(scenario)
        the_plan = load_plan(plan)
    except KuzniaError as exc:
        raise _fail(exc) from None
    violations = check_plan(model, the_plan, data)
    if not violations:
        rules = "six" if the_plan.builds is None else "nine"
        console.print(
            f"[green]valid[/]: {plan} satisfies the {rules} rules; value {the_plan.value:,.4f}"
        )
        return
    table = Table("rule", "where", "what", title=f"{len(violations)} violation(s)")
    for v in violations[:200]:
        table.add_row(str(v.rule) if v.rule else "totals", v.path, v.message)
    console.print(table)
    raise typer.Exit(EXIT_FAILURE)


@plan_app.command("diff")
def diff(
    a: Annotated[Path, typer.Argument(help="The earlier plan.")],
    b: Annotated[Path, typer.Argument(help="The later plan.")],
    scenario: Annotated[
        Path | None,
        typer.Option(help="Scenario (of either plan) to group deliveries by capability."),
    ] = None,
) -> None:
    """Show what changed between two plans: per requirement, per pledge, per capability.

    Example: kuznia plan diff plan.json what-if.json --scenario national.json
    """
    from kuznia.allocation.diff import diff_plans
    from kuznia.scenario.io import load_scenario
    from kuznia.scenario.plan import load_plan

    try:
        pa, pb = load_plan(a), load_plan(b)
        model = load_scenario(scenario)[0] if scenario is not None else None
    except KuzniaError as exc:
        raise _fail(exc) from None
    d = diff_plans(pa, pb, model)
    console.print(
        f"value {pa.value:,.2f} -> {pb.value:,.2f}; spend {d.total_spend[0]} -> {d.total_spend[1]}"
    )
    _changes("requirements (units delivered)", d.requirements, money=False)
    _changes("pledges (money spent)", d.pledges, money=True)
    if model is not None:
        _changes("capabilities (units delivered)", d.capabilities, money=False)
    if d.empty:
        console.print("no differences in deliveries or spending")


def _changes(title: str, changes: tuple[Change, ...], *, money: bool) -> None:
    from rich.table import Table

    from kuznia.money import format_cents

    if not changes:
        return
    show = format_cents if money else (lambda n: f"{n:,}")
    table = Table("id", "before", "after", "change", title=title)
    for c in changes:
        sign = "+" if c.delta > 0 else ""
        table.add_row(c.key, show(c.before), show(c.after), sign + show(c.delta))
    console.print(table)
