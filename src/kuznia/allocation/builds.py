"""Which capacity projects to build and when: the joint model's build decisions and capex.

The joint model is the pooled (or, small, the per-unit) formulation of the scenario's lines
*and* of one line per buildable project, plus, per project j and candidate start b
(``projects.py``):

* ``z[j,b]`` in {0,1}: j is built from month b; ``sum_b z[j,b] <= 1``;
* ``x[j,m] - sum_b cap_b(j,m) z[j,b] <= 0``: the project line produces only once built, at the
  capacity of a line with ``lead = b + build_months`` (its columns' bounds are the capacity of
  the earliest start, which no later start exceeds);
* ``capex_j z[j,b] = sum_p k[p,j,b]`` over payers that may invest in j and are valid in b, with
  ``k`` in the payers' budget rows (rule 9) and in total spend.

Production money comes only from production-purpose pledges (``problem._eligibility``, rule 8).
The model is solved for maximal value, then for least spend at that value (so a project that
adds nothing is not built), as an exact MILP when small (whole units, binary setups and builds),
a MILP with binary setups and builds when medium, and otherwise as the LP relaxation whose builds
are rounded (a project is built at its likeliest start when its build variables sum to at least
one half) and, if any was fractional, fixed, the LP re-solved for the capex payers.
``Choice.bound`` (the MILP's dual bound, or the LP's value) bounds every valid joint plan.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from kuznia.allocation.builder import (
    INF,
    MONEY_SCALE,
    R_BUILD_ONE,
    R_BUILT,
    R_CAPEX,
    Builder,
    K,
    Production,
    Z,
    key,
)
from kuznia.allocation.capex import split_capex
from kuznia.allocation.formulation import Formulation, build_formulation
from kuznia.allocation.payers import payer_groups
from kuznia.allocation.problem import BoolArray, FloatArray, IntArray, Problem, build_problem
from kuznia.allocation.projects import Projects, capacity_if_built
from kuznia.allocation.relax_fix import crash
from kuznia.allocation.solved import WarmStart
from kuznia.allocation.solver import Basis, Outcome, Session, SolverOptions
from kuznia.allocation.strategy import (
    SETUP_MILP_MAX_INTEGERS,
    SETUP_MILP_MAX_NNZ,
    WHOLE_UNITS_MAX_COLS,
)
from kuznia.scenario import projects as scenario_projects
from kuznia.scenario.model import Scenario

BUILD_SHARE = 0.4  # of the time limit for the joint model; the rest is for the plan itself


class BuildCols(NamedTuple):
    """The build columns ``z`` (one per candidate start) and capex columns ``k``."""

    z_first: int
    k_first: int
    k_start: IntArray  # (K,) candidate start of each k column
    k_payer: IntArray  # (K,) payer of each k column


@dataclass(frozen=True)
class Choice:
    """The builds (project index -> start month index), who pays each capex (cents per
    ``(project, pledge)``), the joint model's upper bound on the value (None: nothing to
    build), how it was found and how long it took."""

    start: dict[int, int] = field(default_factory=dict)
    capex: dict[tuple[int, int], int] = field(default_factory=dict)
    bound: float | None = None
    method: str = "none"
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    basis: Basis | None = None  # the joint LP's optimal basis (large models: the plan's start)


def joint_problem(s: Scenario, pr: Projects) -> tuple[Problem, dict[int, int]]:
    """The scenario's lines plus one line per buildable project (at its earliest candidate
    start), and the line index of each such project."""
    buildable = sorted({int(j) for j in pr.start_project})
    first = {j: int(pr.start_month[pr.start_project == j].min()) for j in buildable}
    lines = s.proposals + tuple(scenario_projects.line_of(pr.items[j], first[j]) for j in buildable)
    joint = s.model_copy(update={"proposals": lines, "projects": ()})
    return build_problem(joint), {j: len(s.proposals) + i for i, j in enumerate(buildable)}


def define_builds(pr: Projects, line_of: dict[int, int], horizon: int):  # type: ignore[no-untyped-def]
    """The ``extend`` step of ``build_formulation`` adding the module docstring's rows."""

    def extend(
        q: Problem, b: Builder, x: Production, budget_row: int, payer_of: IntArray
    ) -> BuildCols:
        starts = np.arange(len(pr.start_project))
        z_first = b.add_cols(0.0, 1.0, key(Z, pr.start_project, pr.start_month))
        _built_rows(pr, line_of, horizon, b, x, z_first)
        counts = np.bincount(pr.start_project, minlength=len(pr.items))
        multi = np.nonzero(counts > 1)[0]
        one = np.full(len(pr.items), -1, dtype=np.int64)
        one[multi] = b.add_rows(-INF, 1.0, key(R_BUILD_ONE, multi, multi * 0)) + np.arange(
            len(multi)
        )
        in_multi = np.nonzero(one[pr.start_project] >= 0)[0]
        b.add(one[pr.start_project[in_multi]], z_first + in_multi, 1.0)
        first_pledge = np.full(len(q.pledge_ids), len(payer_of), dtype=np.int64)
        np.minimum.at(first_pledge, payer_of, np.arange(len(payer_of)))
        invest = pr.eligible[:, first_pledge]
        allowed = invest[pr.start_project] & q.valid[:, pr.start_month].T
        k_start, k_payer = np.nonzero(allowed.reshape(len(starts), len(q.pledge_ids)))
        rows = b.add_rows(0.0, 0.0, key(R_CAPEX, pr.start_project, pr.start_month)) + starts
        b.add(rows, z_first + starts, pr.capex[pr.start_project].astype(np.float64) * MONEY_SCALE)
        k_first = b.add_cols(0.0, INF, key(K, k_payer, k_start), spend=1.0)
        k_cols = k_first + np.arange(len(k_start))
        b.add(rows[k_start], k_cols, -1.0)
        b.add(budget_row + k_payer, k_cols, 1.0)
        return BuildCols(z_first, k_first, k_start, k_payer)

    return extend


def _built_rows(
    pr: Projects, line_of: dict[int, int], horizon: int, b: Builder, x: Production, z_first: int
) -> None:
    """``x[j,m] - sum_b cap_b(j,m) z[j,b] <= 0`` for every production column of a project."""
    project_of = np.full(int(x.line.max(initial=-1)) + 1 + len(line_of), -1, dtype=np.int64)
    for j, line in line_of.items():
        if line < len(project_of):
            project_of[line] = j
    of_x = project_of[x.line] if len(x.line) else np.zeros(0, np.int64)
    sel = np.nonzero(of_x >= 0)[0]
    rows = b.add_rows(-INF, 0.0, key(R_BUILT, x.line[sel], x.month[sel])) + np.arange(len(sel))
    b.add(rows, x.first + sel, 1.0)
    for s, (j, start) in enumerate(zip(pr.start_project, pr.start_month, strict=True)):
        mine = np.nonzero(of_x[sel] == j)[0]
        cap = capacity_if_built(pr.items[int(j)], int(start), horizon)[x.month[sel[mine]]]
        on = cap > 0
        b.add(rows[mine[on]], np.full(int(on.sum()), z_first + s), -cap[on].astype(np.float64))


def choose_builds(
    s: Scenario, pr: Projects, options: SolverOptions, openings: dict[str, int] | None = None
) -> Choice:
    """Solve the joint model (module docstring) for the builds and their capex payers; a large
    one's relaxation starts from the fixed-setup LP of ``openings`` (line id -> first month, the
    greedy baseline's), as the engine's relaxation does (``relax_fix.crash``)."""
    start = time.perf_counter()
    if not len(pr.start_project):
        return Choice()
    problem, line_of = joint_problem(s, pr)
    extend = define_builds(pr, line_of, problem.horizon)
    eligibility = np.vstack([problem.eligible, pr.eligible])
    groups = payer_groups(dataclasses.replace(problem, eligible=eligibility))
    form = build_formulation(problem, payer_of=groups, extend=extend)
    integers, method = _integers(form), "builds-milp"
    if _medium(form):
        unit = build_formulation(problem, per_unit=True, extend=extend)
        if len(unit.model.col_lower) <= WHOLE_UNITS_MAX_COLS:
            form, method = unit, "builds-milp-units"
            integers = np.concatenate([unit.cols("x"), unit.cols("f"), _integers(unit)])
    else:
        integers, method = np.zeros(0, dtype=np.int64), "builds-lp"
    heuristic = WarmStart(first_month=openings) if openings and not len(integers) else None
    return _solve(form, problem, pr, options, integers, method, start, heuristic)


def _integers(form: Formulation) -> IntArray:
    cols: BuildCols = form.extension
    z = np.arange(cols.z_first, cols.k_first, dtype=np.int64)
    return np.concatenate([form.cols("y"), z])


def _medium(form: Formulation) -> bool:
    size = len(_integers(form))
    return size <= SETUP_MILP_MAX_INTEGERS and form.model.nnz <= SETUP_MILP_MAX_NNZ


def _solve(
    form: Formulation,
    problem: Problem,
    pr: Projects,
    options: SolverOptions,
    integers: IntArray,
    method: str,
    start: float,
    heuristic: WarmStart | None = None,
) -> Choice:
    cols: BuildCols = form.extension
    z = np.arange(cols.z_first, cols.k_first, dtype=np.int64)
    session = Session(form.model, options)
    if heuristic is not None and len(form.y_line):
        crash(session, form, options, heuristic)
    session.maximize(form.model.value_cost)
    session.set_integer(integers, integer=True)
    session.set_time_limit(options.time_limit * BUILD_SHARE)
    first = session.solve()
    if not first.ok:
        note = f"the joint model stopped with status {first.status}; nothing is built"
        return Choice(method=method, seconds=time.perf_counter() - start, notes=(note,))
    bound = max(first.bound, first.objective) if len(integers) else first.objective
    basis = session.basis() if not len(integers) else None
    session.keep_value_minimise_spend(first.objective)
    if len(integers):
        session.set_solution(first.col_value)
    second = session.solve()
    final = second if second.ok else first
    chosen = _rounded(pr, final.col_value[z])
    if not len(integers) and np.abs(final.col_value[z] - chosen).max(initial=0.0) > 1e-6:
        final = _fixed(session, form, z, chosen, final)
    starts = np.nonzero(chosen)[0]
    k = final.col_value[cols.k_first : cols.k_first + len(cols.k_start)]
    built, capex, notes = split_capex(problem, pr, form.payer_of, starts, cols, k)
    seconds = time.perf_counter() - start
    return Choice(built, capex, bound, method, seconds, tuple(notes), basis)


def _rounded(pr: Projects, z: FloatArray) -> BoolArray:
    """One start per project whose build variables sum to at least one half: the likeliest."""
    chosen = np.zeros(len(z), dtype=bool)
    for j in np.unique(pr.start_project):
        mine = np.nonzero(pr.start_project == j)[0]
        if z[mine].sum() >= 0.5 - 1e-9:
            chosen[mine[int(np.argmax(z[mine]))]] = True
    return chosen


def _fixed(
    session: Session,
    form: Formulation,
    z: IntArray,
    chosen: BoolArray,
    last: Outcome,
) -> Outcome:
    """The LP with the rounded builds fixed, for value (the spend row dropped): its capex."""
    session.set_row_bounds(len(form.model.row_lower), -INF, INF)
    session.set_bounds(z, chosen.astype(np.float64), chosen.astype(np.float64))
    session.maximize(form.model.value_cost)
    out = session.solve()
    return out if out.ok else last
