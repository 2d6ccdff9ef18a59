"""The one module that talks to HiGHS (highspy): pass a model in one call, change it, solve it.

Everything else in kuznia sees arrays in and arrays out, so the solver could be swapped here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from kuznia.allocation.builder import Assembled
from kuznia.allocation.problem import FloatArray, IntArray

SOLVER_NAME = "HiGHS"


class SolveStatus(StrEnum):
    """HiGHS's model status, mapped once: what one solve ended with."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    UNBOUNDED = "unbounded"
    INTERRUPTED = "interrupted"  # stopped by ``Session.interrupt_when``, keeping its incumbent
    ERROR = "error"


_STATUS = {
    "kOptimal": SolveStatus.OPTIMAL,
    "kInfeasible": SolveStatus.INFEASIBLE,
    "kTimeLimit": SolveStatus.TIME_LIMIT,
    "kUnbounded": SolveStatus.UNBOUNDED,
    "kObjectiveBound": SolveStatus.OPTIMAL,
    "kObjectiveTarget": SolveStatus.OPTIMAL,
    "kInterrupt": SolveStatus.INTERRUPTED,
}


@dataclass(frozen=True)
class SolverOptions:
    """What the caller may tune; ``mip_gap`` is also the gap below which a plan is ``optimal``."""

    time_limit: float = 300.0
    mip_gap: float = 1e-3
    threads: int = 0  # 0: let HiGHS decide

    def as_dict(self) -> dict[str, float | int | str | bool]:
        return {"time_limit": self.time_limit, "mip_rel_gap": self.mip_gap, "threads": self.threads}


@dataclass(frozen=True)
class Outcome:
    """One solve: its status, values, duals and (for a MILP) its dual bound."""

    status: SolveStatus
    objective: float
    col_value: FloatArray
    row_value: FloatArray
    row_dual: FloatArray
    col_dual: FloatArray
    bound: float
    mip_gap: float
    seconds: float

    @property
    def ok(self) -> bool:
        stopped = {SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT, SolveStatus.INTERRUPTED}
        return self.status in stopped and len(self.col_value) > 0


AT_LOWER, BASIC, AT_UPPER = 0, 1, 2  # HighsBasisStatus values kept in a Basis


@dataclass(frozen=True)
class Basis:
    """A simplex basis with the keys of its columns and rows, so it survives a changed model."""

    col_status: IntArray
    row_status: IntArray
    col_key: IntArray
    row_key: IntArray


@contextmanager
def _quiet_stdout() -> Any:
    """HiGHS prints a banner on stdout when the first instance is made; keep stdout clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    with Path(os.devnull).open("w") as null:
        os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


@cache
def solver_version() -> str:
    with _quiet_stdout():
        return str(highspy.Highs().version())  # type: ignore[no-untyped-call]


def _i32(a: IntArray) -> np.ndarray[Any, np.dtype[np.int32]]:
    return np.ascontiguousarray(a, dtype=np.int32)


_scheduler_threads: list[int] = []
"""The thread count HiGHS's process-wide scheduler was started with (it refuses a solve asking
for another count until the scheduler is reset)."""


def _use_threads(threads: int) -> None:
    """Start HiGHS's scheduler with ``threads`` (0: its default), resetting it if a solve of
    this process asked for another count before (a risk sweep's threads=1 after a plan)."""
    if _scheduler_threads and _scheduler_threads[0] != threads:
        highspy.Highs.resetGlobalScheduler(True)  # noqa: FBT003
    _scheduler_threads[:] = [threads]


Stop = Callable[[int, float], bool]
"""``stop(nodes, dual_bound)``: whether a MILP solve should stop now (``interrupt_when``)."""


class Session:
    """A model loaded into HiGHS, kept so that later solves start from the last basis."""

    def __init__(self, model: Assembled, options: SolverOptions) -> None:
        _use_threads(options.threads)
        with _quiet_stdout():
            self._h = highspy.Highs()  # type: ignore[no-untyped-call]
        self._model = model
        self._extra_rows = 0
        self._stop: Any = None
        h = self._h
        h.setOptionValue("output_flag", False)  # noqa: FBT003
        h.setOptionValue("time_limit", float(options.time_limit))
        h.setOptionValue("mip_rel_gap", float(options.mip_gap))
        if options.threads > 0:
            h.setOptionValue("threads", int(options.threads))
        n_col, n_row = len(model.col_lower), len(model.row_lower)
        h.passModel(
            n_col, n_row, model.nnz, 1, -1, 0.0, model.value_cost, model.col_lower,
            model.col_upper, model.row_lower, model.row_upper, _i32(model.a_start[:-1]) if n_col
            else np.zeros(0, np.int32), _i32(model.a_index), model.a_value,
            np.zeros(n_col, dtype=np.int32),
        )  # fmt: skip

    def interrupt_when(self, stop: Stop | None) -> None:
        """Stop the following MILP solves once ``stop(nodes, dual_bound)`` holds (HiGHS asks at
        points of its search; the solve keeps its incumbent and ends ``INTERRUPTED``); ``None``
        asks no more."""
        h = self._h
        if self._stop is not None:
            h.cbMipInterrupt.unsubscribe(self._stop)
            self._stop = None
        if stop is None:
            return

        def check(event: Any) -> None:
            out = event.data_out  # HiGHS keeps data_in between solves: set it either way
            event.data_in.user_interrupt = bool(stop(int(out.mip_node_count), out.mip_dual_bound))

        h.cbMipInterrupt.subscribe(check)
        self._stop = check

    def skip_sub_mip_heuristics(self) -> None:
        """No sub-MIP heuristics (RINS, RENS) in the following MILP solves: for a MILP started
        from a plan that is already good, where they cost most of the root and rarely improve
        the plan (measured on a lumpy scenario: 58 sub-MIPs, 2.6 s of a 3.4 s solve)."""
        self._h.setOptionValue("mip_heuristic_run_rins", False)  # noqa: FBT003
        self._h.setOptionValue("mip_heuristic_run_rens", False)  # noqa: FBT003

    def maximize(self, cost: FloatArray) -> None:
        self._set_cost(cost, highspy.ObjSense.kMaximize)

    def minimize(self, cost: FloatArray) -> None:
        self._set_cost(cost, highspy.ObjSense.kMinimize)

    def _set_cost(self, cost: FloatArray, sense: Any) -> None:
        idx = np.arange(len(cost), dtype=np.int32)
        self._h.changeColsCost(len(cost), idx, np.asarray(cost, dtype=np.float64))
        self._h.changeObjectiveSense(sense)

    def set_bounds(self, cols: IntArray, lower: FloatArray, upper: FloatArray) -> None:
        if len(cols):
            lo = np.broadcast_to(np.asarray(lower, dtype=np.float64), cols.shape).copy()
            hi = np.broadcast_to(np.asarray(upper, dtype=np.float64), cols.shape).copy()
            self._h.changeColsBounds(len(cols), _i32(cols), lo, hi)

    def row_bounds(self, rows: IntArray) -> tuple[list[float], list[float]]:
        """The bounds of ``rows`` as the model was passed (callers change them back)."""
        return self._model.row_lower[rows].tolist(), self._model.row_upper[rows].tolist()

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self._h.changeRowBounds(int(row), float(lower), float(upper))

    def rhs_directions(self, rows: IntArray) -> FloatArray:
        """(len(rows), cols): how the columns of the last LP's optimal basis move per unit more
        on the bound of each row (nonbasic, i.e. tight): ``B^-1 e_row`` on the basic columns,
        zero on the others; the sign is HiGHS's for the row's activity (callers check it
        against the objective)."""
        h: Any = self._h  # highspy's stubs do not list the basis-solve calls
        _, variables = h.getBasicVariables()
        variables = np.asarray(variables, dtype=np.int64)
        cols = variables >= 0
        out = np.zeros((len(rows), len(self._model.col_lower)))
        rhs = np.zeros(len(self._model.row_lower))
        for i, row in enumerate(rows.tolist()):
            rhs[row] = 1.0
            _, basic = h.getBasisSolve(rhs)
            rhs[row] = 0.0
            out[i, variables[cols]] = np.asarray(basic, dtype=np.float64)[cols]
        return out

    def set_integer(self, cols: IntArray, *, integer: bool) -> None:
        if len(cols):
            flags = np.full(len(cols), 1 if integer else 0, dtype=np.uint8)
            self._h.changeColsIntegrality(len(cols), _i32(cols), flags)

    def set_solution(self, col_value: FloatArray) -> None:
        """A starting solution for the next MILP solve (HiGHS checks it and keeps it if it is
        feasible): the incumbent to improve rather than to find again."""
        sol = highspy.HighsSolution()
        sol.col_value = np.asarray(col_value, dtype=np.float64).tolist()
        sol.value_valid = True
        self._h.setSolution(sol)

    def add_row(self, cols: IntArray, values: FloatArray, lower: float, upper: float) -> None:
        self._h.addRow(float(lower), float(upper), len(cols), _i32(cols), values)
        self._extra_rows += 1

    def keep_value_minimise_spend(self, goal: float) -> None:
        """Stage 2's model: add ``value >= goal`` (less a tolerance of 1e-9 relative) and
        minimise total spend instead."""
        cost = self._model.value_cost
        nz = np.nonzero(cost)[0]
        self.add_row(nz, cost[nz], goal - max(1e-9 * abs(goal), 1e-7), np.inf)
        self.minimize(self._model.spend_cost)

    def use_primal_simplex(self, *, primal: bool) -> None:
        """Primal simplex for the next LP solves (dual, HiGHS's default, otherwise): the better
        start when the current basis stays primal feasible, e.g. after adding a row the current
        point satisfies and changing the objective."""
        self._h.setOptionValue("simplex_strategy", 4 if primal else 1)

    def set_time_limit(self, seconds: float) -> None:
        """At most ``seconds`` for the next solves (HiGHS's clock counts all runs of a model)."""
        elapsed = float(self._h.getRunTime())
        self._h.setOptionValue("time_limit", elapsed + max(float(seconds), 0.01))

    def solve(self) -> Outcome:
        start = time.perf_counter()
        h = self._h
        h.run()
        seconds = time.perf_counter() - start
        name = str(h.getModelStatus()).rsplit(".", 1)[-1]
        status = _STATUS.get(name, SolveStatus.ERROR)
        info = h.getInfo()
        sol = h.getSolution()
        has_value = bool(sol.value_valid) and int(info.primal_solution_status) == 2  # feasible
        n_row = len(self._model.row_lower)
        objective = float(info.objective_function_value) if has_value else 0.0
        is_mip = int(info.mip_node_count) >= 0
        bound = float(info.mip_dual_bound) if is_mip else objective
        gap = float(info.mip_gap) if is_mip else 0.0
        empty = np.zeros(0)
        return Outcome(
            status=status if has_value or status is SolveStatus.INFEASIBLE else SolveStatus.ERROR,
            objective=objective,
            col_value=np.asarray(sol.col_value) if has_value else empty,
            row_value=np.asarray(sol.row_value)[:n_row] if has_value else empty,
            row_dual=np.asarray(sol.row_dual)[:n_row] if sol.dual_valid else np.zeros(n_row),
            col_dual=np.asarray(sol.col_dual) if sol.dual_valid else np.zeros(0),
            bound=bound,
            mip_gap=gap,
            seconds=seconds,
        )

    def basis(self) -> Basis | None:
        b = self._h.getBasis()
        if not b.valid or self._extra_rows:
            return None
        return Basis(
            col_status=np.array([int(s) for s in b.col_status], dtype=np.int64),
            row_status=np.array([int(s) for s in b.row_status], dtype=np.int64),
            col_key=self._model.col_key,
            row_key=self._model.row_key,
        )

    def snapshot(self) -> object:
        """The current basis as an opaque solver object, for ``restore`` (no conversion)."""
        return self._h.getBasis()

    def restore(self, snapshot: object, *, forget: bool = False) -> None:
        """Go back to a basis from ``snapshot`` of this same model; with ``forget``, drop what
        HiGHS kept from earlier solves first (factorisation, edge weights), so that the next
        solve depends only on the model and this basis, whatever was solved before (the risk
        sweeps: a path's figures must not depend on which paths a worker solved before it)."""
        if not isinstance(snapshot, highspy.HighsBasis):
            raise TypeError("not a basis snapshot of this solver")
        if forget:
            self._h.clearSolver()
        self._h.setBasis(snapshot)

    def warm_start(self, basis: Basis) -> None:
        """Start from an earlier basis: matched by key, the rest nonbasic at zero or basic slack."""
        m = self._model
        cols = np.full(len(m.col_key), AT_LOWER, dtype=np.int64)
        rows = np.full(len(m.row_key), BASIC, dtype=np.int64)
        _, new_i, old_i = np.intersect1d(m.col_key, basis.col_key, return_indices=True)
        cols[new_i] = basis.col_status[old_i]
        _, new_r, old_r = np.intersect1d(m.row_key, basis.row_key, return_indices=True)
        rows[new_r] = basis.row_status[old_r]
        hb = highspy.HighsBasis()
        status = highspy.HighsBasisStatus
        hb.col_status = [status(int(s)) for s in cols]
        hb.row_status = [status(int(s)) for s in rows]
        hb.alien = True  # let HiGHS repair a basis that no longer fits exactly
        hb.valid = True
        self._h.setBasis(hb)
