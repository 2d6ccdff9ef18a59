"""What a capacity project adds to the plan, per million of capex (pure: no database).

The estimate, stated once (every path, page and command shows these numbers):

* a project the plan **builds** adds the value of what the plan delivers from it (each unit
  ``priority * lateness_decay ** months late``, as the plan's own value counts it);
* a project **not built** would add ``v * u``: ``u`` the units of capacity it would have inside
  the horizon, built from its start (its first possible month ``max(earliest_start,
  start_month)`` unless told), ``cap(j, m)`` summed over the months m whose output still
  arrives inside the horizon (``m + ship_lag < horizon``); ``v`` the value of one more unit of
  capacity for one month on its capability: the largest ``capacity_value`` of the capability's
  lines divided by that line's capacity-months (its ramp-up shares summed over the horizon,
  the weights ``capacity_value`` sums its duals with). Minus nothing else: not the capex, not
  the other lines it would displace. A capability with no line at all is valued by its unmet
  needs instead: their priorities, highest first, over at most ``u`` units.

Ranked by value per million of capex (``to_base(capex)``), highest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from kuznia.allocation.capacity_value import ramp_share
from kuznia.allocation.projects import capacity_if_built
from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index
from kuznia.scenario.model import Project, Scenario
from kuznia.scenario.plan import Plan, UnbuiltReason


class ValueBasis(StrEnum):
    DELIVERED = "delivered"  # built: the value of its deliveries in the plan
    CAPACITY_VALUE = "capacity_value"  # not built: v * u from its capability's lines
    UNMET_NEED = "unmet_need"  # not built, no line of its capability: the unmet needs' priority
    NONE = "none"  # a plan/1, or nothing it could add


@dataclass(frozen=True, slots=True)
class ProjectValue:
    project: str
    company: str
    company_country: str
    site_country: str
    capability: str
    kind: str
    capex_cents: int  # to_base(capex)
    built_from: str | None
    unbuilt_reason: UnbuiltReason | None
    units: int  # capacity inside the horizon, from the start it is valued at
    value: float
    basis: ValueBasis

    @property
    def value_per_million(self) -> float:
        return self.value * 1_000_000 * 100 / self.capex_cents if self.capex_cents else 0.0


@dataclass(frozen=True, slots=True)
class Valuation:
    """What one plan says about capacity, ready to value any project against it."""

    scenario: Scenario
    plan: Plan
    unit_month: dict[str, float]  # capability -> v (capabilities with a line)
    unmet_priorities: dict[str, list[tuple[float, int]]]  # capability -> (priority, units)

    @classmethod
    def of(cls, scenario: Scenario, plan: Plan) -> Valuation:
        return cls(scenario, plan, _unit_month_values(scenario, plan), _unmet(scenario, plan))

    def units(self, project: Project, start: int) -> int:
        """``u``: capacity built from month index ``start`` whose output arrives in time."""
        horizon = self.scenario.horizon_months
        if start >= horizon:
            return 0
        cap = capacity_if_built(project, start, horizon)
        arrives = np.arange(horizon) + project.ship_lag_months < horizon
        return int(cap[arrives].sum())

    def first_start(self, project: Project) -> int:
        return max(month_index(self.scenario.start_month, project.earliest_start), 0)

    def estimate(self, project: Project, start: int | None = None) -> tuple[int, float, ValueBasis]:
        """(u, v * u, basis) of the project not built, built from ``start`` (index)."""
        units = self.units(project, self.first_start(project) if start is None else start)
        if self.plan.capacity_value is None or units == 0:
            return units, 0.0, ValueBasis.NONE
        if project.capability in self.unit_month:
            return units, self.unit_month[project.capability] * units, ValueBasis.CAPACITY_VALUE
        value, left = 0.0, units
        for priority, owed in self.unmet_priorities.get(project.capability, []):
            taken = min(left, owed)
            value, left = value + priority * taken, left - taken
        return units, value, ValueBasis.UNMET_NEED if value else ValueBasis.NONE


def _unit_month_values(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """capability -> the largest capacity_value / capacity-months of its lines."""
    if plan.capacity_value is None:
        return {}
    values = plan.capacity_value.lines
    starts = {
        b.project: month_index(scenario.start_month, b.start_month) for b in plan.builds or ()
    }
    lines = [(p.id, p.capability, p.lead_time_months, p.ramp_up_months) for p in scenario.proposals]
    lines += [
        (j.id, j.capability, starts[j.id] + j.build_months, j.ramp_up_months)
        for j in scenario.projects
        if j.id in starts
    ]
    if not lines:
        return {}
    ids, capabilities, lead, ramp = zip(*lines, strict=True)
    months = ramp_share(np.array(lead, np.int64), np.array(ramp, np.int64),
                        scenario.horizon_months).sum(axis=1)  # fmt: skip
    out: dict[str, float] = {}
    for line, capability, weight in zip(ids, capabilities, months, strict=True):
        per = values.get(line, 0.0) / weight if weight > 0 else 0.0
        out[capability] = max(out.get(capability, 0.0), per)
    return out


def _unmet(scenario: Scenario, plan: Plan) -> dict[str, list[tuple[float, int]]]:
    needs = {r.id: r for r in scenario.requirements}
    out: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for u in plan.unmet:
        r = needs[u.requirement]
        out[r.capability].append((r.priority, u.units))
    return {c: sorted(rows, reverse=True) for c, rows in out.items()}


def delivered_values(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """line -> the value of what the plan delivers from it, as the plan's value counts it."""
    needs = {r.id: r for r in scenario.requirements}
    value: dict[str, float] = defaultdict(float)
    for d in plan.deliveries:
        r = needs[d.requirement]
        late = max(0, month_index(r.due_month, d.month))
        value[d.proposal] += d.units * r.priority * scenario.lateness_decay**late
    return value


def project_values(scenario: Scenario, plan: Plan) -> list[ProjectValue]:
    """Every project of the scenario, valued (module docstring), best per million first."""
    valuation = Valuation.of(scenario, plan)
    fx = FxRates.parse(scenario.base_currency, dict(scenario.fx_rates))
    built = {b.project: b.start_month for b in plan.builds or ()}
    reasons = {u.project: u.reason for u in plan.unbuilt or ()}
    delivered = delivered_values(scenario, plan) if built else {}
    rows = []
    for j in scenario.projects:
        capex = fx.to_base(Money(round_cents(j.capex), j.currency)).cents
        if j.id in built:
            start = month_index(scenario.start_month, built[j.id])
            units = valuation.units(j, start)
            value, basis = delivered.get(j.id, 0.0), ValueBasis.DELIVERED
        else:
            units, value, basis = valuation.estimate(j)
        rows.append(
            ProjectValue(
                j.id, j.company, j.company_country, j.site_country, j.capability, j.kind.value,
                capex, built.get(j.id), reasons.get(j.id), units, value, basis,
            )
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.value_per_million, r.project))
    return rows
