"""Needs against declared capacity against pledged money, per capability: the picture the
quick start prints and the overview page charts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import NotFound
from kuznia.money import FxRates, Money
from kuznia.scenario.capacity import units_in_horizon
from kuznia.services.registries.lifecycle import PLANNED_PLEDGES, PLANNED_PROPOSALS


def line_capacity_in_horizon(p: db.Proposal, horizon: int) -> int:
    """Units the line ``p`` declares within the planning horizon (ramp-up included)."""
    return units_in_horizon(p.monthly_capacity, p.lead_time_months, p.ramp_up_months, horizon)


@dataclass(frozen=True, slots=True)
class CapabilityLine:
    capability_id: str
    name: str
    unit: str
    category: str | None
    needed_units: int
    capacity_units: int
    capacity_value: Money
    need_cost_estimate: Money
    earmarked_pledges: Money


@dataclass(frozen=True, slots=True)
class Overview:
    base_currency: str
    horizon_months: int
    start_month: str
    lines: tuple[CapabilityLine, ...]
    pledged_total: Money
    capacity_value_total: Money

    @property
    def funded_share(self) -> Decimal:
        if self.capacity_value_total.cents == 0:
            return Decimal(0)
        return Decimal(self.pledged_total.cents) / Decimal(self.capacity_value_total.cents)


def fx_table(session: Session) -> tuple[db.PlanningSettings, FxRates]:
    frame = session.get(db.PlanningSettings, 1)
    if frame is None:
        raise NotFound("no planning frame yet: import a scenario or load the demo first")
    rates = {r.currency: r.rate for r in session.scalars(select(db.FxRate))}
    rates.pop(frame.base_currency, None)
    return frame, FxRates.parse(frame.base_currency, rates)


def _units_needed(session: Session) -> dict[str, int]:
    """Units needed per capability, over every requirement."""
    needed: dict[str, int] = defaultdict(int)
    for cap_id, qty in session.execute(
        select(db.Requirement.capability_id, db.Requirement.quantity)
    ):
        needed[cap_id] += qty
    return needed


def _pledged(session: Session, fx: FxRates) -> tuple[int, dict[str, int]]:
    """Confirmed money in base-currency cents: in all, and earmarked to one capability alone."""
    earmarked: dict[str, int] = defaultdict(int)
    pledged = 0
    confirmed = select(db.Pledge).where(db.Pledge.status.in_(PLANNED_PLEDGES))
    for g in session.scalars(confirmed):
        cents = fx.to_base(Money(g.amount_cents, g.currency)).cents
        pledged += cents
        if len(g.earmark_capabilities) == 1:
            earmarked[g.earmark_capabilities[0]] += cents
    return pledged, earmarked


def capability_overview(session: Session) -> Overview:
    """Per capability: units needed, units the vetted lines declare within the horizon, what that
    capacity costs in base currency, what meeting the need would cost at the mean declared unit
    cost, and money earmarked to the capability alone. Pledges are confirmed ones."""
    frame, fx = fx_table(session)
    base = frame.base_currency
    needed = _units_needed(session)
    units: dict[str, int] = defaultdict(int)
    value: dict[str, int] = defaultdict(int)
    vetted = select(db.Proposal).where(db.Proposal.status.in_(PLANNED_PROPOSALS))
    for p in session.scalars(vetted):
        cap_units = line_capacity_in_horizon(p, frame.horizon_months)
        units[p.capability_id] += cap_units
        value[p.capability_id] += fx.to_base(Money(p.unit_cost_cents, p.currency)).cents * cap_units
    pledged, earmarked = _pledged(session, fx)
    lines = []
    for c in session.scalars(
        select(db.Capability).order_by(db.Capability.category, db.Capability.id)
    ):
        mean_cost = value[c.id] // units[c.id] if units[c.id] else 0
        lines.append(
            CapabilityLine(
                c.id,
                c.name,
                c.unit,
                c.category,
                needed[c.id],
                units[c.id],
                Money(value[c.id], base),
                Money(mean_cost * needed[c.id], base),
                Money(earmarked[c.id], base),
            )
        )
    return Overview(
        base,
        frame.horizon_months,
        frame.start_month,
        tuple(lines),
        Money(pledged, base),
        Money(sum(value.values()), base),
    )
