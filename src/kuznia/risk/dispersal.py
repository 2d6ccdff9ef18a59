"""How concentrated a plan's production is, per capability: the share of its largest site and
of its three largest, and the Herfindahl index ``sum_s share_s^2`` over sites (1: one site;
1/n: n equal sites). A line at no listed site counts as a site of its own."""

from __future__ import annotations

import numpy as np

from kuznia.allocation.problem import IntArray
from kuznia.risk.disruption import Disruption
from kuznia.risk.plandata import PlanData
from kuznia.risk.report import Dispersal


def dispersal(data: PlanData, production: IntArray, disruption: Disruption) -> dict[str, Dispersal]:
    units = production.sum(axis=1).astype(np.float64)
    own = disruption.n_sites + np.arange(len(data.line_site))
    site = np.where(data.line_site >= 0, data.line_site, own)
    out: dict[str, Dispersal] = {}
    for c, cap_id in enumerate(data.capability_ids):
        on = (data.line_capability == c) & (units > 0)
        if not on.any():
            continue
        _, group = np.unique(site[on], return_inverse=True)
        per_site = np.bincount(group.ravel(), weights=units[on])
        share = np.sort(per_site / per_site.sum())[::-1]
        out[cap_id] = Dispersal(
            sites=len(share),
            largest_share=float(share[0]),
            top3_share=float(share[:3].sum()),
            herfindahl=float((share**2).sum()),
        )
    return out
