"""What a strategy hands back: the solution in its formulation's columns and what it proves.

Also the names the strategies share: how a plan was found (``Method``), what a strategy knows
so far (``Progress``), what a re-plan may reuse (``WarmStart``), and the results of a model
with nothing to decide or a solver that failed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import numpy as np

from kuznia.allocation.builder import PER_MILLION
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.marginal import MoreMoney
from kuznia.allocation.problem import BoolArray, FloatArray, IntArray, Problem
from kuznia.allocation.solver import Basis, Outcome, SolverOptions, SolveStatus


class Method(StrEnum):
    """How the plan was found (the plan file's ``solver.method``)."""

    EMPTY = "empty"  # nothing can be produced, paid and delivered in time
    LP = "lp"  # no setup decisions: the LP, rounded
    MILP = "milp"  # the exact MILP: binary setups, whole units per line-month and per pledge
    MILP_UNITS = "milp-units"  # setups from the pooled MILP, then whole units with them fixed
    MILP_SETUPS = "milp-setups"  # the pooled MILP with binary setups, production rounded
    MILP_SETUPS_WARM = "milp-setups+warm"  # a re-plan keeping the earlier plan's setups
    MILP_SETUPS_UNITS = "milp-setups+units"  # then whole production on lines of few units
    RELAX_FIX = "relax-fix"  # relax, dive, fix (large models)
    RELAX_FIX_WARM = "relax-fix+warm"
    RELAX_FIX_UNITS = "relax-fix+units"  # then whole production on lines of few units
    FIX = "fix"  # the relaxation ran out of time: the greedy's (or earlier plan's) setups
    FAILED = "failed"


class Prices(NamedTuple):
    """Row duals of an LP relaxation, by row key (so they survive a changed model)."""

    row_key: IntArray
    row_dual: FloatArray


@dataclass(frozen=True)
class WarmStart:
    """What a later re-plan may reuse: the last basis and which lines were opened when."""

    basis: Basis | None = None
    first_month: Mapping[str, int] = field(default_factory=dict)  # line id -> month index
    prices: Prices | None = None  # the last LP relaxation's row duals, by row key
    bound: float = float("inf")  # the earlier plan's proven bound on its problem's optimum
    problem: Problem | None = None  # the earlier plan's problem, which that bound is about
    reshaped: bool = False  # the model has columns and rows the basis lacked (``inherit.py``)


@dataclass
class Progress:
    """What a strategy knows so far: the setups chosen, the proven upper bound on the value,
    how they were found, when solving began (``perf_counter``) and notes for the plan."""

    y_open: BoolArray
    bound: float
    method: Method
    start: float
    notes: list[str] = field(default_factory=list)

    def left(self, options: SolverOptions) -> float:
        """Seconds of the time limit not yet used."""
        return options.time_limit - (time.perf_counter() - self.start)


@dataclass(frozen=True)
class Solved:
    """The solver's answer in ``form``'s column space (the formulation it was solved in: the
    pooled one, or the per-unit one for whole units), plus what it proves."""

    form: Formulation
    status: SolveStatus
    col_value: FloatArray
    y_open: BoolArray
    bound: float
    method: Method
    budget_dual: FloatArray
    seconds: float
    basis: Basis | None
    notes: list[str] = field(default_factory=list)
    prices: Prices | None = None  # the LP relaxation's row duals, by row key, if solved
    more_money: MoreMoney | None = None  # what one more million on each pledge delivers
    capacity_dual: FloatArray | None = None  # per x column: value of one more unit of cap(l,m)


def budget_duals(form: Formulation, row_dual: FloatArray, row_value: FloatArray) -> FloatArray:
    """Value per 1,000,000 base currency on each pledge: its payer's budget-row dual (per model
    money unit, rescaled), zero where the payer has money left."""
    n = len(form.payers.pledge_ids)
    rows = np.arange(n) + form.budget_row
    slack = form.model.row_upper[rows] - row_value[rows]
    dual = np.where(slack > 1e-6, 0.0, np.clip(row_dual[rows], 0.0, None)) * PER_MILLION
    dual_of_pledge: FloatArray = dual[form.payer_of]
    return dual_of_pledge


def failed(form: Formulation, out: Outcome, progress: Progress) -> Solved:
    """The empty plan of a solver that stopped without a usable answer."""
    progress.notes.append(f"the solver stopped with status {out.status}; the plan produces nothing")
    status = out.status if out.status is not SolveStatus.OPTIMAL else SolveStatus.ERROR
    return Solved(
        form=form,
        status=status,
        col_value=np.zeros(len(form.model.col_lower)),
        y_open=np.zeros(len(form.y_line), bool),
        bound=max(out.bound, 0.0),
        method=Method.FAILED,
        budget_dual=np.zeros(len(form.problem.pledge_ids)),
        seconds=time.perf_counter() - progress.start,
        basis=None,
        notes=progress.notes,
    )


def nothing_to_decide(form: Formulation, start: float) -> Solved:
    """No production can count (no needs, lines or money): the empty plan is optimal."""
    return Solved(
        form=form,
        status=SolveStatus.OPTIMAL,
        col_value=np.zeros(0),
        y_open=np.zeros(0, dtype=bool),
        bound=0.0,
        method=Method.EMPTY,
        budget_dual=np.zeros(len(form.problem.pledge_ids)),
        seconds=time.perf_counter() - start,
        basis=None,
        notes=["nothing can be produced in time, paid for and delivered: the plan is empty"],
    )
