"""Why a requirement is not fully delivered: the first of five reasons that applies.

``no_capacity``: no line of the capability has any capacity; ``too_late``: none can deliver
before the horizon; ``no_eligible_funding``: lines could deliver in time but no pledge may pay for
them in those months; ``insufficient_budget``: such capacity is left unused (money ran out);
``insufficient_capacity``: every unit that could be paid and arrive in time is produced.
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.problem import IntArray, Problem

REASONS = (
    "no_capacity",
    "too_late",
    "no_eligible_funding",
    "insufficient_budget",
    "insufficient_capacity",
)


def unmet_reasons(
    p: Problem, produced: IntArray, delivered: IntArray
) -> list[tuple[int, int, str]]:
    """(requirement, missing units, reason) for every requirement not fully delivered.

    ``produced`` is (L, T) whole units; ``delivered`` is (R,) units delivered per requirement."""
    months = np.arange(p.horizon)[None, :]
    has_cap = p.capacity > 0
    in_time = has_cap & (months + p.ship_lag[:, None] < p.horizon)
    payable = in_time & p.fundable
    spare = payable & (produced < p.capacity)
    per_cap = [
        np.bincount(p.line_capability, weights=mask.any(axis=1), minlength=len(p.capability_ids))
        > 0
        for mask in (has_cap, in_time, payable, spare)
    ]
    out: list[tuple[int, int, str]] = []
    for r in np.nonzero(delivered < p.quantity)[0]:
        c = p.req_capability[r]
        flags = [not per_cap[0][c], not per_cap[1][c], not per_cap[2][c], bool(per_cap[3][c])]
        reason = next((REASONS[i] for i, hit in enumerate(flags) if hit), REASONS[4])
        out.append((int(r), int(p.quantity[r] - delivered[r]), reason))
    return out
