"""Cross-check: the pooled HiGHS formulation against a naive PuLP/CBC one on small scenarios."""

from __future__ import annotations

import os

import pytest

from tests.support.factory import random_scenario
from tests.support.planning import plan_checked
from tests.support.reference import solve_reference


@pytest.mark.parametrize("seed", range(int(os.environ.get("KUZNIA_XCHECK_SEEDS", "12"))))
def test_the_optimizer_reaches_the_reference_optimum_within_its_gap(seed: int) -> None:
    s = random_scenario(seed, lines=5, needs=4, pledges=3, horizon=5)
    ref = solve_reference(s)
    assert ref.status == "optimal"
    plan = plan_checked(s).plan
    assert plan.value <= ref.value + 1e-6  # a valid plan cannot beat the optimum
    assert plan.solver.bound >= ref.value - 1e-6  # the bound really bounds it
    if plan.status.value == "optimal":
        assert plan.value >= ref.value * (1 - plan.solver.mip_gap) - 1e-6
