"""How the model is solved, by size (thresholds measured, see docs/allocation.md):

- **whole units** (``whole_units.py``): every model whose per-unit form has at most
  ``WHOLE_UNITS_MAX_COLS`` columns: pooled MILP for the setups and the bound, then whole units
  with those setups fixed, then (only while the gap is not proven and time is left) the exact
  MILP from that plan;
- **medium** (pooled, <= 1,000 setups, <= 60k nonzeros): the pooled MILP with binary setups,
  production rounded afterwards;
- **large**: relax, dive, fix (``relax_fix.py``), warm-started on a re-plan.

Each ends with the fixed-setup stages (``finish.py``: value with its duals, then least spend).
The proven gap is measured against an upper bound on the true optimum: the smallest of the LP
relaxation's value, the MILP's dual bound and the Lagrangian bound of stage 1's duals
(``bounds.py``).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from kuznia.allocation.finish import finish, staged
from kuznia.allocation.formulation import Formulation, build_formulation
from kuznia.allocation.inherit import inherited
from kuznia.allocation.relax_fix import (
    WARM_GAP_SHARE,
    Setups,
    crash,
    relax_fix,
    warm_stages,
)
from kuznia.allocation.solved import Method, Progress, Solved, WarmStart, failed, nothing_to_decide
from kuznia.allocation.solver import Session, SolverOptions
from kuznia.allocation.whole_units import solve_whole_units

WHOLE_UNITS_MAX_COLS = 5_000  # columns of the per-unit model (measured: docs/allocation.md)
SETUP_MILP_MAX_INTEGERS = 1000  # pooled model, binary setups only
SETUP_MILP_MAX_NNZ = 60_000
SETUP_MILP_SHARE = 0.4  # of the time limit ...
SETUP_MILP_SECONDS = 10.0  # ... but no more

__all__ = ["Solved", "WarmStart", "solve"]


def solve(
    form: Formulation,
    options: SolverOptions,
    warm: WarmStart | None = None,
    heuristic: WarmStart | None = None,
) -> Solved:
    """Run the strategy on a pooled formulation; never raises for infeasible or timed-out
    models. ``heuristic``: setups of a quick plan (the greedy baseline's), whose fixed-setup LP
    gives a cold relaxation its first basis."""
    start = time.perf_counter()
    if len(form.model.col_lower) == 0:
        return nothing_to_decide(form, start)
    if _medium(form):
        unit = build_formulation(form.problem, per_unit=True)
        if len(unit.model.col_lower) <= WHOLE_UNITS_MAX_COLS:
            return solve_whole_units(form, unit, options, start, warm)
    has_setups = len(form.y_line) > 0
    warm = inherited(form, warm)
    earlier = warm_stages(form, options, warm) if has_setups else None
    if earlier is not None and earlier.proves(options.mip_gap * WARM_GAP_SHARE):
        method = Method.MILP_SETUPS_WARM if _medium(form) else Method.RELAX_FIX_WARM
        solved = staged(earlier, options, Progress(earlier.y_open, np.inf, method, start))
        return dataclasses.replace(solved, prices=warm.prices if warm else None)
    session = Session(form.model, options)
    session.set_time_limit(options.time_limit)
    fallback = earlier
    if warm is not None and warm.basis is not None:
        session.warm_start(warm.basis)
    elif has_setups and not _medium(form):
        fallback = crash(session, form, options, heuristic)
        session.set_time_limit(options.time_limit - (time.perf_counter() - start))
    session.maximize(form.model.value_cost)
    if has_setups and not _medium(form):
        return relax_fix(session, form, options, Setups(earlier, fallback), start)
    return _pooled(session, form, options, start)


def _medium(form: Formulation) -> bool:
    """Small enough for the pooled MILP with binary setups."""
    return len(form.y_line) <= SETUP_MILP_MAX_INTEGERS and form.model.nnz <= SETUP_MILP_MAX_NNZ


def _pooled(session: Session, form: Formulation, options: SolverOptions, start: float) -> Solved:
    """The pooled LP (no setups) or MILP with binary setups, then the fixed-setup stages."""
    y = form.cols("y")
    progress = Progress(np.zeros(len(y), dtype=bool), np.inf, Method.LP, start)
    if len(y):
        session.set_integer(y, integer=True)
        session.set_time_limit(min(options.time_limit * SETUP_MILP_SHARE, SETUP_MILP_SECONDS))
        progress.method = Method.MILP_SETUPS
    first = session.solve()
    session.set_integer(y, integer=False)  # stage 1 re-solves the LP for its duals
    if not first.ok:
        return failed(form, first, progress)
    progress.y_open = first.col_value[y] > 0.5
    progress.bound = max(first.bound, first.objective) if len(y) else first.objective
    return finish(session, form, options, progress)
