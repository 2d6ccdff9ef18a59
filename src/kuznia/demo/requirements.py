"""Requirements: the needs of Ukraine's forces, sized against declared capacity.

Needs over the horizon are about ``demand_ratio`` times what the lines of a capability can make
(air defence and interceptors well above capacity, armour and demining below), so demand exceeds
what the pledged third of capacity can buy. Priority is value points per unit: about the unit
price in EUR thousands times the category's importance, higher for urgent needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kuznia.demo.catalogue import CATEGORY, CapabilitySpec
from kuznia.months import add_months
from kuznia.scenario.model import Requirement

URGENCY = (0.7, 1.0, 1.5)  # routine, normal, urgent
URGENCY_P = (0.25, 0.55, 0.2)


def demand_units(
    catalogue: Sequence[CapabilitySpec],
    capacity_units: npt.NDArray[np.int64],
    horizon: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """Units needed per capability over the horizon (a year of a typical line if none exists)."""
    ratio = np.array([CATEGORY[c.category].demand_ratio for c in catalogue])
    ratio *= rng.lognormal(0.0, 0.3, len(catalogue))
    typical = np.array([CATEGORY[c.category].line_value_eur * 12 / c.price_eur for c in catalogue])
    base = np.where(capacity_units > 0, capacity_units, typical * horizon / 12)
    units: npt.NDArray[np.int64] = np.maximum(1, np.rint(base * ratio)).astype(np.int64)
    return units


def _split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """``total`` units into ``parts`` needs of random size, each at least 1 where possible."""
    shares = rng.dirichlet(np.full(parts, 2.0))
    sizes = np.floor(shares * total).astype(np.int64)
    sizes[: total - int(sizes.sum())] += 1
    return [max(1, int(s)) for s in sizes]


def build_requirements(
    catalogue: Sequence[CapabilitySpec],
    demand: npt.NDArray[np.int64],
    count: int,
    start: str,
    horizon: int,
    rng: np.random.Generator,
) -> list[Requirement]:
    """``count`` needs spread over capabilities (at least one each), due through the horizon.

    Due months lean early: the front needs most things now, not in three years.
    """
    n_caps = len(catalogue)
    weights = np.sqrt(demand * np.array([c.price_eur for c in catalogue]))
    per_cap = 1 + rng.multinomial(max(0, count - n_caps), weights / weights.sum())
    out: list[Requirement] = []
    for ci, (cap, parts) in enumerate(zip(catalogue, per_cap, strict=True)):
        quantities = _split(int(demand[ci]), int(parts), rng)
        due = np.floor(rng.beta(1.2, 1.8, len(quantities)) * horizon).astype(np.int64)
        urgency = rng.choice(URGENCY, len(quantities), p=URGENCY_P)
        jitter = rng.lognormal(0.0, 0.15, len(quantities))
        base = cap.price_eur / 1000 * CATEGORY[cap.category].importance
        for q, d, u, j in zip(quantities, due, urgency, jitter, strict=True):
            priority = float(f"{base * u * j:.4g}")
            out.append(
                Requirement(
                    id=f"rq-{len(out) + 1:05d}",
                    capability=cap.id,
                    quantity=q,
                    due_month=add_months(start, int(d)),
                    priority=max(priority, 0.001),
                )
            )
    return out
