"""What one more million buys, in units: per pledge whose money binds, the LP with the plan's
setups fixed (stage 1) with 1,000,000 more base currency in its budget, deliveries compared.

The budget-row duals say how much value money adds at the margin (``marginal_value.pledges``,
the dual times 1,000,000); this says what the million would be: how many more units of each
capability, for which needs, as far as capacity, needs and the other budgets allow (a rate at
the margin times a million is not: on a small scenario it promised 10,000 units for a need of
30). Stage 1's optimal basis gives the rate cheaply: one solve with the basis matrix
(``B^-1 e_budget``) per binding payer says how every basic column moves per unit of money. Where
the basis stays feasible for the whole million (a ratio test on the columns' and rows' bounds:
national data), the rate times a million is exactly what the re-solved LP would give; elsewhere
the LP is re-solved, hot, with the million added (a few iterations each), within
``MAX_RESOLVE_SECONDS`` and ``RESOLVE_SHARE`` of the solve so far, and the bound and basis are
put back for the spend stage. Payers left when that time is up keep the rate times a million,
and the plan's notes say how many.
Pledges alike in eligibility and window are one payer in the pooled model and share its answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE, Assembled
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.allocation.solver import Outcome, Session

MILLION = 1e6 * 100 * MONEY_SCALE  # 1,000,000 of base currency in model money units
UNIT_TOL = 1e-6  # units: below this a delivery does not move
STEP_TOL = 1e-12  # per model money unit: below this a column or row does not move
MAX_RESOLVE_SECONDS = 1.0
RESOLVE_SHARE = 0.05  # of the seconds the plan took so far (national: ~13 payers to re-solve)


@dataclass(frozen=True)
class Rate:
    """A payer's deliveries per million: exact, or the rate at the margin times a million."""

    move: FloatArray
    exact: bool


@dataclass(frozen=True)
class MoreMoney:
    """Per pledge: units per capability one more million delivers, and the needs they go to."""

    units: FloatArray  # (P, C)
    needs: tuple[tuple[int, ...], ...]  # per pledge, requirement indices
    extrapolated: int = 0  # payers whose units are the rate at the margin times a million


@dataclass(frozen=True)
class Where:
    """The session's model as stage 1 solved it, and where the formulation's budget rows and
    delivery columns sit in it (the full model, or a fixed-setup one that dropped some)."""

    model: Assembled
    col_lower: FloatArray  # the column bounds in force (setups fixed)
    col_upper: FloatArray
    budget_rows: IntArray  # per payer, -1 where the session's model has no such row
    d_cols: IntArray  # per d column of the formulation


def more_money(
    session: Session,
    form: Formulation,
    where: Where,
    stage1: Outcome,
    pledge_dual: FloatArray,
    seconds: float,
) -> MoreMoney:
    """Units per capability and needs per pledge (module docstring); call right after the
    stage 1 solve of ``session``, whose basis it reads; ``seconds``: how long planning has taken
    so far. The session is left as it was."""
    p = form.problem
    units = np.zeros((len(p.pledge_ids), len(p.capability_ids)))
    needs: list[tuple[int, ...]] = [()] * len(p.pledge_ids)
    binding = np.zeros(len(form.payers.pledge_ids), dtype=bool)
    binding[form.payer_of[pledge_dual > 0]] = True
    binding &= where.budget_rows >= 0
    payers = np.nonzero(binding)[0]
    if not len(payers):
        return MoreMoney(units, tuple(needs))
    moves = _rates(session, where, stage1, where.budget_rows[payers])
    late = [i for i, rate in enumerate(moves) if not rate.exact]
    if late:
        budget = min(MAX_RESOLVE_SECONDS, RESOLVE_SHARE * seconds)
        rows = where.budget_rows[payers[late]]
        for i, move in zip(late, _resolve(session, where, stage1, rows, budget), strict=True):
            moves[i] = Rate(move, exact=True) if move is not None else moves[i]
    capability = p.req_capability[form.d_req]
    for q, rate in zip(payers.tolist(), moves, strict=True):
        move = rate.move
        per_cap = np.bincount(capability, weights=move, minlength=len(p.capability_ids))
        gained = tuple(np.unique(form.d_req[move > UNIT_TOL]).tolist())
        for pledge in np.nonzero(form.payer_of == q)[0].tolist():
            units[pledge] = np.clip(per_cap, 0.0, None)
            needs[pledge] = gained
    return MoreMoney(units, tuple(needs), sum(not r.exact for r in moves))


def _rates(session: Session, where: Where, stage1: Outcome, rows: IntArray) -> list[Rate]:
    """Per budget row: the deliveries' change for a million more at the margin's rate, exact
    where the optimal basis stays feasible that far."""
    m = where.model
    out: list[Rate] = []
    for row, move in zip(rows.tolist(), session.rhs_directions(rows), strict=True):
        sign = -1.0 if float(m.value_cost @ move) < 0 else 1.0
        dx = sign * move
        weights = m.a_value * dx[m.entry_col]
        dr = np.bincount(m.a_index, weights=weights, minlength=len(m.row_lower)).astype(np.float64)
        dr[row] = 0.0  # its own bound moves with it
        reach = min(
            _room(stage1.col_value, where.col_lower, where.col_upper, dx),
            _room(stage1.row_value, m.row_lower, m.row_upper, dr),
        )
        out.append(Rate(dx[where.d_cols] * MILLION, exact=reach >= MILLION))
    return out


def _room(value: FloatArray, lower: FloatArray, upper: FloatArray, step: FloatArray) -> float:
    """How far along ``step`` the values stay within their bounds."""
    up, down = step > STEP_TOL, step < -STEP_TOL
    room = np.concatenate(
        [
            np.clip(upper[up] - value[up], 0.0, None) / step[up],
            np.clip(value[down] - lower[down], 0.0, None) / -step[down],
        ]
    )
    return float(room.min()) if len(room) else np.inf


def _resolve(
    session: Session, where: Where, stage1: Outcome, rows: IntArray, seconds: float
) -> list[FloatArray | None]:
    """Per budget row: the deliveries' change when stage 1 is re-solved with a million more
    (``None`` for rows left when ``seconds`` are up)."""
    base = stage1.col_value[where.d_cols]
    out: list[FloatArray | None] = []
    snapshot, started = session.snapshot(), time.perf_counter()
    for row, lower, upper in zip(rows.tolist(), *session.row_bounds(rows), strict=True):
        left = seconds - (time.perf_counter() - started)
        if left <= 0:
            out.append(None)
            continue
        session.set_row_bounds(row, lower, upper + MILLION)
        session.set_time_limit(left)
        more = session.solve()
        session.set_row_bounds(row, lower, upper)
        out.append(more.col_value[where.d_cols] - base if more.ok else None)
    session.restore(snapshot)
    return out
