"""The ``kuznia.plan/1`` and ``/2`` files (ALLOCATION.md "Plan file", "Capacity projects") as
immutable Pydantic models. A ``/2`` plan (made from a ``/2`` scenario) adds ``builds``, ``capex``,
``unbuilt`` and ``capacity_value``; a ``/1`` plan has none of them (they stay ``None``).

Money is a decimal string in the base currency; ``value`` is a float of value points. The writer
is canonical (fixed key order, two-space indent, final newline) so two plans of the same inputs
compare byte for byte; the reader reports every problem with its JSON path.
"""

from __future__ import annotations

import json
from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kuznia.errors import InvalidInput
from kuznia.money import round_cents
from kuznia.scenario.io import canonical_json_bytes, pydantic_problems
from kuznia.scenario.types import Identifier, Month, NonNegativeMoney

PLAN_FORMAT: Final = "kuznia.plan/1"
PLAN_FORMAT_2: Final = "kuznia.plan/2"
PLAN_FORMATS: Final = (PLAN_FORMAT, PLAN_FORMAT_2)

Units = Annotated[int, Field(ge=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    ERROR = "error"


class UnmetReason(StrEnum):
    NO_CAPACITY = "no_capacity"
    TOO_LATE = "too_late"
    NO_ELIGIBLE_FUNDING = "no_eligible_funding"
    INSUFFICIENT_BUDGET = "insufficient_budget"
    INSUFFICIENT_CAPACITY = "insufficient_capacity"


class UnbuiltReason(StrEnum):
    """Why a capacity project is not built (ALLOCATION.md "Capacity projects")."""

    TOO_LATE = "too_late"  # built at earliest_start it still could not deliver inside the horizon
    NO_ELIGIBLE_INVESTMENT = "no_eligible_investment"  # no pledge may pay its capex in a month
    # it could start
    NOT_CHOSEN = "not_chosen"


class BindingLimit(StrEnum):
    """What keeps an unmet need from more units, as a planner would change it."""

    NO_PROPOSAL = "no_proposal"  # no line offers the capability: a proposal is needed
    HORIZON = "horizon"  # lead time, ramp-up and shipping put every unit past the horizon
    EARMARKS = "earmarks"  # the money left is earmarked away from the capability's lines
    WINDOWS = "windows"  # the money left may pay for them only outside the months they can make
    BUDGET = "budget"  # every pledge that may pay for them is spent
    CAPACITY = "capacity"  # every line that can deliver in time is full


class UnmetAction(_Frozen):
    """What would meet the rest of a need, given the plan (an optional addition to
    ``kuznia.plan/1``): the binding limit and the cheapest eligible way around it."""

    limit: BindingLimit
    pledges: tuple[Identifier, ...] = Field(
        default=(),
        description="earmarks/windows: pledges with money left that may not pay for the lines "
        "(earmarks) or not in the months they can deliver (windows); budget: the spent pledges "
        "that may pay",
    )
    lines: tuple[Identifier, ...] = Field(
        default=(),
        description="capacity: the full lines that can deliver in time; otherwise the lines the "
        "extra money would buy from, cheapest first; horizon: the capability's lines",
    )
    extra_money: NonNegativeMoney | None = Field(
        default=None,
        description="base currency that a pledge allowed to pay for those lines would need to "
        "deliver the missing units on them, given the plan (units at to_base(unit_cost), plus "
        "the setup and minimum lot of a line not yet producing); absent where spare capacity "
        "arriving in time cannot meet the need",
    )
    extra_capacity: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="units that no line could deliver inside the horizon even with unlimited "
        "money: capacity (or earlier lines) that would be needed",
    )


class NeedPriority(_Frozen):
    """A need's priority made comparable across capabilities: what money buys there."""

    priority: float = Field(description="value points per unit delivered on time")
    unit_cost: NonNegativeMoney | None = Field(
        default=None,
        description="to_base(unit_cost) of the cheapest line of the capability (base currency)",
    )
    value_per_million: float | None = Field(
        default=None,
        description="value points per 1,000,000 of base currency spent on that line, units "
        "delivered on time, setups aside: priority * 1,000,000 / unit_cost (absent where the "
        "capability has no line or its cheapest unit costs nothing)",
    )
    rank: Annotated[int, Field(ge=1)] = Field(
        description="1 for the need where money buys the most value, and so on"
    )


class SolverInfo(_Frozen):
    name: str
    version: str
    options: dict[str, float | int | str | bool] = Field(default_factory=dict)
    mip_gap: Annotated[float, Field(ge=0, description="proven relative gap of the plan's value")]
    method: str = Field(default="", description="how the plan was found, e.g. lp, milp, relax-fix")
    bound: float = Field(default=0.0, description="proven upper bound on the value")
    model: dict[str, int] = Field(default_factory=dict, description="rows, cols, nnz, integers")


class Timings(_Frozen):
    build: Annotated[float, Field(ge=0)]
    solve: Annotated[float, Field(ge=0)]
    extraction: Annotated[float, Field(ge=0)] = 0.0
    baseline: Annotated[float, Field(ge=0)] = 0.0
    total: Annotated[float, Field(ge=0)]


class ProductionRow(_Frozen):
    proposal: Identifier
    month: Month
    units: Units


class FundingRow(_Frozen):
    pledge: Identifier
    proposal: Identifier
    month: Month
    units: Units
    amount: NonNegativeMoney


class SetupRow(_Frozen):
    pledge: Identifier
    proposal: Identifier
    amount: NonNegativeMoney


class BuildRow(_Frozen):
    project: Identifier
    start_month: Month


class CapexRow(_Frozen):
    pledge: Identifier
    project: Identifier
    month: Month
    amount: NonNegativeMoney


class UnbuiltRow(_Frozen):
    project: Identifier
    reason: UnbuiltReason


class CapacityValue(_Frozen):
    lines: dict[str, float] = Field(
        default_factory=dict,
        description="value points per one more unit of monthly capacity on each line (a "
        "proposal or a built project) over the horizon, from the LP duals of its capacity rows "
        "with integer decisions fixed; zero where capacity does not bind",
    )


class DeliveryRow(_Frozen):
    requirement: Identifier
    proposal: Identifier
    month: Month
    units: Units


class UnmetRow(_Frozen):
    requirement: Identifier
    units: Units
    reason: UnmetReason
    action: UnmetAction | None = Field(
        default=None, description="the binding limit and what would meet the rest of the need"
    )


class MarginalValue(_Frozen):
    pledges: dict[str, float] = Field(
        default_factory=dict,
        description="value points per additional 1,000,000 of base currency on each pledge",
    )
    units: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="per pledge whose money binds: units per capability that 1,000,000 more "
        "base currency on it would deliver (the LP with the plan's setups fixed, re-solved)",
    )
    needs: dict[str, tuple[Identifier, ...]] = Field(
        default_factory=dict,
        description="per pledge whose money binds: the requirements those units would go to",
    )


class Baseline(_Frozen):
    value: float
    total_spend: NonNegativeMoney


class Plan(_Frozen):
    format: Literal["kuznia.plan/1", "kuznia.plan/2"] = PLAN_FORMAT
    scenario_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    status: PlanStatus
    solver: SolverInfo
    timings_s: Timings
    value: float
    total_spend: NonNegativeMoney
    production: tuple[ProductionRow, ...] = ()
    funding: tuple[FundingRow, ...] = ()
    setup: tuple[SetupRow, ...] = ()
    builds: tuple[BuildRow, ...] | None = Field(
        default=None, description="kuznia.plan/2: the projects built and their start months"
    )
    capex: tuple[CapexRow, ...] | None = Field(
        default=None, description="kuznia.plan/2: who pays each built project's capex, when"
    )
    deliveries: tuple[DeliveryRow, ...] = ()
    unmet: tuple[UnmetRow, ...] = ()
    unbuilt: tuple[UnbuiltRow, ...] | None = Field(
        default=None, description="kuznia.plan/2: every project not built, with its reason"
    )
    marginal_value: MarginalValue = Field(default_factory=MarginalValue)
    capacity_value: CapacityValue | None = None
    priorities: dict[str, NeedPriority] = Field(
        default_factory=dict,
        description="per requirement: its priority (value points per unit delivered on time) "
        "against the cheapest unit cost of its capability, so priorities compare across "
        "capabilities (an optional addition to kuznia.plan/1)",
    )
    baseline: Baseline | None = None
    notes: tuple[str, ...] = Field(default=(), description="why the status is what it is")


def spend_by_pledge(plan: Plan) -> dict[str, int]:
    """Base-currency cents the plan spends from each pledge (production, setups and capex)."""
    spend: dict[str, int] = defaultdict(int)
    rows: list[FundingRow | SetupRow | CapexRow] = [*plan.funding, *plan.setup, *(plan.capex or ())]
    for row in rows:
        spend[row.pledge] += round_cents(row.amount)
    return spend


def plan_document(plan: Plan) -> dict[str, Any]:
    return plan.model_dump(mode="json", exclude_none=True)


ROW_FIELDS: Final = (
    "production", "funding", "setup", "builds", "capex", "deliveries", "unmet", "unbuilt",
)  # fmt: skip
"""The plan's row lists: whole units, months, ids and decimal strings, never a float."""


def dump_plan(plan: Plan) -> bytes:
    """The canonical bytes of a plan: two-space indent, UTF-8, fixed key order, final newline
    (``canonical_json_bytes``: orjson, the same bytes as ``json.dumps`` would write; only the
    fields outside the rows can hold a float that orjson would write otherwise)."""
    doc = plan_document(plan)
    return canonical_json_bytes(doc, {k: v for k, v in doc.items() if k not in ROW_FIELDS})


def parse_plan(data: bytes | str) -> Plan:
    """Parse a plan document; raise :class:`InvalidInput` listing every problem with its path."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidInput.single("", msg) from None
    if not isinstance(raw, dict):
        raise InvalidInput.single("", "a plan is a JSON object")
    if raw.get("format") not in PLAN_FORMATS:
        expected = " or ".join(f'"{f}"' for f in PLAN_FORMATS)
        raise InvalidInput.single("format", f"expected {expected}, got {raw.get('format')!r}")
    try:
        return Plan.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the plan is not well-formed") from None


def load_plan(path: Path) -> Plan:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput.single("", f"cannot read {path}: {exc.strerror}") from None
    return parse_plan(data)
