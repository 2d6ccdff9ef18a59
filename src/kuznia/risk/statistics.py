"""Aggregating path results as they arrive, into the figures of an :class:`Evaluation`.

Results are stored by path index, so the figures never depend on the order they arrive in
(or on how many workers computed them).
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.risk.dispersal import dispersal
from kuznia.risk.disruption import Disruption
from kuznia.risk.paths import PathResult, nominal_result
from kuznia.risk.plandata import PlanData
from kuznia.risk.report import Band, Evaluation, Fan, Figures, SiteCost

LEVELS = (90, 50, 10)
CVAR_SHARE = 0.10
TOP_SITES = 10


def reached(values: FloatArray, percent: int) -> FloatArray:
    """Along axis 0: the largest value that at least ``percent`` % of paths reach (the
    ``N - ceil(percent * N / 100)``-th smallest, counting from 0)."""
    n = values.shape[0]
    at = n + (-(percent * n)) // 100  # n - ceil(percent * n / 100)
    out: FloatArray = np.sort(values, axis=0)[min(max(at, 0), n - 1)]
    return out


def cvar(values: FloatArray, share: float = CVAR_SHARE) -> float:
    """Mean of the worst ``share`` of paths (fractional weight on the boundary path): the
    Rockafellar-Uryasev ``max_eta eta - E[(eta - V)+] / share`` of the sample."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    tail = share * len(v)
    whole = int(np.floor(tail))
    total = v[:whole].sum() + (tail - whole) * (v[whole] if whole < len(v) else 0.0)
    return float(total / tail)


def band(values: FloatArray) -> Band:
    p90, p50, p10 = (float(reached(values, k)) for k in LEVELS)
    return Band(p90=p90, p50=p50, p10=p10, mean=float(np.mean(values)))


class Collector:
    """Per-path arrays filled as results arrive."""

    def __init__(self, data: PlanData, disruption: Disruption, n_paths: int, seed: int) -> None:
        self.data, self.disruption, self.seed = data, disruption, seed
        n_req, n_cap = len(data.requirement_ids), len(data.capability_ids)
        self.value = np.zeros(n_paths)
        self.need_units = np.zeros((n_paths, n_req))
        self.need_value = np.zeros((n_paths, n_req))
        self.delivered = np.zeros((n_paths, n_cap, data.horizon))
        self.site_loss = np.zeros((n_paths, disruption.n_sites))
        self.struck = np.zeros(n_paths, dtype=bool)
        self.seen = np.zeros(n_paths, dtype=bool)

    def add(self, r: PathResult) -> None:
        i = r.index
        self.value[i], self.struck[i], self.seen[i] = r.value, r.struck, True
        self.need_units[i], self.need_value[i] = r.need_units, r.need_value
        self.delivered[i], self.site_loss[i] = r.delivered, r.site_loss

    @property
    def done(self) -> int:
        return int(self.seen.sum())

    def report(self, production: IntArray | None = None) -> Evaluation:
        data = self.data
        plan = nominal_result(data, self.disruption.n_sites)
        cap_units = _by_capability(data.req_capability, self.need_units, len(data.capability_ids))
        cap_value = _by_capability(data.req_capability, self.need_value, len(data.capability_ids))
        plan_cap_units = _by_capability(
            data.req_capability, plan.need_units[None], cap_units.shape[1]
        )[0]
        plan_cap_value = _by_capability(
            data.req_capability, plan.need_value[None], cap_units.shape[1]
        )[0]
        return Evaluation(
            seed=self.seed,
            paths=len(self.value),
            months=data.months,
            planned_value=plan.value,
            value=band(self.value),
            cvar10=cvar(self.value),
            struck_paths=int(self.struck.sum()),
            capabilities={
                c: _figures(plan_cap_units[i], plan_cap_value[i], cap_units[:, i], cap_value[:, i])
                for i, c in enumerate(data.capability_ids)
                if plan_cap_units[i] > 0 or cap_units[:, i].any()
            },
            needs={
                r: _figures(
                    plan.need_units[i],
                    plan.need_value[i],
                    self.need_units[:, i],
                    self.need_value[:, i],
                )
                for i, r in enumerate(data.requirement_ids)
            },
            fans=self._fans(plan.delivered),
            sites=self._sites(),
            dispersal=dispersal(
                data, data.production if production is None else production, self.disruption
            ),
        )

    def _fans(self, planned: FloatArray) -> dict[str, Fan]:
        cum = np.cumsum(self.delivered, axis=2)
        plan_cum = np.cumsum(planned, axis=1)
        levels = {k: reached(cum, k) for k in LEVELS}
        return {
            c: Fan(
                planned=tuple(plan_cum[i].tolist()),
                p90=tuple(levels[90][i].tolist()),
                p50=tuple(levels[50][i].tolist()),
                p10=tuple(levels[10][i].tolist()),
            )
            for i, c in enumerate(self.data.capability_ids)
            if plan_cum[i, -1] > 0
        }

    def _sites(self) -> tuple[SiteCost, ...]:
        mean = self.site_loss.mean(axis=0)
        order = np.argsort(-mean, kind="stable")[:TOP_SITES]
        return tuple(
            SiteCost(
                site=self.disruption.site_ids[s],
                risk_class=self.disruption.site_class[s],
                expected_loss=float(mean[s]),
                struck_share=float((self.site_loss[:, s] > 0).mean()),
            )
            for s in order.tolist()
            if mean[s] > 0
        )


def _by_capability(req_capability: IntArray, per_need: FloatArray, n_cap: int) -> FloatArray:
    out = np.zeros((per_need.shape[0], n_cap))
    np.add.at(out.T, req_capability, per_need.T)
    return out


def _figures(units: float, value: float, path_units: FloatArray, path_value: FloatArray) -> Figures:
    return Figures(
        planned_units=float(units),
        planned_value=float(value),
        units=band(path_units),
        value=band(path_value),
    )
