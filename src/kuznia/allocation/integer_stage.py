"""Keep working where rounding cost the gap: whole production on the lines where it matters.

A pooled plan (medium and large models, whose per-unit form is too big for the whole-unit
MILP) is rounded after the solver; where a line makes only a few units a month, flooring loses
a large share of them, and the plan may end above the configured gap. If so, and time is left,
this stage re-solves the fixed-setup model (``fixing.py``: the plan's setups fixed, no binaries
left) with production integer on those *lumpy* lines only (at most ``LUMPY_CAPACITY`` units in
any month), the other lines continuous and rounded after as before, then the least spend at
that value. Money stays pooled, so units per pledge are still assigned by the rounding step.
The plan's bound does not change (the same relaxation, Lagrangian and dual bounds); the engine
keeps this stage's plan only if its whole-unit value is higher.
"""

from __future__ import annotations

import time

import numpy as np

from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray
from kuznia.allocation.solved import Method, Solved
from kuznia.allocation.solver import SolverOptions
from kuznia.allocation.stages import FixedStages

LUMPY_CAPACITY = 50  # units a month: flooring such a line loses at least 2% of a month's output
AFTER = {Method.MILP_SETUPS: Method.MILP_SETUPS_UNITS, Method.RELAX_FIX: Method.RELAX_FIX_UNITS}


def lumpy_lines(form: Formulation) -> BoolArray:
    """(x columns,) production columns of lines that make at most ``LUMPY_CAPACITY`` a month."""
    most = form.problem.capacity.max(axis=1, initial=0)
    lumpy: BoolArray = (most <= LUMPY_CAPACITY)[form.x_line]
    return lumpy


def integer_stage(solved: Solved, options: SolverOptions, seconds: float) -> Solved | None:
    """The stage above within ``seconds``; ``None`` when there is nothing to do or it fails."""
    form = solved.form
    lumpy = lumpy_lines(form)
    if form.per_unit or not lumpy.any() or seconds <= 0:
        return None
    start = time.perf_counter()
    stages = FixedStages(form, solved.y_open, options, None)
    fixed = stages.fixed
    x = form.cols("x")[lumpy]
    at = np.searchsorted(fixed.cols, x)
    kept = (at < len(fixed.cols)) & (fixed.cols[np.minimum(at, len(fixed.cols) - 1)] == x)
    session = stages.session
    session.set_integer(at[kept], integer=True)
    session.set_time_limit(seconds * 0.7)
    value = session.solve()
    if not value.ok:
        return None
    session.keep_value_minimise_spend(value.objective)
    session.set_solution(value.col_value)
    session.set_time_limit(max(seconds - (time.perf_counter() - start), 0.1))
    spend = session.solve()
    final = spend if spend.ok else value
    return Solved(
        form=form,
        status=solved.status,
        col_value=fixed.full_cols(final.col_value),
        y_open=solved.y_open,
        bound=solved.bound,
        method=AFTER.get(solved.method, solved.method),
        budget_dual=solved.budget_dual,
        seconds=solved.seconds + time.perf_counter() - start,
        basis=solved.basis,
        notes=[*solved.notes, "production made whole in the solver on the lines of few units"],
        prices=solved.prices,
        more_money=solved.more_money,
    )
