"""The robust plan beside the nominal one, both evaluated on the same paths.

The robust LP values a path by a lower bound (``robust.py``), while the evaluation re-plans
(``paths.py``); so the LP's allocation is kept only if, re-planned path by path on the very
sample it was optimised over, its CVaR at 10 % is at least the nominal plan's. Otherwise the
nominal plan is the robust plan (``robust_kept_nominal``): on that sample, the robust plan never
has a lower CVaR than the nominal one.
"""

from __future__ import annotations

from typing import Any

from kuznia.risk.disruption import Disruption
from kuznia.risk.plandata import PlanData
from kuznia.risk.report import RobustComparison
from kuznia.risk.robust import Objective, RobustPlan, robust_plan
from kuznia.risk.runner import Progress, evaluate, sweep
from kuznia.risk.statistics import cvar

SAMPLE_SEED_OFFSET = 1  # the LP's sample is drawn with seed + 1: the evaluation is out of sample


def choose(
    nominal: PlanData, found: RobustPlan, disruption: Disruption, seed: int, paths: int, client: Any
) -> tuple[PlanData, bool]:
    """The LP's allocation, or the nominal plan where it re-plans worse on the LP's sample."""
    cvars = [
        cvar(sweep(data, disruption, seed=seed, paths=paths, client=client).value)
        for data in (nominal, found.data)
    ]
    if cvars[1] >= cvars[0]:
        return found.data, False
    return nominal, True


def compare(
    nominal: PlanData,
    disruption: Disruption,
    *,
    seed: int,
    paths: int,
    sample_paths: int,
    objective: Objective = Objective.CVAR,
    nominal_seconds: float = 0.0,
    client: Any | None = None,
    progress: Progress | None = None,
) -> RobustComparison:
    sample_seed = seed + SAMPLE_SEED_OFFSET
    found = robust_plan(
        nominal, disruption, seed=sample_seed, paths=sample_paths, objective=objective
    )
    robust, kept = choose(nominal, found, disruption, sample_seed, sample_paths, client)
    figures = [
        evaluate(data, disruption, seed=seed, paths=paths, client=client, progress=progress)
        for data in (nominal, robust)
    ]
    return RobustComparison(
        objective=objective.value,
        sample_paths=sample_paths,
        sample_seed=sample_seed,
        robust_kept_nominal=kept,
        nominal_seconds=nominal_seconds,
        robust_seconds=found.seconds,
        nominal=figures[0],
        robust=figures[1],
    )
