"""What an evaluation reports, as frozen models that round-trip through JSON (the CLI's
``--out`` file, the stored result of a web job, the risk page).

The P convention (docs/risk.md): ``P90`` is the value reached in 90 % of paths (at least that
much in 90 % of them), so ``P90 <= P50 <= P10``; CVaR at 10 % is the mean of the worst 10 % of
paths' values.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

EVALUATION_FORMAT: Final = "kuznia.risk-evaluation/1"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Frozen):
    """Exceedance levels over the paths: p90 is reached in 90 % of them, p10 in 10 %."""

    p90: float
    p50: float
    p10: float
    mean: float


class Figures(_Frozen):
    """A capability's or a need's units delivered and value, planned and over the paths."""

    planned_units: float
    planned_value: float
    units: Band
    value: Band


class Fan(_Frozen):
    """Cumulative units delivered of a capability by month: the plan and the path bands."""

    planned: tuple[float, ...]
    p90: tuple[float, ...]
    p50: tuple[float, ...]
    p10: tuple[float, ...]


class SiteCost(_Frozen):
    """A site whose loss costs the most: the plan's value at stake there per path on average
    (units a strike destroys, at the value the plan delivers them for, before re-planning)."""

    site: str
    risk_class: str
    expected_loss: float
    struck_share: float


class Dispersal(_Frozen):
    """How concentrated a capability's planned units are over sites."""

    sites: int
    largest_share: float
    top3_share: float
    herfindahl: float


class Evaluation(_Frozen):
    format: Literal["kuznia.risk-evaluation/1"] = EVALUATION_FORMAT
    seed: int
    paths: int
    months: tuple[str, ...]
    planned_value: float
    value: Band
    cvar10: float
    struck_paths: int
    capabilities: dict[str, Figures]
    needs: dict[str, Figures]
    fans: dict[str, Fan]
    sites: tuple[SiteCost, ...]
    dispersal: dict[str, Dispersal]


class RobustComparison(_Frozen):
    """The nominal plan and the robust one, evaluated on the same paths."""

    format: Literal["kuznia.risk-robust/1"] = "kuznia.risk-robust/1"
    objective: str
    sample_paths: int
    sample_seed: int
    robust_kept_nominal: bool
    nominal_seconds: float
    robust_seconds: float
    nominal: Evaluation
    robust: Evaluation
