"""Properties on generated small scenarios: every plan is valid (plancheck), its proven bound is
at least the greedy baseline's value, and its status is honest about the gap."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from kuznia.allocation import SolverOptions
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import PlanStatus
from tests.support.factory import random_scenarios
from tests.support.planning import plan_checked

OPTIONS = SolverOptions(time_limit=2.0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios(lines=10, needs=8, pledges=5, horizon=8))
def test_every_generated_plan_is_valid_beats_greedy_and_states_its_gap_honestly(
    s: Scenario,
) -> None:
    plan = plan_checked(s, OPTIONS).plan  # valid, or the test fails with the violations
    assert plan.baseline is not None
    bound = plan.solver.bound
    assert bound >= plan.baseline.value - 1e-6 * max(1.0, bound)
    assert bound >= plan.value - 1e-6 * max(1.0, bound)
    if bound > 0:
        assert abs(plan.solver.mip_gap - (bound - plan.value) / bound) < 1e-9
    if plan.status is PlanStatus.OPTIMAL:
        assert plan.solver.mip_gap <= OPTIONS.mip_gap + 1e-12
        assert plan.value >= plan.baseline.value * (1 - OPTIONS.mip_gap) - 1e-6
    else:
        assert plan.status is PlanStatus.FEASIBLE
