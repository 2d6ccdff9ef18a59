"""Priorities made comparable across capabilities.

A requirement's priority is value points per unit delivered on time (ALLOCATION.md): 5 on an
FPV drone and 5 on a missile are worth the same per unit, so per unit of money a cheap unit is
worth far more. Planners read the plan better with both: per need, the cheapest unit cost of
its capability (base currency) and the value one million buys there, delivered on time, setups
aside, ``priority * 1,000,000 / unit_cost``, with its rank among all needs. A need that ranks
low is the first to go unmet when money is short, whatever its priority reads.
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.problem import Problem
from kuznia.money import format_cents
from kuznia.scenario.plan import NeedPriority

MILLION_CENTS = 100_000_000


def need_priorities(p: Problem) -> dict[str, NeedPriority]:
    """Per requirement id, its priority against its capability's cheapest unit cost."""
    n_cap = len(p.capability_ids)
    cheapest = np.full(n_cap, -1, dtype=np.int64)
    for c in range(n_cap):
        costs = p.unit_cost[p.line_capability == c]
        if len(costs):
            cheapest[c] = int(costs.min())
    cost = cheapest[p.req_capability]
    per_million = np.where(
        cost > 0,
        p.priority * MILLION_CENTS / np.maximum(cost, 1),
        np.where(cost == 0, np.inf, 0.0),
    )
    order = np.lexsort((np.arange(len(cost)), -per_million))
    rank = np.empty(len(cost), dtype=np.int64)
    rank[order] = np.arange(1, len(cost) + 1)
    return {
        rid: NeedPriority(
            priority=float(p.priority[r]),
            unit_cost=format_cents(int(cost[r])) if cost[r] >= 0 else None,
            value_per_million=float(per_million[r]) if cost[r] > 0 else None,
            rank=int(rank[r]),
        )
        for r, rid in enumerate(p.requirement_ids)
    }
