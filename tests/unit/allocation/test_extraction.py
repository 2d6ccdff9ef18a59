"""Rounding pays in one pass when a second would repeat it: the payments are exactly those of
paying again until nothing changes, also for solver values and budgets far from an optimum
(units left unpaid, lines closed for their setup or lot, first months moved)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuznia.allocation import rounding, strategy
from kuznia.allocation.formulation import Formulation, build_formulation, in_pledges
from kuznia.allocation.problem import build_problem
from kuznia.allocation.rounding import Payments, assign_money, integer_production
from kuznia.allocation.solved import Solved
from kuznia.allocation.solver import SolverOptions
from kuznia.allocation.strategy import solve
from tests.support.factory import random_scenario


def _extraction_inputs(seed: int, shake: bool) -> tuple[Formulation, Solved]:
    """What the engine hands to rounding; ``shake`` perturbs the solver's values and cuts
    budgets, so that payments fail in every way they can."""
    rng = np.random.default_rng(seed)
    s = random_scenario(
        seed, lines=int(rng.integers(1, 14)), needs=int(rng.integers(1, 9)),
        pledges=int(rng.integers(1, 6)), horizon=int(rng.integers(2, 9)),
    )  # fmt: skip
    p = build_problem(s)
    with pytest.MonkeyPatch.context() as patch:
        if rng.random() < 0.5:  # pooled money, production rounded (else whole units)
            patch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)
        solved = solve(build_formulation(p), SolverOptions(time_limit=2.0))
    form, values = in_pledges(solved.form, solved.col_value)
    if shake and len(values):
        values = values.copy()
        for block, top in (("x", 1.4), ("f", 1.2), ("g", 1.3)):
            cols = form.cols(block)
            values[cols] *= rng.uniform(0.2, top, len(cols))
        budget = (p.budget * rng.uniform(0.2, 1.0, len(p.budget))).astype(np.int64)
        poorer = dataclasses.replace(p, budget=budget)
        form = dataclasses.replace(form, problem=poorer, payers=poorer)
    return form, dataclasses.replace(solved, col_value=values)


def _same(a: Payments, b: Payments) -> bool:
    return (
        np.array_equal(a.units, b.units)
        and a.units.dtype == b.units.dtype
        and a.funding == b.funding
        and a.setup == b.setup
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), shake=st.booleans())
def test_one_pass_pays_exactly_what_paying_until_stable_pays(seed: int, shake: bool) -> None:
    form, solved = _extraction_inputs(seed, shake)
    units = integer_production(form, solved)
    quick = assign_money(form, solved, units)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rounding, "_repeats", lambda *_: False)  # always pay again
        slow = assign_money(form, solved, units)
    assert _same(quick, slow)
