"""Relax, dive, fix: how large models are solved (``docs/allocation.md``).

The LP relaxation's value is a bound; the dive chooses the setups (fix the integral ones, open
the most-open fractional ones, re-solve, up to ``DIVE_ROUNDS`` rounds) and the fixed-setup
stages run on the small model from the dive's last basis. A cold relaxation starts from the
basis of the greedy baseline's fixed-setup LP (``crash``); a re-plan keeps the earlier setups
and skips the relaxation when the Lagrangian bound of their own duals proves the gap
(``warm_stages``).
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from kuznia.allocation.bounds import lagrangian_bound
from kuznia.allocation.finish import staged
from kuznia.allocation.fixing import fix_setups, fixed_basis, in_full
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray, FloatArray, IntArray, restricts
from kuznia.allocation.solved import Method, Prices, Progress, Solved, WarmStart, failed
from kuznia.allocation.solver import AT_UPPER, Basis, Outcome, Session, SolverOptions, SolveStatus
from kuznia.allocation.stages import FixedStages

EPS = 1e-6
DIVE_ROUNDS = 4
WARM_GAP_SHARE = 0.8  # of the configured gap a re-plan's own bound must prove (rounding
# to whole units costs a little value after)


class Setups(NamedTuple):
    """Setups whose fixed-setup LP is already solved or started: the earlier plan's (a re-plan)
    and the ones to fall back on if the relaxation runs out of time."""

    earlier: FixedStages | None
    fallback: FixedStages | None


def relax_fix(
    session: Session, form: Formulation, options: SolverOptions, setups: Setups, start: float
) -> Solved:
    """Relax, dive, fix: the relaxation's value is a bound; the dive chooses the setups and the
    fixed-setup stages run on the small model from the dive's last basis. On a re-plan whose
    earlier setups did not prove the gap by themselves (``earlier``), the relaxation (started
    from the earlier basis) proves it for those setups instead. If the relaxation does not
    finish in time, the ``fallback`` setups (the earlier plan's, or the greedy baseline's) are
    kept, bounded by their own LP's duals, rather than returning an empty plan."""
    none = np.zeros(0, dtype=bool)
    relaxed = session.solve()
    if not relaxed.ok and setups.fallback is not None and _solved(setups.fallback):
        notes = [
            "the LP relaxation did not reach its optimum (time limit or solver error): the setups "
            "are the earlier plan's or the greedy baseline's, and the bound is that of their own LP"
        ]
        return staged(setups.fallback, options, Progress(none, np.inf, Method.FIX, start, notes))
    if not relaxed.ok:
        return failed(form, relaxed, Progress(none, np.inf, Method.FAILED, start))
    prices = Prices(form.model.row_key, relaxed.row_dual)
    if setups.earlier is not None and _solved(setups.earlier):
        progress = Progress(none, relaxed.objective, Method.RELAX_FIX_WARM, start)
        return dataclasses.replace(staged(setups.earlier, options, progress), prices=prices)
    progress = Progress(none, relaxed.objective, Method.RELAX_FIX, start)
    y_open, basis = _dive(form, options, relaxed, session.basis(), progress.notes)
    stages = FixedStages(form, y_open, options, None, full=basis)
    return dataclasses.replace(staged(stages, options, progress), prices=prices)


def _solved(stages: FixedStages) -> bool:
    return stages.stage1 is not None and stages.stage1.ok


def crash(
    session: Session, form: Formulation, options: SolverOptions, heuristic: WarmStart | None
) -> FixedStages | None:
    """Start the relaxation from the optimal basis of the fixed-setup LP of the heuristic's
    setups (opened setups at 1, every opening row basic). From there the dual simplex has far
    less to do than from the slack basis (stress: 37k iterations, 8.7 s, after 6 s for that LP,
    instead of 75k iterations, 51 s). Returns those stages: the plan to fall back on if the
    relaxation does not finish in time."""
    y_open = previous_decisions(form, heuristic)
    if y_open is None:
        return None
    stages = FixedStages(form, y_open, options, None)
    out = stages.value_stage(options.time_limit)
    if not out.ok or stages.basis is None:
        return None
    basis = in_full(form, stages.fixed, stages.basis)
    basis.col_status[form.cols("y")[y_open]] = AT_UPPER
    session.warm_start(basis)
    return stages


def warm_stages(
    form: Formulation, options: SolverOptions, warm: WarmStart | None
) -> FixedStages | None:
    """Re-plan: keep the earlier plan's setups and solve their fixed-setup LP (stage 1) from the
    earlier basis; if the Lagrangian bound of its duals (or, for a what-if that only takes
    something away, the earlier plan's own bound) proves the gap, the relaxation need not be
    solved. ``None`` without earlier setups."""
    previous = previous_decisions(form, warm)
    if previous is None or warm is None:
        return None
    stages = FixedStages(form, previous, options, warm.basis)
    stages.value_stage(options.time_limit, primal=warm.reshaped)
    if warm.problem is not None and restricts(form.problem, warm.problem):
        stages.bound = min(stages.bound, warm.bound)  # nothing new is allowed: still a bound
    if warm.prices is not None and not stages.proves(options.mip_gap * WARM_GAP_SHARE):
        # the bound holds for any prices: also try the earlier relaxation's, and halfway
        old = _prices_for(form, warm.prices)
        if stages.stage1 is not None and stages.stage1.status is SolveStatus.OPTIMAL:
            half = 0.5 * (old + stages.row_duals())
            stages.bound = min(stages.bound, lagrangian_bound(form, half))
        stages.bound = min(stages.bound, lagrangian_bound(form, old))
    return stages


def _prices_for(form: Formulation, prices: Prices) -> FloatArray:
    """Earlier row prices on this model's rows, matched by key (0 for rows new to it)."""
    _, here, there = np.intersect1d(form.model.row_key, prices.row_key, return_indices=True)
    out = np.zeros(len(form.model.row_key))
    out[here] = prices.row_dual[there]
    return out


def previous_decisions(form: Formulation, warm: WarmStart | None) -> BoolArray | None:
    """Open each line the earlier plan produced on, in the segment of its first month."""
    if warm is None or not warm.first_month:
        return None
    ids = form.problem.line_ids
    first = np.array([warm.first_month.get(ids[line], -1) for line in form.y_line], dtype=np.int64)
    fits = form.y_start <= first
    # the latest fitting start per line: y columns are sorted by (line, start)
    later_fits = np.zeros(len(fits), dtype=bool)
    same_line_next = np.append(form.y_line[1:] == form.y_line[:-1], False)
    later_fits[:-1] = same_line_next[:-1] & fits[1:]
    return fits & ~later_fits


def _dive(
    form: Formulation,
    options: SolverOptions,
    relaxed: Outcome,
    basis: Basis | None,
    notes: list[str],
) -> tuple[BoolArray, Basis | None]:
    """Relax, fix, re-solve: fix integral setups, open the most-open fractional ones, repeat;
    a fixing that makes the LP infeasible is undone (the line stays closed). The setups that
    are integral in the relaxation are fixed at once and the rounds run on the partly fixed
    model (``fixing.py``: only the fractional lines keep their opening rows), which has the
    relaxation's optimum and re-solves much faster. Returns the setups and a basis of the full
    model's index space for the fixed-setup stages."""
    value = relaxed.col_value[form.cols("y")]
    integral = value >= 1 - EPS
    free = np.zeros(len(form.problem.line_ids), dtype=bool)
    free[form.y_line[(value > EPS) & (value < 1 - EPS)]] = True
    if not free.any():
        return integral, basis
    part = fix_setups(form, integral, free)
    session = Session(part.model, options)
    session.maximize(part.model.value_cost)
    if basis is not None:
        session.warm_start(fixed_basis(form, part, basis))
    mine = free[form.y_line]
    y = np.searchsorted(part.cols, form.cols("y")[mine])
    decided = _dive_rounds(session, y, value[mine], notes)
    y_open = integral & ~mine
    y_open[mine] = decided
    # the LP with every setup fixed, hot: its basis starts the fixed-setup stages with (almost)
    # no repair, since only the few fractional lines' rows are left to drop
    session.set_bounds(y, decided.astype(np.float64), decided.astype(np.float64))
    session.solve()
    last = session.basis()
    return y_open, in_full(form, part, last) if last is not None else None


def _dive_rounds(session: Session, y: IntArray, start: FloatArray, notes: list[str]) -> BoolArray:
    """The dive's rounds on the ``y`` columns of ``session`` from their values ``start``."""
    lower, upper = np.zeros(len(y)), np.ones(len(y))
    value, solved = start, True
    for _ in range(DIVE_ROUNDS):
        free = lower < upper
        lower[free & (value >= 1 - EPS)] = 1.0
        upper[free & (value <= EPS)] = 0.0
        frac = free & (value > EPS) & (value < 1 - EPS)
        if not frac.any():
            break
        up = frac & (value >= min(0.5, float(value[frac].max())))
        lower[up] = 1.0
        session.set_bounds(y, lower, upper)
        trial = session.solve()
        if not trial.ok:
            lower[up], upper[up] = 0.0, 0.0
            notes.append(f"{int(up.sum())} setup(s) could not be financed and stay closed")
            session.set_bounds(y, lower, upper)
            trial = session.solve()
        solved = trial.ok
        if not solved:
            break
        value = trial.col_value[y]
    if solved:
        return (lower >= 1.0) | ((lower < upper) & (value >= 1 - EPS))
    return lower >= 1.0
