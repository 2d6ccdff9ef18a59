"""The ``kuznia.scenario/1`` and ``/2`` files as immutable Pydantic models.

Version 2 adds capacity projects and pledge purposes (ALLOCATION.md "Capacity projects"); a
``/1`` document is read by the same models as a ``/2`` one without projects, and written back
exactly as it was (no version-2 fields appear in it). Either may carry an optional ``risk``
section, a ``kuznia.risk/1`` document (``risk_section.py``), which planning ignores.

These models are the one definition of the planning inputs: the scenario file reader and writer,
the JSON Schema (``schema/scenario.schema.json`` is generated from them and checked for drift),
the optimizer's input and the API's documents all use them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from kuznia.scenario.kinds import ProposalKind
from kuznia.scenario.risk_section import RiskSection
from kuznia.scenario.types import (
    BuildMonths,
    Capex,
    Country,
    Currency,
    Identifier,
    MonthCount,
    NonNegativeMoney,
    Units,
    WindowMonth,
)

SCENARIO_FORMAT: Final = "kuznia.scenario/1"
SCENARIO_FORMAT_2: Final = "kuznia.scenario/2"
OfftakeShare = Annotated[int, Field(ge=1, le=100)]
"""A share of a line's output, in percent (1..100)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PledgePurpose(StrEnum):
    """What a pledge's money may pay: production (funding and setups) or investment (capex)."""

    PRODUCTION = "production"
    INVESTMENT = "investment"


DEFAULT_PURPOSES: Final = (PledgePurpose.PRODUCTION,)


class Capability(_Frozen):
    id: Identifier
    name: Annotated[str, Field(min_length=1)]
    unit: Annotated[str, Field(min_length=1, description='e.g. "round", "drone", "system"')]
    category: str | None = None
    name_uk: Annotated[str, Field(min_length=1, description="the name in Ukrainian")] | None = None
    category_uk: (
        Annotated[str, Field(min_length=1, description="the category in Ukrainian")] | None
    ) = None


class Requirement(_Frozen):
    """A need of Ukraine's forces."""

    id: Identifier
    capability: Identifier
    quantity: Annotated[Units, Field(ge=1)]
    due_month: WindowMonth
    priority: Annotated[
        float, Field(gt=0, le=1e12, description="value points per unit delivered on time")
    ]


class Proposal(_Frozen):
    """A production line that can be financed."""

    id: Identifier
    company: Identifier
    company_country: Country
    site_country: Country
    capability: Identifier
    unit_cost: NonNegativeMoney
    currency: Currency
    monthly_capacity: Units
    lead_time_months: MonthCount
    ramp_up_months: Annotated[MonthCount, Field(ge=1)]
    setup_cost: NonNegativeMoney
    min_total_units: Units
    ship_lag_months: MonthCount
    kind: ProposalKind | None = None
    offtake_until: WindowMonth | None = Field(
        None,
        description="the last month the line's output goes to Ukraine (the offtake period); "
        "required for a line abroad (kind ukrainian_abroad)",
    )
    offtake_share_percent: OfftakeShare | None = Field(
        None,
        description="the share of the line's output that goes to Ukraine until offtake_until, "
        "in percent; required for a line abroad",
    )


class Project(_Frozen):
    """Capacity that does not exist yet (``kuznia.scenario/2``): built from a start month ``b``
    (capex paid in full in month b), it is a line with ``lead = b + build_months``."""

    id: Identifier
    company: Identifier
    company_country: Country
    site_country: Country
    capability: Identifier
    kind: ProposalKind
    capex: Capex
    currency: Currency
    earliest_start: WindowMonth
    build_months: BuildMonths
    unit_cost: NonNegativeMoney
    monthly_capacity: Units
    ramp_up_months: Annotated[MonthCount, Field(ge=1)]
    min_total_units: Units
    ship_lag_months: MonthCount
    offtake_until: WindowMonth | None = Field(
        None,
        description="kuznia addition, as on proposals: the last month the output of the line "
        "the project becomes goes to Ukraine; required for a plant abroad (ukrainian_abroad)",
    )
    offtake_share_percent: OfftakeShare | None = Field(
        None,
        description="kuznia addition, as on proposals: the share of that output that goes to "
        "Ukraine until offtake_until, in percent; required for a plant abroad",
    )


class Pledge(_Frozen):
    """Financing offered by a partner or an investor, with earmarks (an empty list means no
    restriction); ``purposes`` and ``projects`` are version 2 (default: production, any project;
    a ``/1`` file neither states nor writes them).
    """

    id: Identifier
    partner: Identifier
    amount: NonNegativeMoney
    currency: Currency
    valid_from: WindowMonth
    valid_to: WindowMonth
    capabilities: tuple[Identifier, ...] = ()
    site_countries: tuple[Country, ...] = ()
    company_countries: tuple[Country, ...] = ()
    purposes: tuple[PledgePurpose, ...] = Field(
        default=DEFAULT_PURPOSES,
        min_length=1,
        description='version 2: a non-empty subset of ["production", "investment"]; absent: '
        '["production"]',
    )
    projects: tuple[Identifier, ...] = Field(
        default=(), description="version 2 earmark: project ids (empty = any project)"
    )

    @property
    def purpose_set(self) -> frozenset[PledgePurpose]:
        return frozenset(self.purposes)

    @property
    def for_production(self) -> bool:
        return PledgePurpose.PRODUCTION in self.purpose_set

    @property
    def for_investment(self) -> bool:
        return PledgePurpose.INVESTMENT in self.purpose_set


class Scenario(_Frozen):
    format: Literal["kuznia.scenario/1", "kuznia.scenario/2"] = SCENARIO_FORMAT
    start_month: WindowMonth
    horizon_months: Annotated[int, Field(ge=1, le=600)]
    base_currency: Currency
    fx_rates: dict[Currency, Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,12})?$")]]
    lateness_decay: Annotated[float, Field(gt=0, le=1)]
    capabilities: tuple[Capability, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    projects: tuple[Project, ...] = Field(
        default=(), description="capacity projects (kuznia.scenario/2 only)"
    )
    risk: RiskSection | None = Field(
        default=None,
        description="optional disruption model: a kuznia.risk/1 document (its format key "
        "versions it); the optimizer ignores it (docs/risk.md)",
    )

    @property
    def version(self) -> int:
        return 2 if self.format == SCENARIO_FORMAT_2 else 1

    def fx_rate(self, currency: str) -> Decimal:
        if currency == self.base_currency:
            return Decimal(1)
        return Decimal(self.fx_rates[currency])
