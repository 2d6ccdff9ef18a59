"""What a plan delivers on one sampled path, by the recourse rule of docs/risk.md.

The rule: months before the path's first strike on a candidate line keep the plan's production.
From that month on, the path's outages are known: a struck line makes at most
``floor(cap(l,m) * (1 - loss))``; every other line keeps its planned units; the money of the
units lost (the plan's production spend of each pledge, earmarks and windows kept) buys units
at the spare capacity of the candidate lines (the plan's lines and lines with nothing to open)
in months from the first strike on; deliveries are re-made to the most valuable needs. A path
without a strike on a candidate line is the plan itself, to the unit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.allocation.solver import Session, SolverOptions
from kuznia.errors import KuzniaError
from kuznia.risk.disruption import Disruption, sample_path
from kuznia.risk.plandata import PlanData
from kuznia.risk.recourse import RecourseModel, build_recourse

PATH_SECONDS = 60.0
PATH_SOLVER = SolverOptions(time_limit=PATH_SECONDS, threads=1)


@dataclass(frozen=True, slots=True)
class PathResult:
    """One path's outcome: total value, per need units and value, per capability and month the
    units delivered, per site the plan's value lost there before re-planning."""

    index: int
    value: float
    need_units: FloatArray  # (R,)
    need_value: FloatArray  # (R,)
    delivered: FloatArray  # (C, T) units delivered per capability and month
    site_loss: FloatArray  # (S,)
    struck: bool


def nominal_result(data: PlanData, n_sites: int, index: int = -1) -> PathResult:
    """The plan as it is: its own deliveries."""
    need_value = (data.delivered * data.value).sum(axis=1)
    by_cap = np.zeros((len(data.capability_ids), data.horizon))
    np.add.at(by_cap, data.req_capability, data.delivered)
    return PathResult(
        index=index,
        value=float(need_value.sum()),
        need_units=data.delivered.sum(axis=1),
        need_value=need_value,
        delivered=by_cap,
        site_loss=np.zeros(n_sites),
        struck=False,
    )


def sum_by(index: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """``out[i] = sum of weights where index == i`` for ``i < n``."""
    out = np.zeros(n)
    np.add.at(out, index, weights)
    return out


class PathSolver:
    """One worker's model of a plan: built once from plain data, solved once per path from the
    plan's own basis with the struck lines' bounds changed, then put back."""

    def __init__(self, data: PlanData, disruption: Disruption) -> None:
        self.data, self.disruption = data, disruption
        self.model: RecourseModel = build_recourse(data, budget=data.budget, from_plan=True)
        self.session = Session(self.model.assembled, PATH_SOLVER)
        self.session.maximize(self.model.assembled.value_cost)
        self.session.solve()
        self.basis = self.session.snapshot()
        self.session.restore(self.basis, forget=True)
        self.nominal = nominal_result(data, disruption.n_sites)
        self.cols = np.arange(len(self.model.x_line), dtype=np.int64)

    def col_loss(self, loss: FloatArray) -> FloatArray:
        m = self.model
        site = self.data.line_site[m.x_line]
        out = np.zeros(len(site))
        on = site >= 0
        out[on] = loss[site[on], m.x_month[on]]
        return out

    def evaluate(self, seed: int, index: int) -> PathResult:
        loss = sample_path(self.disruption, self.data.horizon, seed, index)
        return self.evaluate_loss(loss, index)

    def evaluate_loss(self, loss: FloatArray, index: int) -> PathResult:
        """The path with capacity loss ``loss`` (sites, months)."""
        m = self.model
        left = np.floor(m.x_upper * (1.0 - self.col_loss(loss)) + 1e-9)
        struck = np.nonzero(left < m.x_upper)[0]
        if not len(struck):
            return dataclasses.replace(self.nominal, index=index)
        first = int(m.x_month[struck].min())
        early = np.nonzero(m.x_month < first)[0]
        lower, upper = m.x_lower.copy(), m.x_upper.copy()
        upper[early] = m.x_lower[early]
        upper[struck] = left[struck]
        lower[struck] = np.minimum(m.x_lower[struck], left[struck])
        changed = np.union1d(early, struck)
        self.session.set_bounds(changed, lower[changed], upper[changed])
        try:
            self.session.set_time_limit(PATH_SECONDS)  # HiGHS's clock counts every solve
            outcome = self.session.solve()
            if not outcome.ok:
                msg = f"path {index}: the re-plan ended {outcome.status.value}"
                raise KuzniaError(msg)
        finally:
            self.session.set_bounds(changed, m.x_lower[changed], m.x_upper[changed])
            self.session.restore(self.basis, forget=True)
        lost = (m.x_lower - lower) * self.data.unit_value[m.x_line, m.x_month]
        return self._result(index, outcome.col_value, lost)

    def _result(self, index: int, col_value: FloatArray, lost: FloatArray) -> PathResult:
        m, data = self.model, self.data
        d = col_value[m.d_first : m.d_first + len(m.d_req)]
        units = sum_by(m.d_req, d, len(data.requirement_ids))
        need_value = sum_by(m.d_req, d * data.value[m.d_req, m.d_month], len(units))
        by_cap = np.zeros((len(data.capability_ids), data.horizon))
        np.add.at(by_cap, (data.req_capability[m.d_req], m.d_month), d)
        site = data.line_site[m.x_line]
        on = site >= 0
        site_loss = sum_by(site[on], lost[on], self.disruption.n_sites)
        return PathResult(
            index=index,
            value=float(need_value.sum()),
            need_units=units,
            need_value=need_value,
            delivered=by_cap,
            site_loss=site_loss,
            struck=True,
        )


def evaluate_paths(
    data: PlanData, disruption: Disruption, seed: int, indices: IntArray | list[int]
) -> list[PathResult]:
    """The paths ``indices`` of ``seed``: the unit of work a Dask task runs (plain data in,
    plain data out; the solver lives and dies inside)."""
    solver = PathSolver(data, disruption)
    return [solver.evaluate(seed, int(i)) for i in indices]
