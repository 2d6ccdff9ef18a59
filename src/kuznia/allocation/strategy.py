"""How the model is solved: exact MILP when small, pooled MILP when medium, otherwise relax,
dive and fix; then the fixed-setup stages (``stages.py``: value with its duals, then least spend).

Stage 1 maximises value ``sum v(r,a) d[r,a]`` with the setups ``y`` fixed: its budget-row duals
are the marginal values (value per 1,000,000 of base currency) "with integer decisions fixed".
Stage 2 adds ``value >= V1 - tol`` and minimises ``sum f + sum g`` (total spend), so among plans
of maximal value the cheapest is returned.

The proven gap is measured against an upper bound on the true optimum: the smallest of the LP
relaxation's value, the MILP's dual bound and the Lagrangian bound of stage 1's duals
(``bounds.py``). A re-plan keeps the earlier setups and skips the relaxation when that last
bound alone proves the gap.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from kuznia.allocation.bounds import lagrangian_bound
from kuznia.allocation.builder import PER_MILLION
from kuznia.allocation.fixing import fix_setups, fixed_basis, in_full
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray, FloatArray, IntArray
from kuznia.allocation.solver import AT_UPPER, Basis, Outcome, Session, SolverOptions
from kuznia.allocation.stages import FixedStages

EPS = 1e-6
EXACT_MAX_INTEGERS = 60  # y columns; beyond this the relax-fix heuristic is used
EXACT_MAX_COLS = 400  # the exact MILP also makes production and units per pledge integer
SETUP_MILP_MAX_INTEGERS = 1000  # pooled model, binary setups only
SETUP_MILP_MAX_NNZ = 60_000
SETUP_MILP_SECONDS = 10.0
EXACT_TIME_SHARE = 0.4  # of the time limit, for each of the exact MILP's two stages ...
EXACT_MAX_SECONDS = 5.0  # ... but no more: its bound closes slowly (whole units per pledge
# make knapsacks), while its first incumbents are usually optimal already
DIVE_ROUNDS = 4
WARM_GAP_SHARE = 0.8  # of the configured gap a re-plan's own bound must prove (rounding
# to whole units costs a little value after)


Prices = tuple[IntArray, FloatArray]  # row keys, row duals


@dataclass(frozen=True)
class WarmStart:
    """What a later re-plan may reuse: the last basis and which lines were opened when."""

    basis: Basis | None = None
    first_month: Mapping[str, int] = field(default_factory=dict)  # line id -> month index
    prices: Prices | None = None  # the last LP relaxation's row duals, by row key


@dataclass(frozen=True)
class Solved:
    """The solver's answer in the formulation's column space, plus what it proves."""

    status: str  # optimal | time_limit | infeasible | error
    col_value: FloatArray
    y_open: BoolArray
    bound: float
    method: str
    budget_dual: FloatArray
    seconds: float
    basis: Basis | None
    notes: list[str] = field(default_factory=list)
    prices: Prices | None = None  # the LP relaxation's row duals, by row key, if solved


def solve(
    form: Formulation,
    options: SolverOptions,
    warm: WarmStart | None = None,
    crash: WarmStart | None = None,
) -> Solved:
    """Run the strategy on a formulation; never raises for infeasible or timed-out models.
    ``crash``: setups of a quick heuristic plan (the greedy baseline's), whose fixed-setup LP
    gives a cold relaxation its first basis."""
    start = time.perf_counter()
    if len(form.model.col_lower) == 0:
        return _nothing_to_decide(form, start)
    y = form.cols("y")
    pooled = not form.per_unit and len(y) > 0
    earlier = _warm_stages(form, options, warm) if pooled else None
    if earlier is not None and earlier.proves(options.mip_gap * WARM_GAP_SHARE):
        method = "milp-setups+warm" if _medium(form) else "relax-fix+warm"
        solved = _staged(earlier, options, (np.inf, method, start, []))
        return dataclasses.replace(solved, prices=warm.prices if warm else None)
    session = Session(form.model, options)
    session.set_time_limit(options.time_limit)
    fallback = earlier
    if warm is not None and warm.basis is not None:
        session.warm_start(warm.basis)
    elif pooled and not _medium(form):
        fallback = _crash(session, form, options, crash)
        session.set_time_limit(_left(options, start))
    session.maximize(form.model.value_cost)
    notes: list[str] = []
    if form.per_unit:
        session.set_time_limit(min(options.time_limit * EXACT_TIME_SHARE, EXACT_MAX_SECONDS))
        first, y_open, bound, method = _exact(session, form)
    elif len(y) == 0:
        first, method = session.solve(), "lp"
        y_open, bound = np.zeros(0, dtype=bool), first.objective
    elif _medium(form):
        session.set_time_limit(min(options.time_limit * EXACT_TIME_SHARE, SETUP_MILP_SECONDS))
        first, y_open, bound, method = _exact(session, form)
    else:
        return _relax_fix(session, form, options, (earlier, fallback), start)
    if not first.ok:
        return _failed(form, first, time.perf_counter() - start, notes)
    incumbent = first if form.per_unit else None
    ctx = (y_open, bound, method, start, notes)
    return _finish(session, form, options, ctx, incumbent)


def _medium(form: Formulation) -> bool:
    """Small enough for the pooled MILP with binary setups."""
    return len(form.y_line) <= SETUP_MILP_MAX_INTEGERS and form.model.nnz <= SETUP_MILP_MAX_NNZ


def _relax_fix(
    session: Session,
    form: Formulation,
    options: SolverOptions,
    setups: tuple[FixedStages | None, FixedStages | None],
    start: float,
) -> Solved:
    """Relax, dive, fix: the relaxation's value is a bound; the dive chooses the setups and the
    fixed-setup stages run on the small model from the dive's last basis. On a re-plan whose
    earlier setups did not prove the gap by themselves (``earlier``), the relaxation (started
    from the earlier basis) proves it for those setups instead. If the relaxation does not
    finish in time, the ``fallback`` setups (the earlier plan's, or the greedy baseline's) are
    kept, bounded by their own LP's duals, rather than returning an empty plan."""
    earlier, fallback = setups
    notes: list[str] = []
    relaxed = session.solve()
    if not relaxed.ok and fallback is not None and _solved(fallback):
        notes.append(
            "the LP relaxation did not reach its optimum (time limit or solver error): the setups "
            "are the earlier plan's or the greedy baseline's, and the bound is that of their own LP"
        )
        return _staged(fallback, options, (np.inf, "fix", start, notes))
    if not relaxed.ok:
        return _failed(form, relaxed, time.perf_counter() - start, notes)
    prices = (form.model.row_key, relaxed.row_dual)
    if earlier is not None and _solved(earlier):
        solved = _staged(earlier, options, (relaxed.objective, "relax-fix+warm", start, notes))
        return dataclasses.replace(solved, prices=prices)
    y_open, basis = _dive(form, options, relaxed, session.basis(), notes)
    stages = FixedStages(form, y_open, options, None, full=basis)
    solved = _staged(stages, options, (relaxed.objective, "relax-fix", start, notes))
    return dataclasses.replace(solved, prices=prices)


def _solved(stages: FixedStages) -> bool:
    return stages.stage1 is not None and stages.stage1.ok


def _crash(
    session: Session, form: Formulation, options: SolverOptions, crash: WarmStart | None
) -> FixedStages | None:
    """Start the relaxation from the optimal basis of the fixed-setup LP of the heuristic's
    setups (opened setups at 1, every opening row basic). From there the dual simplex has far
    less to do than from the slack basis (stress: 37k iterations, 8.7 s, after 6 s for that LP,
    instead of 75k iterations, 51 s). Returns those stages: the plan to fall back on if the
    relaxation does not finish in time."""
    y_open = _previous_decisions(form, crash)
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


def _warm_stages(
    form: Formulation, options: SolverOptions, warm: WarmStart | None
) -> FixedStages | None:
    """Re-plan: keep the earlier plan's setups and solve their fixed-setup LP (stage 1) from the
    earlier basis; if the Lagrangian bound of its duals proves the gap, the relaxation need not
    be solved. ``None`` without earlier setups."""
    previous = _previous_decisions(form, warm)
    if previous is None or warm is None:
        return None
    stages = FixedStages(form, previous, options, warm.basis)
    stages.value_stage(options.time_limit)
    if warm.prices is not None and not stages.proves(options.mip_gap * WARM_GAP_SHARE):
        # the bound holds for any prices: also try the earlier relaxation's, and halfway
        old = _prices_for(form, warm.prices)
        if stages.stage1 is not None and stages.stage1.status == "optimal":
            half = 0.5 * (old + stages.row_duals())
            stages.bound = min(stages.bound, lagrangian_bound(form, half))
        stages.bound = min(stages.bound, lagrangian_bound(form, old))
    return stages


def _prices_for(form: Formulation, prices: Prices) -> FloatArray:
    """Earlier row prices on this model's rows, matched by key (0 for rows new to it)."""
    keys, duals = prices
    _, here, there = np.intersect1d(form.model.row_key, keys, return_indices=True)
    out = np.zeros(len(form.model.row_key))
    out[here] = duals[there]
    return out


def _staged(
    stages: FixedStages, options: SolverOptions, ctx: tuple[float, str, float, list[str]]
) -> Solved:
    """Both fixed-setup stages (stage 1 only if not yet solved); the bound is the smaller of
    ``relaxed`` (the LP relaxation's value, or inf) and stage 1's Lagrangian bound."""
    relaxed, method, start, notes = ctx
    form = stages.form
    stage1 = (
        stages.stage1 if stages.stage1 is not None else stages.value_stage(_left(options, start))
    )
    if not stage1.ok:
        return _failed(form, stage1, time.perf_counter() - start, notes)
    dual = _budget_duals(form, stages.row_duals(), stages.row_values())
    stage2 = stages.spend_stage(_left(options, start))
    final = stage2 if stage2.ok else stage1
    if not stage2.ok:
        notes.append("the spend-minimising stage did not finish; spend may not be minimal")
    status = "time_limit" if "time_limit" in {stage1.status, stage2.status} else "optimal"
    return Solved(
        status=status,
        col_value=stages.full_cols(final),
        y_open=stages.y_open,
        bound=min(relaxed, stages.bound),
        method=method,
        budget_dual=dual,
        seconds=time.perf_counter() - start,
        basis=stages.basis,
        notes=notes,
    )


def is_small(form: Formulation) -> bool:
    """Small enough for the exact MILP (integer units per pledge, binary setups)."""
    if len(form.y_line) > EXACT_MAX_INTEGERS or len(form.x_line) > EXACT_MAX_COLS:
        return False
    n_pairs = int((form.problem.eligible[form.x_line] & form.problem.valid.T[form.x_month]).sum())
    return len(form.x_line) + n_pairs <= EXACT_MAX_COLS


def _exact(session: Session, form: Formulation) -> tuple[Outcome, BoolArray, float, str]:
    """The MILP with binary setups (and, per unit, integer units per pledge) to the gap."""
    y = form.cols("y")
    x = np.concatenate([form.cols("x"), form.cols("f")]) if form.per_unit else y[:0]
    session.set_integer(y, integer=True)
    session.set_integer(x, integer=True)
    out = session.solve()
    session.set_integer(y, integer=False)
    session.set_integer(x, integer=False)  # stage 1 re-solves the LP for duals; stage 2 restores it
    if not out.ok:
        return out, np.zeros(len(y), dtype=bool), 0.0, "milp"
    method = "milp" if form.per_unit else "milp-setups"
    return out, out.col_value[y] > 0.5, max(out.bound, out.objective), method


def _left(options: SolverOptions, start: float) -> float:
    return options.time_limit - (time.perf_counter() - start)


def _previous_decisions(form: Formulation, warm: WarmStart | None) -> BoolArray | None:
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


def _finish(
    session: Session,
    form: Formulation,
    options: SolverOptions,
    ctx: tuple[BoolArray, float, str, float, list[str]],
    incumbent: Outcome | None = None,
) -> Solved:
    """Fix setups, re-solve for value and duals, then minimise spend at that value (the MILP's
    value when production is integer in the solver, the LP's otherwise)."""
    y_open, bound, method, start, notes = ctx
    y = form.cols("y")
    fixed = y_open.astype(np.float64)
    session.set_bounds(y, fixed, fixed)
    session.set_time_limit(_left(options, start))
    stage1 = session.solve()
    if not stage1.ok:
        return _failed(form, stage1, time.perf_counter() - start, notes)
    basis = session.basis()
    if not form.per_unit and len(y) and stage1.status == "optimal":
        bound = min(bound, lagrangian_bound(form, stage1.row_dual))
        if basis is not None:  # what a re-plan's fixed-setup stages start from
            basis = fixed_basis(form, fix_setups(form, y_open), basis)
    dual = _budget_duals(form, stage1.row_dual, stage1.row_value)
    goal = stage1.objective if incumbent is None else min(incumbent.objective, stage1.objective)
    session.keep_value_minimise_spend(goal)
    if incumbent is not None:
        session.set_integer(np.concatenate([form.cols("x"), form.cols("f")]), integer=True)
        session.set_time_limit(min(options.time_limit * EXACT_TIME_SHARE, EXACT_MAX_SECONDS))
    else:  # stage 1's optimum is feasible for stage 2: primal simplex goes on from there
        session.use_primal_simplex(primal=True)
        session.set_time_limit(_left(options, start))
    stage2 = session.solve()
    session.use_primal_simplex(primal=False)
    final = stage2 if stage2.ok else (incumbent or stage1)
    if not stage2.ok:
        notes.append("the spend-minimising stage did not finish; spend may not be minimal")
    status = "time_limit" if "time_limit" in {stage1.status, stage2.status} else "optimal"
    if incumbent is not None and incumbent.status == "time_limit":
        status = "time_limit"
        notes.append("the exact MILP stopped at its time limit; the gap says how far from optimal")
    return Solved(
        status=status,
        col_value=final.col_value,
        y_open=y_open,
        bound=bound,
        method=method,
        budget_dual=dual,
        seconds=time.perf_counter() - start,
        basis=basis,
        notes=notes,
    )


def _budget_duals(form: Formulation, row_dual: FloatArray, row_value: FloatArray) -> FloatArray:
    """Value per 1,000,000 base currency on each pledge: its payer's budget-row dual (per model
    money unit, rescaled), zero where the payer has money left."""
    n = len(form.payers.pledge_ids)
    rows = np.arange(n) + form.budget_row
    slack = form.model.row_upper[rows] - row_value[rows]
    dual = np.where(slack > 1e-6, 0.0, np.clip(row_dual[rows], 0.0, None)) * PER_MILLION
    dual_of_pledge: FloatArray = dual[form.payer_of]
    return dual_of_pledge


def _failed(form: Formulation, out: Outcome, seconds: float, notes: list[str]) -> Solved:
    notes.append(f"the solver stopped with status {out.status}; the plan produces nothing")
    n_p = len(form.problem.pledge_ids)
    return Solved(
        status=out.status if out.status != "optimal" else "error",
        col_value=np.zeros(len(form.model.col_lower)),
        y_open=np.zeros(len(form.y_line), bool),
        bound=max(out.bound, 0.0),
        method="failed",
        budget_dual=np.zeros(n_p),
        seconds=seconds,
        basis=None,
        notes=notes,
    )


def _nothing_to_decide(form: Formulation, start: float) -> Solved:
    """No production can count (no needs, lines or money): the empty plan is optimal."""
    n_p = len(form.problem.pledge_ids)
    return Solved(
        status="optimal",
        col_value=np.zeros(0),
        y_open=np.zeros(0, dtype=bool),
        bound=0.0,
        method="empty",
        budget_dual=np.zeros(n_p),
        seconds=time.perf_counter() - start,
        basis=None,
        notes=["nothing can be produced in time, paid for and delivered: the plan is empty"],
    )
