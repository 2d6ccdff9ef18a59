"""What one more million buys, in units: per pledge whose money binds, how the LP with the
plan's setups fixed (stage 1) moves when its budget grows, at the margin, times 1,000,000.

The budget-row duals say how much value that money adds (``marginal_value.pledges``); this says
what it would be: how many more units of each capability, for which needs. It reads the same
optimal basis as the duals: one solve with the basis matrix (``B^-1 e_budget``) per binding
payer gives how every basic column moves, the deliveries among them. So it costs almost
nothing on national data, and it means what the dual means: the rate at the margin, scaled to
1,000,000 (a million more may reach past the basis, as it may for the dual). Pledges alike in
eligibility and window are one payer in the pooled model and share its answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.allocation.solver import Session

MILLION = 1e6 * 100 * MONEY_SCALE  # 1,000,000 of base currency in model money units
UNIT_TOL = 1e-9  # per model money unit: below this a delivery does not move


@dataclass(frozen=True)
class MoreMoney:
    """Per pledge: units per capability one more million delivers, and the needs they go to."""

    units: FloatArray  # (P, C)
    needs: tuple[tuple[int, ...], ...]  # per pledge, requirement indices


@dataclass(frozen=True)
class Where:
    """Where the formulation's budget rows and delivery columns sit in the session's model
    (the full model, or a fixed-setup one that dropped some rows and columns)."""

    budget_rows: IntArray  # per payer, -1 where the session's model has no such row
    d_cols: IntArray  # per d column of the formulation
    value_cost: FloatArray  # the session model's value objective


def more_money(
    session: Session, form: Formulation, where: Where, pledge_dual: FloatArray
) -> MoreMoney:
    """Units per capability and needs per pledge (module docstring); call right after the
    stage 1 solve of ``session``, whose basis it reads."""
    p = form.problem
    units = np.zeros((len(p.pledge_ids), len(p.capability_ids)))
    needs: list[tuple[int, ...]] = [()] * len(p.pledge_ids)
    binding = np.zeros(len(form.payers.pledge_ids), dtype=bool)
    binding[form.payer_of[pledge_dual > 0]] = True
    binding &= where.budget_rows >= 0
    capability = p.req_capability[form.d_req]
    payers = np.nonzero(binding)[0]
    moves = session.rhs_directions(where.budget_rows[payers])
    for q, move in zip(payers.tolist(), moves, strict=True):
        sign = -1.0 if float(where.value_cost @ move) < 0 else 1.0
        d = sign * move[where.d_cols]
        per_cap = np.bincount(capability, weights=d, minlength=len(p.capability_ids)) * MILLION
        gained = tuple(np.unique(form.d_req[d > UNIT_TOL]).tolist())
        for pledge in np.nonzero(form.payer_of == q)[0].tolist():
            units[pledge] = np.clip(per_cap, 0.0, None)
            needs[pledge] = gained
    return MoreMoney(units, tuple(needs))
