"""Charts and tables of the plan and what-if pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from kuznia.months import month_index, month_range
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import BindingLimit, Plan, UnmetReason
from kuznia.services.planning.compare import Comparison
from kuznia.web.charts import PALETTE, Chart, Series, column_chart, hbar_chart
from kuznia.web.navigation import N_
from kuznia.web.templating import month_parts, number, percent

Gettext = Callable[[str], str]

STATUS_LABELS = {
    "optimal": N_("optimal"),
    "feasible": N_("feasible"),
    "infeasible": N_("infeasible"),
    "error": N_("error"),
}

REASONS = {
    UnmetReason.NO_CAPACITY: N_("No production line offers this capability."),
    UnmetReason.TOO_LATE: N_("No line of this capability can deliver within the horizon."),
    UnmetReason.NO_ELIGIBLE_FUNDING: N_(
        "Lines could deliver in time, but no pledge may pay for them in those months."
    ),
    UnmetReason.INSUFFICIENT_BUDGET: N_(
        "The money that may pay for it is spent on needs worth more."
    ),
    UnmetReason.INSUFFICIENT_CAPACITY: N_("The lines that could make it are fully booked."),
}


LIMITS = {
    BindingLimit.NO_PROPOSAL: N_("A proposal for this capability is needed."),
    BindingLimit.HORIZON: N_("Every line delivers too late: earlier lines are needed."),
    BindingLimit.EARMARKS: N_("Money is left in pledges whose earmarks exclude these lines."),
    BindingLimit.WINDOWS: N_("Money is left in pledges not valid in the months these lines make."),
    BindingLimit.BUDGET: N_("Every pledge that may pay for these lines is spent."),
    BindingLimit.CAPACITY: N_("Every line that can deliver in time is full."),
}


@dataclass(frozen=True, slots=True)
class UnmetLine:
    requirement_id: str
    capability: str
    due_month: str
    units: int
    needed: int
    reason: str
    limit: str = ""
    """What would change it (the plan's binding limit), in the reader's language."""
    extra_money: float | None = None
    """Base currency an eligible pledge would need to deliver the rest, given the plan."""
    extra_capacity: int | None = None
    priority: float | None = None
    value_per_million: float | None = None
    """The need's value points per million spent on its capability's cheapest line."""


def unmet_lines(scenario: Scenario, plan: Plan, _: Gettext) -> list[UnmetLine]:
    requirements = {r.id: r for r in scenario.requirements}
    names = {c.id: c.name for c in scenario.capabilities}
    lines = []
    for row in plan.unmet:
        r = requirements[row.requirement]
        name = names.get(r.capability, r.capability)
        reason = _(REASONS[row.reason])
        action, weight = row.action, plan.priorities.get(r.id)
        lines.append(
            UnmetLine(
                r.id, name, r.due_month, row.units, r.quantity, reason,
                limit=_(LIMITS[action.limit]) if action else "",
                extra_money=float(action.extra_money) if action and action.extra_money else None,
                extra_capacity=action.extra_capacity if action else None,
                priority=r.priority,
                value_per_million=weight.value_per_million if weight else None,
            )
        )  # fmt: skip
    return sorted(lines, key=lambda u: (u.due_month, u.requirement_id))


def value_chart(plan: Plan, _: Gettext, locale: str) -> Chart:
    baseline = plan.baseline.value if plan.baseline else None
    return hbar_chart(
        "value",
        _("Value of the plan against the greedy baseline"),
        _("Value points: units delivered times the need's priority, less for lateness"),
        [_("Optimised plan"), _("Greedy baseline")],
        [Series(_("Value"), (plan.value, baseline), PALETTE[0])],
        lambda v: number(v, locale),
    )


def marginal_chart(
    plan: Plan, labels: Mapping[str, str], currency: str, _: Gettext, locale: str, top: int = 20
) -> Chart:
    """One bar per pledge in ``labels`` (those the viewer may see), the ``top`` highest."""
    values = plan.marginal_value.pledges
    ranked = sorted((p for p in values if p in labels), key=lambda p: (-values[p], p))
    shown = ranked[:top]
    chart = hbar_chart(
        "marginal",
        _("What one more million would buy, per pledge"),
        _("Value points gained per additional 1,000,000 %(currency)s on the pledge")
        % {"currency": currency},
        [labels[p] for p in shown],
        [Series(_("Marginal value"), tuple(values[p] for p in shown), PALETTE[2])],
        lambda v: number(v, locale, 1),
    )
    if len(ranked) > top:
        note = _("The %(top)s pledges where more money would do the most, of %(count)s.")
        return replace(chart, note=note % {"top": top, "count": len(ranked)})
    return chart


def production_chart(
    scenario: Scenario, plan: Plan, capability_id: str, _: Gettext, locale: str
) -> Chart:
    """Units of one capability produced, delivered and falling due, month by month."""
    months = month_range(scenario.start_month, scenario.horizon_months)
    line_cap = scenario.line_capabilities()
    req_cap = {r.id: r.capability for r in scenario.requirements}
    series: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(months))

    def add(kind: str, month: str, units: int) -> None:
        at = month_index(scenario.start_month, month)
        if 0 <= at < len(months):
            series[kind][at] += units

    for p in plan.production:
        if line_cap[p.proposal] == capability_id:
            add("produced", p.month, p.units)
    for d in plan.deliveries:
        if req_cap[d.requirement] == capability_id:
            add("delivered", d.month, d.units)
    for r in scenario.requirements:
        if r.capability == capability_id:
            add("due", r.due_month, r.quantity)
    unit = next((c.unit for c in scenario.capabilities if c.id == capability_id), "")
    return column_chart(
        "production",
        _("Production and deliveries over time"),
        _("Units (%(unit)s) per month") % {"unit": unit},
        [month_parts(m, locale) for m in months],
        [
            Series(_("Needed (falling due)"), tuple(series["due"]), PALETTE[6]),
            Series(_("Produced"), tuple(series["produced"]), PALETTE[0]),
            Series(_("Delivered"), tuple(series["delivered"]), PALETTE[2]),
        ],
        lambda v: number(v, locale),
    )


def what_if_chart(result: Comparison, _: Gettext, locale: str) -> Chart:
    """Units delivered per capability as a share of the need, current plan against what-if."""
    rows = result.capabilities
    return hbar_chart(
        "what-if-chart",
        _("Needs met by capability: current plan and what-if"),
        _("Units delivered as a share of the units needed (%)"),
        [r.name for r in rows],
        [
            Series(_("Current plan"), tuple(r.before / r.needed for r in rows), PALETTE[6]),
            Series(_("What-if"), tuple(r.after / r.needed for r in rows), PALETTE[0]),
        ],
        lambda v: percent(v, locale),
    )
