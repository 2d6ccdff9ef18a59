"""The one entry point: a ``/1`` scenario is planned by ``engine``, a ``/2`` one by ``joint``."""

from __future__ import annotations

from kuznia.allocation import engine
from kuznia.allocation.engine import PlanOutcome
from kuznia.allocation.joint import plan_joint
from kuznia.allocation.solved import WarmStart
from kuznia.allocation.solver import SolverOptions
from kuznia.scenario.model import Scenario


def plan_scenario(
    scenario: Scenario,
    scenario_sha256: str,
    options: SolverOptions | None = None,
    warm: WarmStart | None = None,
    *,
    baseline: bool = True,
) -> PlanOutcome:
    """The optimal plan of ALLOCATION.md for ``scenario`` (see ``docs/allocation.md``): a
    ``kuznia.plan/1`` plan of a ``/1`` scenario, a ``kuznia.plan/2`` plan (builds, capex,
    unbuilt projects, capacity values) of a ``/2`` one. A ``/2`` plan starts cold (``warm`` is
    for ``/1`` re-plans)."""
    if scenario.version == 2:
        return plan_joint(scenario, scenario_sha256, options, baseline=baseline)
    return engine.plan_scenario(scenario, scenario_sha256, options, warm, baseline=baseline)
