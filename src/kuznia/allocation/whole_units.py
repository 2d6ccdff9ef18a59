"""Whole units exactly: the per-unit model (``formulation.define_unit_funding``) as a MILP.

Where a unit is expensive, few are made a month, or a budget buys only a handful, rounding an
LP loses whole units of value and the LP's bound promises units nobody can pay for. So every
model small enough (``strategy.WHOLE_UNITS_MAX_COLS``, set by measurement) is solved with
production and units per pledge whole, in three steps that each keep what the last
one found:

1. the pooled MILP with binary setups (quick: money pooled, production continuous): its dual
   bound bounds every valid plan, and its setups are a good guess;
2. the per-unit MILP with those setups fixed (an integer stage: no binaries left, only whole
   units); its plan is whole already, so rounding changes nothing. Once its root is solved, a
   dual bound below what the gap needs (step 1's bound less the gap) shows that no plan with
   these setups meets the gap: step 2 stops there with the plan its root found (measured on the
   lumpy benchmark's slowest scenario: the final plan found at the root, then 344 nodes spent
   proving a bound step 3 must prove again);
3. only if step 2's plan is not within the configured gap of the bound and time is left: the
   exact MILP, binary setups and all, started from step 2's plan, until HiGHS proves the gap
   or the time runs out; its dual bound tightens the plan's.

Steps 2 and 3 and the spend stage run without sub-MIP heuristics (RINS, RENS:
``Session.skip_sub_mip_heuristics``): measured on the lumpy benchmark, they took most of a
root (lumpy seed 12: 58 sub-MIPs, 2.6 of a 3.4 s solve); its seven slowest scenarios (seeds 3,
7, 9-12, 17) took 3.3 s together instead of 4.6 s, and all 20 plans stayed within the gap of the
exact optimum (seed 3's plan is 0.03% below it instead of at it).

Then ``finish``: the LP with setups fixed for the marginal values, and the least spend at the
whole-unit plan's value.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kuznia.allocation.finish import finish, whole_unit_cols
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray, restricts
from kuznia.allocation.relax_fix import previous_decisions
from kuznia.allocation.solved import Method, Progress, Solved, WarmStart, failed
from kuznia.allocation.solver import Outcome, Session, SolverOptions

SETUPS_SHARE = 0.25  # of the time limit for step 1 ...
SETUPS_MAX_SECONDS = 10.0  # ... but no more
FIXED_SHARE = 0.25  # of the time limit for step 2
EXACT_SHARE = 0.8  # of the time left for step 3; the rest is for the spend stage


def solve_whole_units(
    pooled: Formulation,
    unit: Formulation,
    options: SolverOptions,
    start: float,
    warm: WarmStart | None = None,
) -> Solved:
    """Plan with whole units (the module docstring); ``pooled`` and ``unit`` are the pooled and
    the per-unit formulation of one problem. A re-plan that only takes something away from the
    earlier scenario (``problem.restricts``) skips step 1: the earlier plan's bound still holds
    and its setups are the guess."""
    options = one_thread(options)
    progress = Progress(np.zeros(len(unit.y_line), bool), np.inf, Method.MILP_UNITS, start)
    guess = _earlier_setups(unit, warm, progress)
    if guess is None:
        guess = _pooled_setups(pooled, unit, options, progress)
    session = Session(unit.model, options)
    session.maximize(unit.model.value_cost)
    session.set_integer(whole_unit_cols(unit), integer=True)
    session.skip_sub_mip_heuristics()  # steps 2 and 3 and the spend stage (module docstring)
    best = _fixed_setups(session, unit, options, progress) if guess is not None else None
    if best is None or _gap(progress.bound, best.objective) > options.mip_gap:
        best = _exact(session, unit, options, progress, best)
    session.set_integer(whole_unit_cols(unit), integer=False)
    session.set_integer(unit.cols("y"), integer=False)
    if not best.ok:
        return failed(unit, best, progress)
    return finish(session, unit, options, progress, incumbent=best)


def one_thread(options: SolverOptions) -> SolverOptions:
    """These small MILPs on one thread unless the caller chose a number: HiGHS's search then
    does not depend on the machine's cores (the same plan on 2 cores and on 16), and, measured
    on the lumpy benchmark's slowest scenario, it proves the gap in 465 nodes instead of 910
    (two workers; at load 6: 3.0-3.3 s instead of 6.3-6.5 s)."""
    return dataclasses.replace(options, threads=1) if options.threads == 0 else options


def _gap(bound: float, value: float) -> float:
    return max(0.0, bound - value) / bound if bound > 1e-9 else 0.0


def _earlier_setups(
    unit: Formulation, warm: WarmStart | None, progress: Progress
) -> BoolArray | None:
    """The earlier plan's setups and bound, for a re-plan whose scenario it bounds."""
    if warm is None or warm.problem is None or not restricts(unit.problem, warm.problem):
        return None
    previous = previous_decisions(unit, warm)
    if previous is None:
        return None
    progress.bound, progress.y_open = warm.bound, previous
    return previous


def _pooled_setups(
    pooled: Formulation, unit: Formulation, options: SolverOptions, progress: Progress
) -> BoolArray | None:
    """Step 1: the pooled MILP with binary setups (an LP without setups); its bound goes into
    ``progress``, its setups (as ``unit``'s y columns) into ``progress.y_open``."""
    session = Session(pooled.model, options)
    session.maximize(pooled.model.value_cost)
    y = pooled.cols("y")
    session.set_integer(y, integer=True)
    session.set_time_limit(min(options.time_limit * SETUPS_SHARE, SETUPS_MAX_SECONDS))
    out = session.solve()
    if not out.ok:
        return None
    progress.bound = max(out.bound, out.objective) if len(y) else out.objective
    opened = pooled.model.col_key[y[out.col_value[y] > 0.5]]
    progress.y_open = np.isin(unit.model.col_key[unit.cols("y")], opened)
    return progress.y_open


def _fixed_setups(
    session: Session, unit: Formulation, options: SolverOptions, progress: Progress
) -> Outcome | None:
    """Step 2: whole units with the setups of ``progress.y_open`` fixed; ``None`` if they
    cannot all be paid for and reach their lots (the exact MILP then chooses others)."""
    fixed = progress.y_open.astype(np.float64)
    session.set_bounds(unit.cols("y"), fixed, fixed)
    session.set_time_limit(min(options.time_limit * FIXED_SHARE, progress.left(options)))
    needed = progress.bound * (1 - options.mip_gap)
    session.interrupt_when(lambda nodes, bound: nodes >= 1 and bound < needed)
    out = session.solve()
    session.interrupt_when(None)
    return out if out.ok else None


def _exact(
    session: Session,
    unit: Formulation,
    options: SolverOptions,
    progress: Progress,
    best: Outcome | None,
) -> Outcome:
    """Step 3: the exact MILP from ``best`` (if any) with the time left; the better of the two
    plans, and its dual bound folded into ``progress``."""
    y = unit.cols("y")
    session.set_bounds(y, np.zeros(len(y)), np.ones(len(y)))
    session.set_integer(y, integer=True)
    if best is not None:
        session.set_solution(best.col_value)
    session.set_time_limit(progress.left(options) * EXACT_SHARE)
    out = session.solve()
    if out.ok:
        progress.bound = min(progress.bound, max(out.bound, out.objective))
    if best is None or (out.ok and out.objective >= best.objective):
        progress.y_open = out.col_value[y] > 0.5 if out.ok else progress.y_open
        progress.method = Method.MILP
        return out
    return best
