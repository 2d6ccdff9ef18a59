"""Joint plans of small random format-2 scenarios against an exact reference MILP (PuLP with
every start month of every project, ``tests/support/reference.py``): within the configured gap,
and valid by plancheck."""

from __future__ import annotations

import pytest

from kuznia.allocation import SolverOptions
from tests.support.planning import plan_of
from tests.support.projects import random_scenario2
from tests.support.reference import solve_reference

OPTIONS = SolverOptions(time_limit=20.0)


@pytest.mark.parametrize("seed", range(10))
def test_small_joint_plans_match_the_exact_reference(seed: int) -> None:
    s = random_scenario2(seed)
    plan = plan_of(s, OPTIONS)
    ref = solve_reference(s, time_limit=60.0, solver="highs")
    assert ref.status == "optimal"
    assert plan.value >= ref.value * (1 - OPTIONS.mip_gap) - 1e-6
    assert plan.value <= ref.value * (1 + 1e-9) + 1e-6
    assert plan.status == "optimal"


@pytest.mark.parametrize("seed", [20, 23])
def test_larger_joint_plans_stay_within_the_gap(seed: int) -> None:
    s = random_scenario2(seed, lines=10, projects=6, horizon=12)
    plan = plan_of(s, OPTIONS)
    ref = solve_reference(s, time_limit=120.0, solver="highs")
    assert plan.value >= ref.value * (1 - OPTIONS.mip_gap) - 1e-6
