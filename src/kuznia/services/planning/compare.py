"""Two plans side by side: the current one and a what-if, in figures a person compares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from kuznia.money import Money
from kuznia.scenario.plan import Plan, spend_by_pledge
from kuznia.services.planning.aggregates import cents, fx_of
from kuznia.services.planning.views import PlannedScenario


@dataclass(frozen=True, slots=True)
class PlanFigures:
    value: float
    baseline: float | None
    spend: Money
    pledged: Money
    delivered_units: int
    unmet_units: int
    unmet_needs: int
    status: str


@dataclass(frozen=True, slots=True)
class CapabilityDelta:
    name: str
    unit: str
    needed: int
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class PledgeDelta:
    label: str
    amount_before: Money | None
    amount_after: Money | None
    spent_before: Money
    spent_after: Money


@dataclass(frozen=True, slots=True)
class Comparison:
    before: PlanFigures
    after: PlanFigures
    capabilities: tuple[CapabilityDelta, ...]
    pledges: tuple[PledgeDelta, ...]


def figures(planned: PlannedScenario) -> PlanFigures:
    plan, scenario = planned.plan, planned.scenario
    fx, base = fx_of(scenario), scenario.base_currency
    pledged = sum(fx.to_base(Money(cents(g.amount), g.currency)).cents for g in scenario.pledges)
    return PlanFigures(
        value=plan.value,
        baseline=plan.baseline.value if plan.baseline else None,
        spend=Money(cents(plan.total_spend), base),
        pledged=Money(pledged, base),
        delivered_units=sum(d.units for d in plan.deliveries),
        unmet_units=sum(u.units for u in plan.unmet),
        unmet_needs=len(plan.unmet),
        status=plan.status.value,
    )


def _delivered(planned: PlannedScenario) -> dict[str, int]:
    capability = {r.id: r.capability for r in planned.scenario.requirements}
    out: dict[str, int] = defaultdict(int)
    for d in planned.plan.deliveries:
        out[capability[d.requirement]] += d.units
    return out


def _pledge_amounts(planned: PlannedScenario) -> dict[str, Money]:
    fx = fx_of(planned.scenario)
    return {g.id: fx.to_base(Money(cents(g.amount), g.currency)) for g in planned.scenario.pledges}


def _spent(plan: Plan, base: str) -> dict[str, Money]:
    return {k: Money(v, base) for k, v in spend_by_pledge(plan).items()}


def compare(
    before: PlannedScenario, after: PlannedScenario, pledge_labels: Mapping[str, str]
) -> Comparison:
    """Figures of both plans, delivered units per capability, and the amount and spending of
    each pledge in ``pledge_labels`` (the pledges the viewer may see), in base currency."""
    base = after.scenario.base_currency
    needed: dict[str, int] = defaultdict(int)
    for r in after.scenario.requirements:
        needed[r.capability] += r.quantity
    got_before, got_after = _delivered(before), _delivered(after)
    capabilities = tuple(
        CapabilityDelta(c.name, c.unit, needed[c.id], got_before[c.id], got_after[c.id])
        for c in after.scenario.capabilities
        if needed[c.id]
    )
    amounts_before, amounts_after = _pledge_amounts(before), _pledge_amounts(after)
    spent_before, spent_after = _spent(before.plan, base), _spent(after.plan, base)
    zero = Money(0, base)
    pledges = tuple(
        PledgeDelta(
            label, amounts_before.get(pid), amounts_after.get(pid),
            spent_before.get(pid, zero), spent_after.get(pid, zero),
        )
        for pid, label in sorted(pledge_labels.items())
    )  # fmt: skip
    return Comparison(figures(before), figures(after), capabilities, pledges)
