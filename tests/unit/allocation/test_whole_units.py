"""Whole units where they decide: on generated lumpy scenarios (few expensive units, large
setups, minimum lots, small needs) the plan is within the configured gap of the exact optimum
of a plain MILP of the contract (the naive formulation, solved by HiGHS), and claims so."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from kuznia.allocation import SolverOptions
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import PlanStatus
from tests.support.factory import lumpy_scenario, lumpy_scenarios
from tests.support.planning import plan_checked
from tests.support.reference import solve_reference

OPTIONS = SolverOptions(time_limit=10.0)


def _within_the_gap_of_the_exact_optimum(s: Scenario) -> None:
    ref = solve_reference(s, time_limit=30.0, solver="highs")
    assert ref.status == "optimal"
    plan = plan_checked(s, OPTIONS).plan  # valid, or the test fails with the violations
    tol = 1e-6 * max(1.0, ref.value)
    assert plan.value <= ref.value + tol  # a valid plan cannot beat the optimum
    assert plan.solver.bound >= ref.value - tol  # the bound really bounds it
    assert plan.value >= ref.value * (1 - OPTIONS.mip_gap) - tol
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.solver.mip_gap <= OPTIONS.mip_gap + 1e-12


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lumpy_scenarios(lines=6, needs=5, pledges=3, horizon=8))
def test_lumpy_plans_are_within_the_configured_gap_of_the_exact_optimum(s: Scenario) -> None:
    _within_the_gap_of_the_exact_optimum(s)


@pytest.mark.parametrize("seed", [0, 9])
def test_larger_lumpy_plans_where_rounding_lost_most_are_within_the_gap_too(seed: int) -> None:
    # 20 lines: here the pooled MILP, rounded (the method before whole units), lost 13% and 14%
    s = lumpy_scenario(seed, lines=20, needs=20, pledges=6, horizon=12, caps=4)
    _within_the_gap_of_the_exact_optimum(s)


def test_a_pooled_plan_above_the_gap_keeps_working_with_whole_units_on_its_lumpy_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kuznia.allocation import engine, strategy

    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)  # as if the per-unit form were big
    s = lumpy_scenario(9, lines=20, needs=20, pledges=6, horizon=12, caps=4)
    ref = solve_reference(s, time_limit=30.0, solver="highs")
    kept = plan_checked(s, OPTIONS).plan
    with monkeypatch.context() as patch:
        patch.setattr(engine, "integer_stage", lambda *_: None)
        rounded = plan_checked(s, OPTIONS).plan
    assert rounded.solver.mip_gap > OPTIONS.mip_gap  # rounding alone lost more than the gap
    assert kept.solver.method == "milp-setups+units"
    assert kept.value > rounded.value
    assert kept.value >= ref.value * 0.99  # measured: the optimum (rounded: 85.6% of it)
