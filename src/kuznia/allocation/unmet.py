"""Why a requirement is not fully delivered, and what would meet the rest of it.

The reason is the first of ALLOCATION.md's five that applies to the requirement's capability:
``no_capacity``: no proposal offers it; ``too_late``: no line of it can deliver inside the
horizon (lead time and shipping put every unit at or past it, or it has no capacity);
``no_eligible_funding``: lines could deliver in time but no pledge may pay for them in those
months; ``insufficient_budget``: such capacity is left unused (money ran out);
``insufficient_capacity``: every unit that could be paid and arrive in time is produced.

The action says what binds, as a planner would change it, given the plan: where money is left
but earmarked away from the capability's lines (``earmarks``) or valid only outside the months
they can make (``windows``), which pledges hold it; where every pledge that may pay is spent
(``budget``), which ones; and the extra money that would deliver the missing units: the
cheapest spare capacity arriving in time, lines already producing at their unit cost, others
with their setup and minimum lot (a greedy estimate, line by line). Where spare capacity cannot
cover the need, ``extra_capacity`` is the units missing even with unlimited money.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuznia.allocation.problem import BoolArray, IntArray, Problem
from kuznia.scenario.plan import BindingLimit, UnmetReason

SHOWN = 5  # lines and pledges named per unmet need, most relevant first


@dataclass(frozen=True)
class Unmet:
    """One unmet need in index form (requirement, lines and pledges are indices)."""

    requirement: int
    units: int
    reason: UnmetReason
    limit: BindingLimit
    pledges: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()
    extra_cents: int | None = None
    extra_capacity: int | None = None


@dataclass(frozen=True)
class _Capacity:
    """The plan's capacity picture: cells that can deliver in time, which of them some pledge
    may pay for, what is left of them, and each pledge's money left."""

    in_time: BoolArray  # (L, T)
    payable: BoolArray  # (L, T)
    spare: IntArray  # (L, T) capacity not produced
    producing: BoolArray  # (L,)
    money_left: IntArray  # (P,) cents
    limits: dict[int, tuple[BindingLimit, tuple[int, ...]]]  # per capability, once found

    @classmethod
    def of(cls, p: Problem, produced: IntArray, spent: IntArray) -> _Capacity:
        months = np.arange(p.horizon)[None, :]
        in_time = (p.capacity > 0) & (months + p.ship_lag[:, None] < p.horizon)
        return cls(
            in_time=in_time,
            payable=in_time & p.fundable,
            spare=np.where(in_time, p.capacity - produced, 0),
            producing=produced.sum(axis=1) > 0,
            money_left=p.budget - spent,
            limits={},
        )


def unmet_needs(
    p: Problem, produced: IntArray, delivered: IntArray, spent: IntArray
) -> list[Unmet]:
    """Every requirement not fully delivered, with its reason and action.

    ``produced`` is (L, T) whole units, ``delivered`` (R,) units per requirement, ``spent`` (P,)
    cents each pledge pays in the plan."""
    picture = _Capacity.of(p, produced, spent)
    out = []
    for r in np.nonzero(delivered < p.quantity)[0].tolist():
        missing = int(p.quantity[r] - delivered[r])
        lines = np.nonzero(p.line_capability == p.req_capability[r])[0]
        out.append(_explain(p, picture, r, missing, lines))
    return out


def _explain(p: Problem, cap: _Capacity, r: int, missing: int, lines: IntArray) -> Unmet:
    """The reason and action of one requirement (the first reason that applies)."""
    if not len(lines):
        return Unmet(r, missing, UnmetReason.NO_CAPACITY, BindingLimit.NO_PROPOSAL)
    if not cap.in_time[lines].any():
        shown = tuple(lines[:SHOWN].tolist())
        return Unmet(
            r, missing, UnmetReason.TOO_LATE, BindingLimit.HORIZON, (), shown, None, missing
        )
    if not cap.payable[lines].any():
        return _unfunded(p, cap, r, missing, lines)
    spare_payable = np.where(cap.payable[lines], cap.spare[lines], 0)
    if spare_payable.sum() > 0:
        return _short_of_money(p, cap, r, missing, lines, spare_payable)
    spare_other = cap.spare[lines]  # in time, but no pledge may pay for it then
    cents, used, short = _cheapest(p, cap, lines, spare_other, missing)
    full = lines[cap.payable[lines].any(axis=1)]
    return Unmet(
        r,
        missing,
        UnmetReason.INSUFFICIENT_CAPACITY,
        BindingLimit.CAPACITY,
        (),
        used or tuple(full[:SHOWN].tolist()),
        cents,
        short or None,
    )


def _unfunded(p: Problem, cap: _Capacity, r: int, missing: int, lines: IntArray) -> Unmet:
    """No pledge may pay for the capability's lines when they can deliver: earmarks when none
    is eligible for any of them, windows otherwise."""
    usable = lines[cap.in_time[lines].any(axis=1)]
    eligible = p.eligible[usable].any(axis=0)
    with_money = cap.money_left > 0
    if eligible.any():
        limit, holders = BindingLimit.WINDOWS, eligible & with_money
    else:
        limit, holders = BindingLimit.EARMARKS, with_money
    cents, used, short = _cheapest(p, cap, lines, cap.spare[lines], missing)
    return Unmet(
        r,
        missing,
        UnmetReason.NO_ELIGIBLE_FUNDING,
        limit,
        _richest(cap, holders),
        used,
        cents,
        short or None,
    )


def _short_of_money(
    p: Problem, cap: _Capacity, r: int, missing: int, lines: IntArray, spare: IntArray
) -> Unmet:
    """Spare capacity some pledge may pay for is left unused: which money could have bought it,
    and why it did not (earmarks, windows, or none left)."""
    capability = int(p.line_capability[lines[0]])
    if capability not in cap.limits:  # the same for every need of the capability
        cap.limits[capability] = _money_limit(p, cap, lines, spare)
    limit, holders = cap.limits[capability]
    cents, used, short = _cheapest(p, cap, lines, spare, missing)
    return Unmet(
        r, missing, UnmetReason.INSUFFICIENT_BUDGET, limit, holders, used, cents, short or None
    )


def _money_limit(
    p: Problem, cap: _Capacity, lines: IntArray, spare: IntArray
) -> tuple[BindingLimit, tuple[int, ...]]:
    """What keeps money from the spare capacity of these lines, and which pledges hold it."""
    roomy = spare.sum(axis=1) > 0
    rich = cap.money_left >= max(int(p.unit_cost[lines[roomy]].min()), 1)
    eligible_for = p.eligible[lines[roomy]]  # (lines with room, P)
    eligible = eligible_for.any(axis=0)
    # pledge q may pay for a line with room in a month it has room: eligible and valid then
    when = (eligible_for.T.astype(np.int64) @ (spare[roomy] > 0).astype(np.int64)) > 0
    in_window = (when & p.valid).any(axis=1)
    if (rich & ~eligible).any():
        return BindingLimit.EARMARKS, _richest(cap, rich & ~eligible)
    if (rich & eligible & ~in_window).any():
        return BindingLimit.WINDOWS, _richest(cap, rich & eligible & ~in_window)
    return BindingLimit.BUDGET, _richest(cap, eligible & in_window)


def _richest(cap: _Capacity, mask: BoolArray) -> tuple[int, ...]:
    """Up to ``SHOWN`` pledges of ``mask``, most money left first (then in pledge order)."""
    idx = np.nonzero(mask)[0]
    order = np.lexsort((idx, -cap.money_left[idx]))
    return tuple(idx[order][:SHOWN].tolist())


def _cheapest(
    p: Problem, cap: _Capacity, lines: IntArray, spare: IntArray, missing: int
) -> tuple[int | None, tuple[int, ...], int]:
    """Cents to make ``missing`` units on the cheapest spare capacity (per line: producing lines
    at their unit cost, others with setup and minimum lot spread over the units they give),
    the lines used, and the units no spare capacity covers."""
    room = spare.sum(axis=1)
    uc, setup, lot = p.unit_cost[lines], p.setup_cost[lines], p.min_lot[lines]
    closed = ~cap.producing[lines]
    usable = (room > 0) & (~closed | (room >= lot))
    take = np.minimum(room, missing)
    lot_units = np.where(closed, np.maximum(take, lot), take)
    per_unit = (uc * lot_units + np.where(closed, setup, 0)) / np.maximum(take, 1)
    order = [i for i in np.lexsort((lines, per_unit)).tolist() if usable[i]]
    cents, used, left = 0, [], missing
    for i in order:
        if left == 0:
            break
        k = min(int(room[i]), left)
        made = max(k, int(lot[i])) if closed[i] else k
        cents += made * int(uc[i]) + (int(setup[i]) if closed[i] else 0)
        used.append(int(lines[i]))
        left -= k
    return (cents if used else None), tuple(used[:SHOWN]), left
