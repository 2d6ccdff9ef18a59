"""The allocation engine: scenario -> pooled LP/MILP -> HiGHS -> plan (pure core, no I/O).

``plan_scenario`` is the one entry point; ``greedy_plan`` the baseline; see docs/allocation.md.
"""

from kuznia.allocation.engine import PlanOutcome, warm_start_from
from kuznia.allocation.entry import plan_scenario
from kuznia.allocation.greedy import greedy_plan
from kuznia.allocation.solved import WarmStart
from kuznia.allocation.solver import SolverOptions

__all__ = [
    "PlanOutcome",
    "SolverOptions",
    "WarmStart",
    "greedy_plan",
    "plan_scenario",
    "warm_start_from",
]
