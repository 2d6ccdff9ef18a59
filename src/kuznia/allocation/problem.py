"""The planning problem as immutable numpy arrays, derived once from a scenario.

Indices: lines ``l`` (proposals, scenario order), months ``m`` (0 .. T-1), requirements ``r``,
pledges ``p``, capabilities ``c``. Money is integer cents of the base currency here (exact);
the formulation alone turns it into floats for the solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index, month_range
from kuznia.scenario.model import Proposal, Scenario

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything the optimizer and the greedy baseline read, as read-only arrays."""

    months: tuple[str, ...]
    capability_ids: tuple[str, ...]
    line_ids: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    pledge_ids: tuple[str, ...]
    line_capability: IntArray  # (L,) capability index of each line
    unit_cost: IntArray  # (L,) to_base(unit_cost) in cents
    setup_cost: IntArray  # (L,) to_base(setup_cost) in cents
    ship_lag: IntArray  # (L,)
    min_lot: IntArray  # (L,) min_total_units
    capacity: IntArray  # (L, T) cap(l, m)
    req_capability: IntArray  # (R,)
    quantity: IntArray  # (R,)
    due: IntArray  # (R,) due month index (may lie outside the horizon)
    priority: FloatArray  # (R,)
    value: FloatArray  # (R, T) value of one unit delivered to r in month m
    budget: IntArray  # (P,) to_base(amount) in cents
    valid_from: IntArray  # (P,) month index, may be negative or >= T
    valid_to: IntArray  # (P,)
    valid: BoolArray  # (P, T) pledge may pay in month m
    eligible: BoolArray  # (L, P) pledge may pay for line l (earmarks)

    @property
    def horizon(self) -> int:
        return len(self.months)

    @property
    def fundable(self) -> BoolArray:
        """(L, T): some pledge is both eligible for l and valid in m."""
        return (self.eligible.astype(np.int32) @ self.valid.astype(np.int32)) > 0

    @property
    def useful(self) -> BoolArray:
        """(L, T): production of l in m could count: capacity, arrival inside the horizon,
        a requirement of the capability, and a pledge allowed to pay."""
        months = np.arange(self.horizon)
        in_time = months[None, :] + self.ship_lag[:, None] < self.horizon
        wanted = np.isin(self.line_capability, self.req_capability)
        return (self.capacity > 0) & in_time & wanted[:, None] & self.fundable


def unique_rows(a: BoolArray) -> tuple[BoolArray, IntArray, IntArray]:
    """``np.unique(a, axis=0, return_index=True, return_inverse=True)`` for a boolean matrix
    (same order: rows packed into bytes compare as the rows do), several times faster."""
    n, width = a.shape
    if n == 0 or width == 0:
        first = np.zeros(min(n, 1), dtype=np.int64)
        return a[:1], first, np.zeros(n, dtype=np.int64)
    packed = np.ascontiguousarray(np.packbits(a, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return a[first], first.astype(np.int64), inverse.ravel().astype(np.int64)


def unique_pairs(a: IntArray, b: IntArray) -> tuple[IntArray, IntArray]:
    """Distinct ``(a, b)`` pairs of non-negative integers, sorted, and each pair's index."""
    if not len(a):
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = int(b.max()) + 1
    keys, inverse = np.unique(a * width + b, return_inverse=True)
    return np.stack([keys // width, keys % width], axis=1), inverse.ravel().astype(np.int64)


def capacity_matrix(proposals: tuple[Proposal, ...], horizon: int) -> IntArray:
    """``cap(l,m) = floor(monthly_capacity * min(1, (m - lead + 1) / ramp_up))`` for m >= lead."""
    if not proposals:
        return np.zeros((0, horizon), dtype=np.int64)
    cap = np.array([p.monthly_capacity for p in proposals], dtype=np.int64)[:, None]
    lead = np.array([p.lead_time_months for p in proposals], dtype=np.int64)[:, None]
    ramp = np.array([p.ramp_up_months for p in proposals], dtype=np.int64)[:, None]
    months = np.arange(horizon, dtype=np.int64)[None, :]
    steps = np.clip(months - lead + 1, 0, None)
    # integer floor of cap * min(ramp, steps) / ramp: exact, no float rounding
    return np.where(months >= lead, cap * np.minimum(steps, ramp) // ramp, 0)


def _eligibility(s: Scenario) -> BoolArray:
    """(L, P): each non-empty earmark list contains the line's capability/site/company country,
    and the pledge's purposes include production (rule 8; every ``/1`` pledge's do)."""
    out = np.ones((len(s.proposals), len(s.pledges)), dtype=bool)
    out[:, [not g.for_production for g in s.pledges]] = False
    caps = np.array([ln.capability for ln in s.proposals], dtype=object)
    sites = np.array([ln.site_country for ln in s.proposals], dtype=object)
    firms = np.array([ln.company_country for ln in s.proposals], dtype=object)
    for p, g in enumerate(s.pledges):
        for listed, of_line in (
            (g.capabilities, caps),
            (g.site_countries, sites),
            (g.company_countries, firms),
        ):
            if listed:
                out[:, p] &= np.isin(of_line, list(listed))
    return out


def _cents(amounts: list[Money]) -> IntArray:
    return np.array([a.cents for a in amounts], dtype=np.int64)


def build_problem(s: Scenario) -> Problem:
    """Derive the arrays of ALLOCATION.md from a (checked) scenario."""
    horizon = s.horizon_months
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    cap_index = {c.id: i for i, c in enumerate(s.capabilities)}
    lines, reqs, pledges = s.proposals, s.requirements, s.pledges

    def base(amount: Decimal, currency: str) -> Money:
        return fx.to_base(Money(round_cents(amount), currency))

    due = np.array([month_index(s.start_month, r.due_month) for r in reqs], dtype=np.int64)
    priority = np.array([r.priority for r in reqs], dtype=np.float64)
    late = np.clip(np.arange(horizon)[None, :] - due[:, None], 0, None)
    value = priority[:, None] * np.power(s.lateness_decay, late.astype(np.float64))
    v_from = np.array([month_index(s.start_month, g.valid_from) for g in pledges], dtype=np.int64)
    v_to = np.array([month_index(s.start_month, g.valid_to) for g in pledges], dtype=np.int64)
    months = np.arange(horizon)[None, :]
    return Problem(
        months=tuple(month_range(s.start_month, horizon)),
        capability_ids=tuple(c.id for c in s.capabilities),
        line_ids=tuple(ln.id for ln in lines),
        requirement_ids=tuple(r.id for r in reqs),
        pledge_ids=tuple(g.id for g in pledges),
        line_capability=np.array([cap_index[ln.capability] for ln in lines], dtype=np.int64),
        unit_cost=_cents([base(ln.unit_cost, ln.currency) for ln in lines]),
        setup_cost=_cents([base(ln.setup_cost, ln.currency) for ln in lines]),
        ship_lag=np.array([ln.ship_lag_months for ln in lines], dtype=np.int64),
        min_lot=np.array([ln.min_total_units for ln in lines], dtype=np.int64),
        capacity=capacity_matrix(lines, horizon),
        req_capability=np.array([cap_index[r.capability] for r in reqs], dtype=np.int64),
        quantity=np.array([r.quantity for r in reqs], dtype=np.int64),
        due=due,
        priority=priority,
        value=value.reshape(len(reqs), horizon),
        budget=_cents([base(g.amount, g.currency) for g in pledges]),
        valid_from=v_from,
        valid_to=v_to,
        valid=((months >= v_from[:, None]) & (months <= v_to[:, None])).reshape(
            len(pledges), horizon
        ),
        eligible=_eligibility(s),
    )


def restricts(new: Problem, old: Problem) -> bool:
    """Every valid plan of ``new`` is a valid plan of ``old`` worth at least as much there: the
    same records, and nothing in ``new`` allows more (budgets, eligibility, windows, capacity,
    quantities, values no larger; costs, lots, shipping lags and first valid months no smaller).
    Then any upper bound on ``old``'s optimum bounds ``new``'s: a what-if that only takes
    something away (a pledge cut, a new earmark) inherits the earlier plan's bound."""
    ids = ("months", "capability_ids", "line_ids", "requirement_ids", "pledge_ids")
    if any(getattr(new, name) != getattr(old, name) for name in ids):
        return False
    same = ("line_capability", "req_capability")
    at_most = ("capacity", "quantity", "value", "budget", "valid_to")
    at_least = ("unit_cost", "setup_cost", "ship_lag", "min_lot", "valid_from")
    within = ("valid", "eligible")
    return (
        all(np.array_equal(getattr(new, f), getattr(old, f)) for f in same)
        and all(bool(np.all(getattr(new, f) <= getattr(old, f))) for f in at_most)
        and all(bool(np.all(getattr(new, f) >= getattr(old, f))) for f in at_least)
        and all(bool(np.all(getattr(new, f) <= getattr(old, f))) for f in within)
    )
