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


@pytest.mark.parametrize("path", ["builds-milp", "builds-lp"])
@pytest.mark.parametrize("seed", [1, 4])
def test_the_medium_and_large_paths_give_valid_plans_under_the_optimum(
    seed: int, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forced onto the pooled MILP (medium) or the rounded relaxation (large): valid plans
    (``plan_of`` checks them), never above the exact optimum, honest about their gap."""
    from kuznia.allocation import builds

    monkeypatch.setattr(builds, "WHOLE_UNITS_MAX_COLS", 0)
    if path == "builds-lp":
        monkeypatch.setattr(builds, "SETUP_MILP_MAX_INTEGERS", -1)
    s = random_scenario2(seed)
    plan = plan_of(s, OPTIONS)
    assert plan.solver.method.startswith(path + "+")
    ref = solve_reference(s, time_limit=60.0, solver="highs")
    assert plan.value <= ref.value * (1 + 1e-9) + 1e-6
    assert plan.solver.bound >= ref.value * (1 - 1e-9) - 1e-6
    assert plan.status == ("optimal" if plan.solver.mip_gap <= OPTIONS.mip_gap else "feasible")
