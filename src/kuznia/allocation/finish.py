"""The last two solves of every strategy, once the setups are chosen.

Stage 1 maximises value ``sum v(r,a) d[r,a]`` with the setups ``y`` fixed: its budget-row duals
are the marginal values (value per 1,000,000 of base currency) "with integer decisions fixed".
Stage 2 adds ``value >= V1 - tol`` and minimises ``sum f + sum g`` (total spend), so among plans
of maximal value the cheapest is returned. On the per-unit model stage 2 keeps production
and units per pledge whole and starts from the whole-unit plan it must not fall
below; on the pooled model it is an LP, and primal simplex goes on from stage 1's optimum.
"""

from __future__ import annotations

import time

import numpy as np

from kuznia.allocation.bounds import lagrangian_bound
from kuznia.allocation.capacity_value import capacity_duals
from kuznia.allocation.fixing import fix_setups, fixed_basis
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.marginal import MoreMoney, Where, more_money
from kuznia.allocation.problem import FloatArray, IntArray
from kuznia.allocation.solved import Progress, Solved, budget_duals, failed
from kuznia.allocation.solver import Basis, Outcome, Session, SolverOptions, SolveStatus
from kuznia.allocation.stages import FixedStages

SPEND_SHARE = 0.4  # of the time limit, for the whole-unit spend stage ...
SPEND_MAX_SECONDS = 5.0  # ... but no more: its first incumbent is the value stage's plan


def whole_unit_cols(form: Formulation) -> IntArray:
    """The columns kept whole in the solver: production and units per pledge (on the per-unit
    model). Deliveries need not be: with whole production every arrival batch is whole, and
    the deliveries step (``deliveries.py``) hands out whole units; measured on the small demo,
    whole deliveries in the MILP made it several times slower (15.7 s instead of 3 s) for no
    value."""
    return np.concatenate([form.cols("x"), form.cols("f")])


def finish(
    session: Session,
    form: Formulation,
    options: SolverOptions,
    progress: Progress,
    incumbent: Outcome | None = None,
) -> Solved:
    """Fix setups, re-solve for value and duals, then minimise spend at that value (the
    ``incumbent`` whole-unit plan's value when there is one, the LP's otherwise)."""
    y = form.cols("y")
    fixed = progress.y_open.astype(np.float64)
    session.set_bounds(y, fixed, fixed)
    session.set_time_limit(progress.left(options))
    stage1 = session.solve()
    if not stage1.ok:
        return failed(form, stage1, progress)
    basis = _after_value_stage(session, form, progress, stage1)
    dual = budget_duals(form, stage1.row_dual, stage1.row_value)
    cap_dual = capacity_duals(form, stage1.col_dual, stage1.row_dual)
    budget_rows = np.arange(len(form.payers.pledge_ids)) + form.budget_row
    lower, upper = form.model.col_lower.copy(), form.model.col_upper.copy()
    lower[y], upper[y] = fixed, fixed
    where = Where(form.model, lower, upper, budget_rows, form.cols("d"))
    more = _more_money(session, form, where, stage1, dual, progress)
    goal = stage1.objective if incumbent is None else min(incumbent.objective, stage1.objective)
    session.keep_value_minimise_spend(goal)
    stage2 = _spend_stage(session, form, options, progress, incumbent)
    final = stage2 if stage2.ok else (incumbent or stage1)
    if not stage2.ok:
        progress.notes.append("the spend-minimising stage did not finish; spend may not be minimal")
    statuses = {stage1.status, stage2.status, incumbent.status if incumbent else stage1.status}
    timed_out = SolveStatus.TIME_LIMIT in statuses
    if incumbent is not None and incumbent.status is SolveStatus.TIME_LIMIT:
        progress.notes.append("the whole-unit MILP stopped at its time limit; the gap says how far")
    return Solved(
        form=form,
        status=SolveStatus.TIME_LIMIT if timed_out else SolveStatus.OPTIMAL,
        col_value=final.col_value,
        y_open=progress.y_open,
        bound=progress.bound,
        method=progress.method,
        budget_dual=dual,
        seconds=time.perf_counter() - progress.start,
        basis=basis,
        notes=progress.notes,
        more_money=more,
        capacity_dual=cap_dual,
    )


def _after_value_stage(
    session: Session, form: Formulation, progress: Progress, stage1: Outcome
) -> Basis | None:
    """Stage 1's basis (as one of the fixed-setup model, which a re-plan starts from) and, on
    the pooled model, the Lagrangian bound of its duals folded into ``progress.bound``."""
    basis = session.basis()
    if not form.per_unit and len(form.y_line) and stage1.status is SolveStatus.OPTIMAL:
        progress.bound = min(progress.bound, lagrangian_bound(form, stage1.row_dual))
        if basis is not None:
            basis = fixed_basis(form, fix_setups(form, progress.y_open), basis)
    return basis


def _spend_stage(
    session: Session,
    form: Formulation,
    options: SolverOptions,
    progress: Progress,
    incumbent: Outcome | None,
) -> Outcome:
    if incumbent is not None:
        session.set_integer(whole_unit_cols(form), integer=True)
        session.set_solution(incumbent.col_value)
        share = min(options.time_limit * SPEND_SHARE, SPEND_MAX_SECONDS)
        session.set_time_limit(min(share, max(progress.left(options), 0.1)))
    else:  # stage 1's optimum is feasible for stage 2: primal simplex goes on from there
        session.use_primal_simplex(primal=True)
        session.set_time_limit(progress.left(options))
    out = session.solve()
    session.use_primal_simplex(primal=False)
    return out


def staged(stages: FixedStages, options: SolverOptions, progress: Progress) -> Solved:
    """Both fixed-setup stages on the fixed model (stage 1 only if not yet solved); the bound is
    the smaller of ``progress.bound`` (the LP relaxation's value, or inf) and stage 1's
    Lagrangian bound."""
    form = stages.form
    stage1 = (
        stages.stage1 if stages.stage1 is not None else stages.value_stage(progress.left(options))
    )
    if not stage1.ok:
        return failed(form, stage1, progress)
    dual = budget_duals(form, stages.row_duals(), stages.row_values())
    col_dual = np.zeros(len(form.model.col_lower))
    col_dual[stages.fixed.cols] = stage1.col_dual
    cap_dual = capacity_duals(form, col_dual, stages.row_duals())
    more = _more_money(stages.session, form, _where(stages), stage1, dual, progress)
    stage2 = stages.spend_stage(progress.left(options))
    final = stage2 if stage2.ok else stage1
    if not stage2.ok:
        progress.notes.append("the spend-minimising stage did not finish; spend may not be minimal")
    timed_out = SolveStatus.TIME_LIMIT in {stage1.status, stage2.status}
    return Solved(
        form=form,
        status=SolveStatus.TIME_LIMIT if timed_out else SolveStatus.OPTIMAL,
        col_value=stages.full_cols(final),
        y_open=stages.y_open,
        bound=min(progress.bound, stages.bound),
        method=progress.method,
        budget_dual=dual,
        seconds=time.perf_counter() - progress.start,
        basis=stages.basis,
        notes=progress.notes,
        more_money=more,
        capacity_dual=cap_dual,
    )


def _more_money(
    session: Session,
    form: Formulation,
    where: Where,
    stage1: Outcome,
    dual: FloatArray,
    progress: Progress,
) -> MoreMoney:
    more = more_money(session, form, where, stage1, dual, time.perf_counter() - progress.start)
    if more.extrapolated:
        progress.notes.append(
            f"marginal units of {more.extrapolated} payer(s) are the rate at the margin times "
            "1,000,000 (no time left to re-solve them with the million added)"
        )
    return more


def _where(stages: FixedStages) -> Where:
    """The budget rows and delivery columns of the fixed-setup model (a budget row without
    columns may be dropped: -1)."""
    form, fixed = stages.form, stages.fixed
    rows = np.arange(len(form.payers.pledge_ids)) + form.budget_row
    at = np.searchsorted(fixed.rows, rows)
    kept = (at < len(fixed.rows)) & (fixed.rows[np.minimum(at, len(fixed.rows) - 1)] == rows)
    model = fixed.model
    return Where(
        model,
        model.col_lower,
        model.col_upper,
        np.where(kept, at, -1),
        np.searchsorted(fixed.cols, form.cols("d")),
    )
