"""The two LP stages once the setups are chosen, on the fixed-setup model (``fixing.py``).

Stage 1 maximises value; its row duals give the marginal values (budget rows, "with integer
decisions fixed") and, through ``bounds.lagrangian_bound``, an upper bound on every valid plan.
Stage 2 adds ``value >= V1 - tol`` and minimises total spend with primal simplex, which goes on
from stage 1's optimum (still feasible). Both run on the small fixed model, started from a basis
of an earlier model when there is one (matched by column and row keys).
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.bounds import lagrangian_bound
from kuznia.allocation.fixing import Fixed, fix_setups, fixed_basis
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import BoolArray, FloatArray
from kuznia.allocation.solver import Basis, Outcome, Session, SolverOptions, SolveStatus


class FixedStages:
    """A session on the fixed-setup model for decisions ``y_open``."""

    def __init__(
        self,
        form: Formulation,
        y_open: BoolArray,
        options: SolverOptions,
        basis: Basis | None,
        *,
        full: Basis | None = None,
    ) -> None:
        """Start from ``basis`` (of an earlier fixed model) or ``full`` (of the full model,
        converted by ``fixing.fixed_basis``)."""
        self.form = form
        self.fixed: Fixed = fix_setups(form, y_open)
        self.session = Session(self.fixed.model, options)
        self.session.maximize(self.fixed.model.value_cost)
        start = fixed_basis(form, self.fixed, full) if full is not None else basis
        if start is not None:
            self.session.warm_start(start)
        self.stage1: Outcome | None = None
        self.basis: Basis | None = None
        self.bound = np.inf

    @property
    def y_open(self) -> BoolArray:
        return self.fixed.y_open

    def row_duals(self) -> FloatArray:
        """Stage 1's row duals in the full model's rows (zero on rows the fixed model drops)."""
        assert self.stage1 is not None
        return self.fixed.full_rows(self.stage1.row_dual, len(self.form.model.row_lower))

    def row_values(self) -> FloatArray:
        """Stage 1's row activities in the full model's rows, for rows it keeps unshifted (the
        budget rows); zero on dropped rows."""
        assert self.stage1 is not None
        return self.fixed.full_rows(self.stage1.row_value, len(self.form.model.row_lower))

    def value_stage(self, seconds: float, *, primal: bool = False) -> Outcome:
        """Stage 1; when it is solved, its basis and the Lagrangian bound of its duals.
        ``primal``: by primal simplex (a re-plan whose model gained columns and rows)."""
        self.session.set_time_limit(seconds)
        self.session.use_primal_simplex(primal=primal)
        out = self.session.solve()
        self.session.use_primal_simplex(primal=False)
        self.stage1 = out
        if out.ok:
            self.basis = self.session.basis()
            if out.status is SolveStatus.OPTIMAL:
                self.bound = lagrangian_bound(self.form, self.row_duals())
        return out

    def proves(self, gap: float) -> bool:
        """Stage 1 is solved and its own duals prove the relative ``gap`` for it."""
        s1 = self.stage1
        if s1 is None or s1.status is not SolveStatus.OPTIMAL or not np.isfinite(self.bound):
            return False
        return self.bound - s1.objective <= gap * max(self.bound, 1e-9)

    def spend_stage(self, seconds: float) -> Outcome:
        """Stage 2 (call after a solved stage 1)."""
        assert self.stage1 is not None
        self.session.keep_value_minimise_spend(self.stage1.objective)
        self.session.use_primal_simplex(primal=True)
        self.session.set_time_limit(seconds)
        out = self.session.solve()
        self.session.use_primal_simplex(primal=False)
        return out

    def full_cols(self, out: Outcome) -> FloatArray:
        """An outcome's column values in the full model's columns."""
        return self.fixed.full_cols(out.col_value)
