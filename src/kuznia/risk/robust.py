"""The robust plan: the allocation that maximises the expected value or the CVaR at 10 % of the
value over a sample of disruption paths (sample average approximation), Rockafellar-Uryasev.

It is the recourse LP (``recourse.py``) with production free from zero (the nominal plan's
setups are kept, so its opened lines and the lines with nothing to open are the candidates, and
its minimum lots hold), plus, per sampled path s, the value that path leaves::

    V_s = V0 - sum_{l,m} loss_s(l,m) * vmax(c_l, m + lag_l) * x[l,m]

``V0 = sum v(r,a) d[r,a]`` is the value without strikes, ``loss_s`` the share of capacity the path
takes, ``vmax(c,a)`` the largest value of a unit of capability c arriving in month a: ``x *
loss`` bounds the units a strike destroys and ``vmax`` their value, so ``V_s`` is a lower bound
of the path's value before any re-planning. CVaR at alpha = 10 % (Rockafellar-Uryasev)::

    max  eta - 1/(alpha N) sum_s z_s      z_s >= eta - V_s,  z_s >= 0   (one z per path)

plus 1e-3 of the mean ``V_s`` to break ties; ``expected`` maximises the mean ``V_s``. Both keep
``V0 >= keep_value * V_nominal`` (default 99.5 %): the bound ``V_s`` ignores re-planning, which
recovers much of a strike's loss, so without that floor the LP pays for dispersal with value
that re-planning would not have lost.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE, Builder
from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.allocation.solver import Session, SolverOptions
from kuznia.risk.disruption import Disruption, sample_path
from kuznia.risk.plandata import PlanData, arrival_unit_value
from kuznia.risk.recourse import Blocks, build_recourse, define_recourse
from kuznia.risk.statistics import CVAR_SHARE, cvar

TIE_BREAK = 1e-3
KEEP_VALUE = 0.995  # the robust plan gives up at most 0.5 % of the value when nothing is struck
V0_BLOCK, ETA_BLOCK, Z_BLOCK, V0_ROW, PATH_ROW = 6, 7, 8, 6, 7


class Objective(StrEnum):
    EXPECTED = "expected"
    CVAR = "cvar"


@dataclass(frozen=True)
class RobustPlan:
    data: PlanData  # the robust allocation's production, money and deliveries
    surrogate_cvar: float  # CVaR of V_s at the LP's optimum (before rounding to whole units)
    nominal_surrogate_cvar: float  # CVaR of V_s of the nominal plan, same sample
    seconds: float


def _keys(block: int, n: int) -> IntArray:
    return (np.int64(block) << 56) | np.arange(n, dtype=np.int64)


def unit_loss_weights(
    data: PlanData, blocks: Blocks, disruption: Disruption, seed: int, n: int
) -> FloatArray:
    """(N, x columns): ``loss_s(l,m) * vmax(c_l, m + lag_l)`` of each sampled path."""
    vmax = np.zeros((len(data.capability_ids), data.horizon))
    np.maximum.at(vmax, data.req_capability, data.value)
    arrival = blocks.x_month + data.ship_lag[blocks.x_line]
    inside = arrival < data.horizon
    worth = np.zeros(len(arrival))
    worth[inside] = vmax[data.line_capability[blocks.x_line][inside], arrival[inside]]
    site = data.line_site[blocks.x_line]
    on = site >= 0
    out = np.zeros((n, len(arrival)))
    for s in range(n):
        loss = sample_path(disruption, data.horizon, seed, s)
        out[s, on] = loss[site[on], blocks.x_month[on]] * worth[on]
    return out


def _define_paths(
    data: PlanData, b: Builder, blocks: Blocks, weights: FloatArray, floor: float
) -> tuple[int, int, int]:
    """V0 (at least ``floor``), eta and one z per path, with ``V0 = sum v d`` and
    ``z_s - eta + V0 - w_s x >= 0``."""
    n = len(weights)
    v0 = b.add_cols(floor, np.inf, _keys(V0_BLOCK, 1))
    eta = b.add_cols(-np.inf, np.inf, _keys(ETA_BLOCK, 1))
    z = b.add_cols(0.0, np.inf, _keys(Z_BLOCK, n))
    row = b.add_rows(0.0, 0.0, _keys(V0_ROW, 1))
    n_d = len(blocks.d_req)
    worth = data.value[blocks.d_req, blocks.d_month]
    b.add(np.full(n_d + 1, row), np.r_[blocks.d_first + np.arange(n_d), v0], np.r_[-worth, 1.0])
    first = b.add_rows(0.0, np.inf, _keys(PATH_ROW, n))
    rows = first + np.arange(n)
    b.add(rows, z + np.arange(n), 1.0)
    b.add(rows, np.full(n, eta), -1.0)
    b.add(rows, np.full(n, v0), 1.0)
    path, col = np.nonzero(weights)
    b.add(first + path, col, -weights[path, col])
    return v0, eta, z


def _objective(
    n_cols: int, v0: int, eta: int, z: int, weights: FloatArray, goal: Objective
) -> FloatArray:
    n = len(weights)
    mean = np.zeros(n_cols)
    mean[v0] = 1.0
    mean[: weights.shape[1]] -= weights.mean(axis=0)
    if goal is Objective.EXPECTED:
        return mean
    cost = TIE_BREAK * mean
    cost[eta] += 1.0
    cost[z : z + n] -= 1.0 / (CVAR_SHARE * n)
    return cost


def _payer_spend(data: PlanData, blocks: Blocks, col_value: FloatArray) -> IntArray:
    """(P,) cents of each pledge the LP's money uses: each payer's money spread over its
    pledges in order, filling each one's free budget before the next."""
    money = col_value[blocks.f_first : blocks.f_first + len(blocks.f_payer)] / MONEY_SCALE
    per_payer = np.bincount(blocks.f_payer, weights=money, minlength=int(blocks.payer.max()) + 1)
    left = np.floor(per_payer).astype(np.int64)
    out = np.zeros(len(data.free_budget), dtype=np.int64)
    for p in np.nonzero(blocks.payer >= 0)[0].tolist():
        take = min(int(data.free_budget[p]), int(left[blocks.payer[p]]))
        out[p] = take
        left[blocks.payer[p]] -= take
    return out


def with_production(data: PlanData, production: IntArray, budget: IntArray) -> PlanData:
    """``data`` with another allocation: its production, money, and the deliveries the
    recourse LP makes of that production without strikes."""
    moved = dataclasses.replace(data, production=production, budget=budget)
    model = build_recourse(moved, budget=budget, from_plan=True)
    session = Session(model.assembled, SolverOptions(threads=1))
    session.maximize(model.assembled.value_cost)
    d = session.solve().col_value[model.d_first : model.d_first + len(model.d_req)]
    delivered = np.zeros_like(data.delivered)
    np.add.at(delivered, (model.d_req, model.d_month), d)
    worth = arrival_unit_value(
        data.line_capability, data.ship_lag, data.req_capability, delivered, data.value
    )
    return dataclasses.replace(moved, delivered=delivered, unit_value=worth)


def surrogate_values(data: PlanData, blocks: Blocks, weights: FloatArray) -> FloatArray:
    """(N,) ``V_s`` of ``data``'s own production and deliveries."""
    x = data.production[blocks.x_line, blocks.x_month].astype(np.float64)
    return float((data.delivered * data.value).sum()) - weights @ x


def robust_plan(
    data: PlanData,
    disruption: Disruption,
    *,
    seed: int,
    paths: int,
    objective: Objective = Objective.CVAR,
    keep_value: float = KEEP_VALUE,
    options: SolverOptions | None = None,
) -> RobustPlan:
    """Solve the SAA LP over paths ``0 .. paths-1`` of ``seed`` and round its production down
    to whole units; without strikes it keeps at least ``keep_value`` of the nominal value."""
    start = time.perf_counter()
    b = Builder()
    blocks = define_recourse(data, b, budget=data.free_budget, from_plan=False, lots=True)
    weights = unit_loss_weights(data, blocks, disruption, seed, paths)
    nominal_value = float((data.delivered * data.value).sum())
    v0, eta, z = _define_paths(data, b, blocks, weights, keep_value * nominal_value)
    model = b.finish()
    session = Session(model, options or SolverOptions(threads=1))
    session.maximize(_objective(len(model.col_lower), v0, eta, z, weights, objective))
    outcome = session.solve()
    x = outcome.col_value[: len(blocks.x_line)]
    production = np.zeros_like(data.production)
    production[blocks.x_line, blocks.x_month] = np.floor(x + 1e-6).astype(np.int64)
    robust = with_production(data, production, _payer_spend(data, blocks, outcome.col_value))
    z_values = outcome.col_value[z : z + paths]
    surrogate = float(outcome.col_value[eta] - z_values.sum() / (CVAR_SHARE * paths))
    return RobustPlan(
        data=robust,
        surrogate_cvar=surrogate,
        nominal_surrogate_cvar=cvar(surrogate_values(data, blocks, weights)),
        seconds=time.perf_counter() - start,
    )
