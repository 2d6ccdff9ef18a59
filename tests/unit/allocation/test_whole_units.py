"""Whole units where they decide: on generated lumpy scenarios (few expensive units, large
setups, minimum lots, small needs) the plan is within the configured gap of the exact optimum
of a plain MILP of the contract (the naive formulation, solved by HiGHS), and claims so."""

from __future__ import annotations

from time import perf_counter

import numpy as np
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


def test_the_fixed_setup_step_stops_after_its_root_when_its_bound_cannot_meet_the_gap() -> None:
    # the benchmark's slowest lumpy scenario: its setups' best plan (the optimum) is found at
    # the root, whose bound already shows that those setups cannot meet the gap
    from kuznia.allocation import whole_units
    from kuznia.allocation.finish import whole_unit_cols
    from kuznia.allocation.formulation import build_formulation
    from kuznia.allocation.problem import build_problem
    from kuznia.allocation.solved import Method, Progress
    from kuznia.allocation.solver import Session, SolveStatus

    options = SolverOptions(time_limit=600.0)  # the stop, not a time limit, must end the step
    s = lumpy_scenario(11, lines=12, needs=10, pledges=4, horizon=12, caps=3)
    problem = build_problem(s)
    pooled, unit = build_formulation(problem), build_formulation(problem, per_unit=True)
    progress = Progress(np.zeros(len(unit.y_line), bool), np.inf, Method.MILP_UNITS, perf_counter())
    assert whole_units._pooled_setups(pooled, unit, options, progress) is not None
    session = Session(unit.model, options)
    session.maximize(unit.model.value_cost)
    session.set_integer(whole_unit_cols(unit), integer=True)
    stopped = whole_units._fixed_setups(session, unit, options, progress)
    assert stopped is not None
    assert stopped.status is SolveStatus.INTERRUPTED
    assert stopped.bound < progress.bound * (1 - options.mip_gap)  # why it stopped
    # the stop does not stick to the session: the same model solved again runs to its end
    again = session.solve()
    assert again.status is SolveStatus.OPTIMAL
    assert again.objective >= stopped.objective - 1e-6
    ref = solve_reference(s, time_limit=60.0, solver="highs")
    plan = plan_checked(s, options).plan
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.value >= ref.value * (1 - options.mip_gap) - 1e-6
