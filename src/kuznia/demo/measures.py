"""Exact measures of a scenario the demo's proportions are stated in (base currency, Money).

- declared capacity value: every line's units inside the horizon (``cap(l, m)`` of the
  allocation contract) times its unit cost converted to base (``to_base``, per unit);
- pledged value: pledge amounts in base, for pledges whose window meets the horizon;
- demand value: each need's quantity times the median base unit cost of its capability's lines;
- the overview by capability (needs against declared capacity), for tables such as the README's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median_low

from kuznia.money import FxRates, Money, round_cents
from kuznia.months import add_months, month_ordinal
from kuznia.scenario.capacity import units_in_horizon
from kuznia.scenario.model import Proposal, Scenario


def fx_of(s: Scenario) -> FxRates:
    return FxRates.parse(s.base_currency, s.fx_rates)


def capacity_units(p: Proposal, horizon: int) -> int:
    """Units line ``p`` can make in months ``0 .. horizon-1`` (ramp-up included)."""
    return units_in_horizon(p.monthly_capacity, p.lead_time_months, p.ramp_up_months, horizon)


def unit_cost_base(p: Proposal, fx: FxRates) -> Money:
    return fx.to_base(Money(round_cents(p.unit_cost), p.currency))


def capacity_value_by_capability(s: Scenario) -> dict[str, Money]:
    fx = fx_of(s)
    out: dict[str, Money] = defaultdict(lambda: Money.zero(s.base_currency))
    for p in s.proposals:
        out[p.capability] += unit_cost_base(p, fx) * capacity_units(p, s.horizon_months)
    return dict(out)


def declared_capacity_value(s: Scenario) -> Money:
    return sum(capacity_value_by_capability(s).values(), Money.zero(s.base_currency))


def pledged_value(s: Scenario) -> Money:
    """Pledges whose validity window overlaps the horizon, in base currency."""
    fx = fx_of(s)
    first = month_ordinal(s.start_month)
    last = month_ordinal(add_months(s.start_month, s.horizon_months - 1))
    usable = (
        g
        for g in s.pledges
        if month_ordinal(g.valid_from) <= last and month_ordinal(g.valid_to) >= first
    )
    return sum(
        (fx.to_base(Money(round_cents(g.amount), g.currency)) for g in usable),
        Money.zero(s.base_currency),
    )


def demand_value(s: Scenario) -> Money:
    """Needs at the median base unit cost of their capability's lines (unpriced needs count 0)."""
    fx = fx_of(s)
    costs: dict[str, list[int]] = defaultdict(list)
    for p in s.proposals:
        costs[p.capability].append(unit_cost_base(p, fx).cents)
    total = sum(
        median_low(costs[r.capability]) * r.quantity
        for r in s.requirements
        if r.capability in costs
    )
    return Money(total, s.base_currency)


@dataclass(frozen=True, slots=True)
class CapabilityOverview:
    """Needs against declared capacity for one capability (units and base-currency value)."""

    capability: str
    lines: int
    needed_units: int
    capacity_units: int
    capacity_value: Money


def capability_overview(s: Scenario) -> list[CapabilityOverview]:
    """One row per capability, in catalogue order: what is needed, what could be made."""
    needed: Counter[str] = Counter()
    for r in s.requirements:
        needed[r.capability] += r.quantity
    lines: Counter[str] = Counter()
    units: Counter[str] = Counter()
    for p in s.proposals:
        lines[p.capability] += 1
        units[p.capability] += capacity_units(p, s.horizon_months)
    values = capacity_value_by_capability(s)
    zero = Money.zero(s.base_currency)
    return [
        CapabilityOverview(c.id, lines[c.id], needed[c.id], units[c.id], values.get(c.id, zero))
        for c in s.capabilities
    ]
