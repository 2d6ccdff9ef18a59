"""``kuznia risk ...``: what a plan still delivers when sites are struck (docs/risk.md).

Files only: a plan, the scenario it was made from, and a ``kuznia.risk/1`` file (``--risk``) or
the scenario's own ``risk`` section (giving both is refused: which one was meant?). Sweeps run on a
Dask LocalCluster of ``--workers`` processes, on an existing cluster (``--cluster`` or
DASK_SCHEDULER_ADDRESS), or in this process with ``--workers 0``.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, exit_code_for, real_console, report
from kuznia.errors import InvalidInput, KuzniaError

if TYPE_CHECKING:
    from kuznia.risk import Disruption, Evaluation, PlanData, RiskSection
    from kuznia.scenario.model import Scenario

risk_app = typer.Typer(
    help="Resilience: plans under sampled strikes on sites (kuznia.risk/1).",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)

PlanArg = Annotated[Path, typer.Argument(help="A kuznia.plan/1 file.")]
ScenarioOpt = Annotated[Path, typer.Option("--scenario", "-s", help="The plan's scenario file.")]
RiskOpt = Annotated[
    Path | None,
    typer.Option(
        "--risk", "-r", help="A kuznia.risk/1 file (default: the scenario's own risk section)."
    ),
]
PathsOpt = Annotated[int, typer.Option(help="Sampled paths.", min=1, max=100_000)]
SeedOpt = Annotated[int, typer.Option(help="Same seed, same paths.", min=0)]
WorkersOpt = Annotated[
    int, typer.Option(help="Local Dask worker processes (0: in this process).", min=0, max=64)
]
ClusterOpt = Annotated[
    str | None,
    typer.Option(
        help="A running Dask scheduler, e.g. tcp://host:8786.", envvar="DASK_SCHEDULER_ADDRESS"
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write the figures as JSON.")]


def _section(scenario: Path, model: Scenario, risk: Path | None) -> RiskSection:
    """The disruption model: the ``--risk`` file or the scenario's own section, never both."""
    from kuznia.risk import check_against, load_risk

    if risk is not None and model.risk is not None:
        msg = f"{scenario} carries a risk section and --risk {risk} was given: use one of them"
        raise InvalidInput.single("risk", msg)
    if risk is None:
        if model.risk is None:
            msg = f"{scenario} has no risk section: give a kuznia.risk/1 file with --risk"
            raise InvalidInput.single("risk", msg)
        return model.risk  # checked against the scenario when the scenario was read
    section = load_risk(risk)
    check_against(section, model)
    return section


def _inputs(plan: Path, scenario: Path, risk: Path | None) -> tuple[PlanData, Disruption, float]:
    from kuznia.risk import disruption_of, plan_data
    from kuznia.scenario.io import load_scenario, scenario_sha256
    from kuznia.scenario.plan import load_plan

    the_plan = load_plan(plan)
    model, data = load_scenario(scenario)
    if scenario_sha256(data) != the_plan.scenario_sha256:
        msg = f"{plan} was made from another scenario than {scenario} (SHA-256 differs)"
        raise InvalidInput.single("scenario", msg)
    section = _section(scenario, model, risk)
    return plan_data(model, the_plan, section), disruption_of(section), the_plan.timings_s.total


def _client(workers: int, cluster: str | None) -> AbstractContextManager[Any]:
    from kuznia.risk import dask_client

    if workers == 0 and not cluster:
        return nullcontext(None)
    return dask_client(workers, cluster)


class _Bar:
    """A Rich progress bar fed by the sweep's ``progress(done, total)``."""

    def __init__(self, label: str) -> None:
        from rich.progress import Progress

        self.progress = Progress(console=real_console(console), transient=True)
        self.task = self.progress.add_task(label, total=None)

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _fail(exc: KuzniaError) -> typer.Exit:
    report(exc)
    return typer.Exit(exit_code_for(exc))


@risk_app.command("evaluate")
def evaluate_command(
    plan: PlanArg,
    scenario: ScenarioOpt,
    risk: RiskOpt = None,
    paths: PathsOpt = 1000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 2,
    cluster: ClusterOpt = None,
    out: OutOpt = None,
) -> None:
    """Evaluate a plan over sampled disruption paths: P90/P50/P10 of value and units, CVaR.

    Example: kuznia risk evaluate plan.json -s national.json -r risk.json --paths 1000 --workers 2
    """
    from kuznia.risk import evaluate

    try:
        data, disruption, _ = _inputs(plan, scenario, risk)
        start = time.perf_counter()
        with _client(workers, cluster) as client, _Bar("paths") as bar:
            figures = evaluate(
                data, disruption, seed=seed, paths=paths, client=client, progress=bar
            )
        seconds = time.perf_counter() - start
        if out is not None:
            out.write_text(figures.model_dump_json(indent=2) + "\n", encoding="utf-8")
    except KuzniaError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(KuzniaError(f"cannot write {out}: {exc.strerror}")) from None
    _print_evaluation(
        figures, f"{paths:,} paths in {seconds:.1f} s ({seconds / paths:.3f} s a path)"
    )


@risk_app.command("robust")
def robust_command(
    plan: PlanArg,
    scenario: ScenarioOpt,
    risk: RiskOpt = None,
    sample_paths: Annotated[int, typer.Option(help="Paths of the robust LP (SAA).", min=1)] = 50,
    objective: Annotated[str, typer.Option(help="cvar (CVaR at 10 %) or expected.")] = "cvar",
    paths: PathsOpt = 1000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 2,
    cluster: ClusterOpt = None,
    out: OutOpt = None,
) -> None:
    """Find the robust plan over sampled paths and evaluate it beside the nominal plan.

    Example: kuznia risk robust plan.json -s national.json -r risk.json --sample-paths 50
    """
    from kuznia.risk import Objective, compare

    try:
        goal = Objective(objective)
    except ValueError:
        raise _fail(
            InvalidInput.single("objective", f"{objective!r} is not cvar or expected")
        ) from None
    try:
        data, disruption, nominal_seconds = _inputs(plan, scenario, risk)
        with _client(workers, cluster) as client, _Bar("paths") as bar:
            result = compare(
                data, disruption, seed=seed, paths=paths, sample_paths=sample_paths,
                objective=goal, nominal_seconds=nominal_seconds, client=client, progress=bar,
            )  # fmt: skip
        if out is not None:
            out.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    except KuzniaError as exc:
        raise _fail(exc) from None
    _print_evaluation(result.nominal, "nominal plan")
    _print_evaluation(
        result.robust,
        "robust plan"
        + (" (the nominal plan: the LP's did worse)" if result.robust_kept_nominal else ""),
    )
    console.print(
        f"robust LP {result.robust_seconds:.1f} s over {sample_paths} paths; "
        f"nominal plan {nominal_seconds:.1f} s"
    )


@risk_app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the risk file.")],
    scale: Annotated[str, typer.Option(help="small, national or stress.")] = "national",
    seed: Annotated[int, typer.Option(help="The demo world's seed.")] = 1,
) -> None:
    """Write a notional kuznia.risk/1 file for a demo world (classes by site longitude).

    Example: kuznia risk demo --scale national --seed 1 --out risk.json
    """
    from kuznia.demo import generate
    from kuznia.risk import dump_risk
    from kuznia.risk.demo import demo_risk

    if scale not in {"small", "national", "stress"}:
        raise _fail(InvalidInput.single("scale", f"{scale!r} is not small, national or stress"))
    out.write_bytes(dump_risk(demo_risk(generate(scale, seed))))  # type: ignore[arg-type]
    console.print(f"risk file written to {out}")


def _print_evaluation(e: Evaluation, title: str) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in ("", "planned", "P90", "P50", "P10", "mean"):
        table.add_column(column, justify="right")
    v = e.value
    table.add_row(
        "value", f"{e.planned_value:,.0f}", *(f"{x:,.0f}" for x in (v.p90, v.p50, v.p10, v.mean))
    )
    worst = sorted(e.capabilities.items(), key=lambda kv: kv[1].units.p90 - kv[1].planned_units)[:8]
    for cap, f in worst:
        u = f.units
        table.add_row(
            f"{cap} units",
            f"{f.planned_units:,.0f}",
            *(f"{x:,.0f}" for x in (u.p90, u.p50, u.p10, u.mean)),
        )
    console.print(table)
    console.print(
        f"CVaR at 10 % of value: {e.cvar10:,.0f}; "
        f"paths with a strike: {e.struck_paths:,} of {e.paths:,}"
    )
    console.print("P90 is the value reached in 90 % of paths (P90 <= P50 <= P10).")
    for s in e.sites[:5]:
        console.print(
            f"  site {s.site} in risk class {s.risk_class}: {s.expected_loss:,.0f} value at "
            f"stake per path, struck in {s.struck_share:.0%} of paths"
        )


# ----------------------------------------------------------------- the database's risk model


@risk_app.command("classes")
def classes_command(ctx: typer.Context) -> None:
    """List the database's risk classes (and how many sites each holds).

    Example: kuznia risk classes
    """
    from rich.table import Table

    from kuznia.cli.common import state
    from kuznia.services.access.policy import Viewer
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.resilience.classes import list_risk_classes

    with state(ctx).database().reading() as session:
        rows = list_risk_classes(session, Viewer.of(session, Actor.system()))
    table = Table(title="risk classes")
    for column in ("class", "name", "monthly probability", "capacity lost", "months out", "sites"):
        table.add_column(column)
    for r in rows:
        months = ", ".join(f"{d['months']}:{d['probability']:g}" for d in r["durations"])
        table.add_row(r["id"], r["name"], f"{r['monthly_probability']:g}",
                      f"{r['capacity_loss']:g}", months, str(r["sites"] or 0))  # fmt: skip
    console.print(table)


@risk_app.command("sites")
def sites_command(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option(help="Only the sites of this country.")] = None,
) -> None:
    """List the sites' risk classes (a secret field, seen like the site's location).

    Example: kuznia risk sites --country UA
    """
    from rich.table import Table

    from kuznia.cli.common import state
    from kuznia.services.access.policy import Viewer
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.resilience.reading import site_classes

    with state(ctx).database().reading() as session:
        # The operator at the terminal: the coordinator's rights, through the one rule.
        rows = site_classes(session, Viewer.of(session, Actor.system("cli")))
    shown = [r for r in rows if country is None or r["country"] == country.upper()]
    table = Table(title=f"sites' risk classes: {len(shown):,}")
    for column in ("site", "name", "country", "risk class"):
        table.add_column(column)
    for r in shown:
        table.add_row(r["site_id"], r["site_name"], r["country"], r["risk_class_id"])
    console.print(table)


@risk_app.command("set-class")
def set_class_command(
    ctx: typer.Context,
    class_id: Annotated[str, typer.Argument(help="The class id, e.g. front_line.")],
    probability: Annotated[float, typer.Option(help="Monthly probability a strike begins.")],
    durations: Annotated[str, typer.Option(help='Months out: "1:0.5, 2:0.3, 4:0.2".')],
    loss: Annotated[float, typer.Option(help="Share of capacity lost while out.")] = 1.0,
    name: Annotated[str, typer.Option(help="A readable name.")] = "",
) -> None:
    """Create or replace a risk class (as the coordinator).

    Example: kuznia risk set-class front_line --probability 0.04 --durations "1:0.5, 2:0.5"
    """
    from kuznia.cli.common import state
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.resilience.classes import parse_durations, put_risk_class

    fields = {"id": class_id, "name": name, "monthly_probability": probability,
              "capacity_loss": loss}  # fmt: skip
    try:
        fields["durations"] = parse_durations(durations)
        with state(ctx).database().unit_of_work(Actor.system("risk")) as uow:
            put_risk_class(uow, fields)
    except KuzniaError as exc:
        raise _fail(exc) from None
    console.print(f"risk class {class_id} saved")


@risk_app.command("site-class")
def site_class_command(
    ctx: typer.Context,
    site: Annotated[str, typer.Argument(help="The site id.")],
    risk_class: Annotated[
        str | None, typer.Argument(help="The class id; leave out to take the site out.")
    ] = None,
) -> None:
    """Put a site in a risk class (a secret field), or take it out.

    Example: kuznia risk site-class site-00003 front_line
    """
    from kuznia.cli.common import state
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.resilience.classes import set_site_class

    try:
        with state(ctx).database().unit_of_work(Actor.system("risk")) as uow:
            set_site_class(uow, site, risk_class)
    except KuzniaError as exc:
        raise _fail(exc) from None
    console.print(f"site {site}: {risk_class or 'no risk class'}")


@risk_app.command("load-demo")
def load_demo_command(
    ctx: typer.Context,
    scale: Annotated[str, typer.Option(help="The demo world loaded: small or national.")] = "small",
    seed: Annotated[int, typer.Option(help="Its seed.")] = 1,
) -> None:
    """Give the loaded demo world's sites the notional risk classes of kuznia.risk.demo.

    Example: kuznia risk load-demo --scale small --seed 1
    """
    from kuznia.cli.common import state
    from kuznia.demo import generate
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.resilience.inputs import load_demo_risk

    if scale not in {"small", "national", "stress"}:
        raise _fail(InvalidInput.single("scale", f"{scale!r} is not small, national or stress"))
    world = generate(scale, seed)  # type: ignore[arg-type]
    with state(ctx).database().unit_of_work(Actor.system("risk")) as uow:
        classed = load_demo_risk(uow, world)
    console.print(f"{classed} sites classed")


@risk_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the risk file.")],
) -> None:
    """Write the database's disruption model as a kuznia.risk/1 file (holds site classes:
    a secret; keep it where the site locations are kept).

    Example: kuznia risk export --out risk.json
    """
    from kuznia.cli.common import state
    from kuznia.risk import dump_risk
    from kuznia.services.resilience.inputs import risk_section

    with state(ctx).database().reading() as session:
        out.write_bytes(dump_risk(risk_section(session)))
    console.print(f"risk file written to {out}")
