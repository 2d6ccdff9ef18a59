"""Where capacity is missing, from a stored plan and its scenario (pure: no database).

Per capability, and per site country and kind of line within it:

* **declared monthly capacity**: the ``monthly_capacity`` of the scenario's proposals (the
  vetted lines); **built monthly capacity**: that of the projects the plan builds;
* **funded units**: what the plan produces on those lines over the horizon;
* **unmet units**: the plan's ``unmet`` rows of the capability's needs;
* **value of one more unit of monthly capacity**: the largest ``capacity_value`` (plan/2) of
  the capability's lines (where one more unit would be put first); None for a plan/1;
* **gap by month**: units of the capability's needs due by month m and not delivered by m
  (deliveries counted in their arrival month), the shortfall a new line would close.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kuznia.months import month_index, month_range
from kuznia.scenario.kinds import ProposalKind, kind_of_proposal
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One line of the plan (a proposal, or a project it builds) as the aggregates count it."""

    id: str
    company: str
    capability: str
    site_country: str
    kind: ProposalKind
    monthly_capacity: int
    built: bool


@dataclass(frozen=True, slots=True)
class CellGap:
    """The lines of one capability in one site country and of one kind."""

    capability: str
    site_country: str
    kind: ProposalKind | None  # None: the cells folded into one (investment.view)
    lines: int
    companies: int
    declared_monthly: int
    built_monthly: int
    funded_units: int
    value_per_unit: float | None


@dataclass(frozen=True, slots=True)
class CapabilityGap:
    capability: str
    name: str
    unit: str
    needed_units: int
    declared_monthly: int
    built_monthly: int
    funded_units: int
    unmet_units: int
    value_per_unit: float | None
    gap_by_month: tuple[int, ...]
    cells: tuple[CellGap, ...]


@dataclass(frozen=True, slots=True)
class Gaps:
    months: tuple[str, ...]
    capabilities: tuple[CapabilityGap, ...]


def plan_lines(scenario: Scenario, plan: Plan) -> list[LineFacts]:
    """The scenario's proposals and the projects the plan builds, as lines."""
    built = {b.project for b in plan.builds or ()}
    lines = [
        LineFacts(p.id, p.company, p.capability, p.site_country, kind_of_proposal(p),
                  p.monthly_capacity, built=False)
        for p in scenario.proposals
    ]  # fmt: skip
    lines += [
        LineFacts(j.id, j.company, j.capability, j.site_country, j.kind, j.monthly_capacity,
                  built=True)
        for j in scenario.projects
        if j.id in built
    ]  # fmt: skip
    return lines


def _best(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _cells(
    lines: list[LineFacts], produced: Mapping[str, int], value: Mapping[str, float] | None
) -> dict[str, list[CellGap]]:
    groups: dict[tuple[str, str, ProposalKind], list[LineFacts]] = defaultdict(list)
    for line in lines:
        groups[(line.capability, line.site_country, line.kind)].append(line)
    out: dict[str, list[CellGap]] = defaultdict(list)
    for (capability, country, kind), members in sorted(groups.items()):
        out[capability].append(
            CellGap(
                capability, country, kind, len(members), len({m.company for m in members}),
                sum(m.monthly_capacity for m in members if not m.built),
                sum(m.monthly_capacity for m in members if m.built),
                sum(produced.get(m.id, 0) for m in members),
                None if value is None else _best(value.get(m.id, 0.0) for m in members),
            )
        )  # fmt: skip
    return out


def gap_by_month(scenario: Scenario, plan: Plan) -> dict[str, tuple[int, ...]]:
    """capability -> per month, units due by then minus units delivered by then (>= 0)."""
    n = scenario.horizon_months
    start = scenario.start_month
    due: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    met: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    needs = {r.id: r for r in scenario.requirements}
    for r in scenario.requirements:
        due[r.capability][min(max(month_index(start, r.due_month), 0), n - 1)] += r.quantity
    for d in plan.deliveries:
        at = max(month_index(start, d.month), 0)
        if at < n:
            met[needs[d.requirement].capability][at] += d.units
    out = {}
    for capability, owed in due.items():
        total_due = total_met = 0
        row = []
        for m in range(n):
            total_due += owed[m]
            total_met += met[capability][m]
            row.append(max(0, total_due - total_met))
        out[capability] = tuple(row)
    return out


def capacity_gaps(scenario: Scenario, plan: Plan) -> Gaps:
    """Every capability with a need or a line (module docstring), largest unmet need first."""
    lines = plan_lines(scenario, plan)
    produced: dict[str, int] = defaultdict(int)
    for row in plan.production:
        produced[row.proposal] += row.units
    value = plan.capacity_value.lines if plan.capacity_value is not None else None
    cells = _cells(lines, produced, value)
    needed: dict[str, int] = defaultdict(int)
    for r in scenario.requirements:
        needed[r.capability] += r.quantity
    unmet: dict[str, int] = defaultdict(int)
    capability_of = {r.id: r.capability for r in scenario.requirements}
    for u in plan.unmet:
        unmet[capability_of[u.requirement]] += u.units
    gaps = gap_by_month(scenario, plan)
    flat = (0,) * scenario.horizon_months
    rows = [
        CapabilityGap(
            c.id, c.name, c.unit, needed[c.id],
            sum(x.declared_monthly for x in cells[c.id]),
            sum(x.built_monthly for x in cells[c.id]),
            sum(x.funded_units for x in cells[c.id]), unmet[c.id],
            None if value is None else _best(x.value_per_unit for x in cells[c.id]),
            gaps.get(c.id, flat), tuple(cells[c.id]),
        )
        for c in scenario.capabilities
        if needed[c.id] or cells[c.id]
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.unmet_units, r.capability))
    return Gaps(tuple(month_range(scenario.start_month, scenario.horizon_months)), tuple(rows))
