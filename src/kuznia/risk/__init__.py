"""Resilience of plans to strikes (pure core: numpy, HiGHS through allocation's solver, Dask).

A disruption model (``model.py``, the ``kuznia.risk/1`` file) -> seeded paths
(``disruption.py``) -> a recourse LP per path (``recourse.py``, ``paths.py``) -> statistics
(``statistics.py``, ``report.py``); the robust plan (``robust.py``, ``compare.py``); sweeps on
Dask (``runner.py``). See docs/risk.md.
"""

from kuznia.risk.compare import compare
from kuznia.risk.disruption import Disruption, disruption_of, sample_path
from kuznia.risk.model import (
    RISK_FORMAT,
    Duration,
    RiskClass,
    RiskSection,
    RiskSite,
    check_against,
    dump_risk,
    load_risk,
    parse_risk,
)
from kuznia.risk.plandata import PlanData, plan_data
from kuznia.risk.report import Evaluation, RobustComparison
from kuznia.risk.robust import Objective
from kuznia.risk.runner import dask_client, evaluate

__all__ = [
    "RISK_FORMAT",
    "Disruption",
    "Duration",
    "Evaluation",
    "Objective",
    "PlanData",
    "RiskClass",
    "RiskSection",
    "RiskSite",
    "RobustComparison",
    "check_against",
    "compare",
    "dask_client",
    "disruption_of",
    "dump_risk",
    "evaluate",
    "load_risk",
    "parse_risk",
    "plan_data",
    "sample_path",
]
