"""A what-if that only takes something away inherits the earlier plan's bound: every valid plan
of the changed scenario is a valid plan of the earlier one, worth at least as much there."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kuznia.allocation import SolverOptions, strategy
from kuznia.allocation.problem import build_problem, restricts
from kuznia.scenario.model import Scenario
from tests.support.factory import random_scenario
from tests.support.planning import plan_checked
from tests.support.reference import solve_reference


def _with_pledge(s: Scenario, **update: object) -> Scenario:
    first = s.pledges[0].model_copy(update=update)
    return s.model_copy(update={"pledges": (first, *s.pledges[1:])})


def test_a_cut_pledge_or_a_new_earmark_restricts_a_scenario_and_more_money_does_not() -> None:
    s = random_scenario(4, lines=6, needs=4, pledges=3)
    old = build_problem(s)
    amount = s.pledges[0].amount
    assert restricts(build_problem(_with_pledge(s, amount=amount * Decimal("0.9"))), old)
    assert restricts(build_problem(_with_pledge(s, capabilities=("cap-0",))), old)
    assert not restricts(build_problem(_with_pledge(s, amount=amount * 2)), old)
    assert not restricts(old, build_problem(_with_pledge(s, capabilities=("cap-0",))))
    assert restricts(old, old)


@pytest.mark.parametrize("seed", range(8))
def test_a_restricting_what_if_keeps_a_bound_on_its_own_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)  # the pooled paths warm-start
    monkeypatch.setattr(strategy, "SETUP_MILP_MAX_INTEGERS", -1)  # relax-fix, as on national
    s = random_scenario(seed, lines=7, needs=5, pledges=4, horizon=5)
    if not s.pledges:
        return
    options = SolverOptions(time_limit=5.0)
    first = plan_checked(s, options)
    changed = _with_pledge(s, amount=s.pledges[0].amount / 2, capabilities=("cap-1",))
    again = plan_checked(changed, options, first.warm).plan
    ref = solve_reference(changed)
    tol = 1e-6 * max(1.0, ref.value)
    assert again.solver.bound >= ref.value - tol
    assert again.solver.bound <= first.plan.solver.bound + tol
    assert again.value <= ref.value + tol


@pytest.mark.parametrize("seed", range(4))
def test_a_restricting_what_if_of_a_whole_unit_plan_is_within_the_gap_of_its_own_optimum(
    seed: int,
) -> None:
    from tests.support.factory import lumpy_scenario

    s = lumpy_scenario(seed, lines=6, needs=5, pledges=3, horizon=8)
    options = SolverOptions(time_limit=10.0)
    first = plan_checked(s, options)
    changed = _with_pledge(s, amount=(s.pledges[0].amount * Decimal("0.7")).quantize(Decimal(1)))
    again = plan_checked(changed, options, first.warm).plan
    ref = solve_reference(changed, time_limit=30.0, solver="highs")
    tol = 1e-6 * max(1.0, ref.value)
    assert again.solver.bound >= ref.value - tol
    assert again.value <= ref.value + tol
    assert again.value >= ref.value * (1 - options.mip_gap) - tol
