"""Capacity projects as arrays: what each could become, when it could start, who may pay it.

ALLOCATION.md "Capacity projects": a project built from month ``b`` (capex paid in full in b)
is a line with ``lead = b + build_months`` (``scenario.lines.line_of``). A pledge may pay a
project's capex when its purposes include investment, every non-empty earmark list
(capabilities, site and company countries, projects) holds the project
(``scenario.eligibility.may_pay_capex``), and it is valid in month b.

**Candidate starts.** Starting later never gives more capacity, so a start ``b'`` is worth
considering only if some pledge that may pay the capex is valid in b' but not in every earlier
candidate: the candidates of a project are its first possible month ``b0 = max(earliest_start,
start_month)`` and each later ``valid_from`` of a pledge eligible for it (inside the horizon),
where some eligible pledge is valid. Any plan starting at another month b' becomes one starting
at the latest candidate ``b <= b'`` with the same production and capex payers (every pledge
valid in b' is valid in b, and ``cap_b >= cap_b'``), so nothing optimal is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuznia.allocation.problem import BoolArray, IntArray
from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index
from kuznia.scenario.eligibility import may_pay_capex
from kuznia.scenario.model import Project, Scenario
from kuznia.scenario.plan import UnbuiltReason


@dataclass(frozen=True)
class Projects:
    """The projects of a scenario: indices ``j`` in scenario order, starts ``s`` flattened."""

    items: tuple[Project, ...]
    capex: IntArray  # (J,) to_base(capex) in cents
    first: IntArray  # (J,) b0: first month it could start (index; may be >= T)
    eligible: BoolArray  # (J, P) pledge may pay the project's capex (purpose and earmarks)
    start_project: IntArray  # (S,) project of each candidate start
    start_month: IntArray  # (S,) month index of each candidate start
    reasons: tuple[UnbuiltReason | None, ...]  # (J,) why it cannot be built; None if it can

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(j.id for j in self.items)


def capacity_if_built(project: Project, start: int, horizon: int) -> IntArray:
    """(T,) ``cap(j, m)`` of the project built from month index ``start``."""
    lead = start + project.build_months
    months = np.arange(horizon, dtype=np.int64)
    steps = np.clip(months - lead + 1, 0, project.ramp_up_months)
    out: IntArray = np.where(
        months >= lead, project.monthly_capacity * steps // project.ramp_up_months, 0
    )
    return out


def can_deliver(project: Project, start: int, horizon: int) -> bool:
    """Built from ``start``, some capacity arrives inside the horizon."""
    cap = capacity_if_built(project, start, horizon)
    arrives = np.arange(horizon) + project.ship_lag_months < horizon
    return bool(np.any((cap > 0) & arrives))


def project_arrays(s: Scenario) -> Projects:
    horizon = s.horizon_months
    fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
    n_p = len(s.pledges)
    v_from = np.array([month_index(s.start_month, g.valid_from) for g in s.pledges], np.int64)
    v_to = np.array([month_index(s.start_month, g.valid_to) for g in s.pledges], np.int64)
    eligible = np.array(
        [[may_pay_capex(g, j) for g in s.pledges] for j in s.projects], dtype=bool
    ).reshape(len(s.projects), n_p)
    capex: list[int] = []
    first: list[int] = []
    reasons: list[UnbuiltReason | None] = []
    starts: list[tuple[int, int]] = []
    for i, j in enumerate(s.projects):
        capex.append(fx.to_base(Money(round_cents(j.capex), j.currency)).cents)
        b0 = max(month_index(s.start_month, j.earliest_start), 0)
        first.append(b0)
        mine = _starts(j, b0, horizon, eligible[i], v_from, v_to)
        if b0 >= horizon or not can_deliver(j, b0, horizon):
            reasons.append(UnbuiltReason.TOO_LATE)
        elif not _payable(b0, horizon, eligible[i], v_from, v_to):
            reasons.append(UnbuiltReason.NO_ELIGIBLE_INVESTMENT)
        else:
            reasons.append(None)
        starts += [(i, b) for b in mine] if reasons[-1] is None else []
    pairs = np.array(starts, dtype=np.int64).reshape(len(starts), 2)
    return Projects(
        items=s.projects,
        capex=np.array(capex, dtype=np.int64),
        first=np.array(first, dtype=np.int64),
        eligible=eligible,
        start_project=pairs[:, 0],
        start_month=pairs[:, 1],
        reasons=tuple(reasons),
    )


def _payable(b0: int, horizon: int, elig: BoolArray, v_from: IntArray, v_to: IntArray) -> bool:
    """Some eligible pledge is valid in a month from b0 to the horizon's end."""
    return bool(np.any(elig & (v_to >= b0) & (v_from < horizon)))


def _starts(
    project: Project, b0: int, horizon: int, elig: BoolArray, v_from: IntArray, v_to: IntArray
) -> list[int]:
    """The candidate starts (module docstring) where the line could still reach its minimum lot
    and deliver something inside the horizon."""
    later = {int(m) for m in v_from[elig] if b0 < m < horizon}
    out = []
    for b in sorted({b0, *later}):
        payable = bool(np.any(elig & (v_from <= b) & (v_to >= b)))
        cap = capacity_if_built(project, b, horizon)
        if payable and can_deliver(project, b, horizon) and cap.sum() >= project.min_total_units:
            out.append(b)
    return out
