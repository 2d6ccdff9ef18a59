"""The ``kuznia.scenario/1`` file as immutable Pydantic models.

These models are the one definition of the planning inputs: the scenario file reader and writer,
the JSON Schema (``schema/scenario.schema.json`` is generated from them and checked for drift),
the optimizer's input and the API's documents all use them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from kuznia.scenario.types import (
    Country,
    Currency,
    Identifier,
    MonthCount,
    NonNegativeMoney,
    Units,
    WindowMonth,
)

SCENARIO_FORMAT: Final = "kuznia.scenario/1"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProposalKind(StrEnum):
    IN_UKRAINE = "in_ukraine"
    UKRAINIAN_ABROAD = "ukrainian_abroad"
    FOREIGN_IN_UKRAINE = "foreign_in_ukraine"
    PARTNER_DOMESTIC = "partner_domestic"


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


class Pledge(_Frozen):
    """Financing offered by a partner, with earmarks (an empty list means no restriction)."""

    id: Identifier
    partner: Identifier
    amount: NonNegativeMoney
    currency: Currency
    valid_from: WindowMonth
    valid_to: WindowMonth
    capabilities: tuple[Identifier, ...] = ()
    site_countries: tuple[Country, ...] = ()
    company_countries: tuple[Country, ...] = ()


class Scenario(_Frozen):
    format: Literal["kuznia.scenario/1"] = SCENARIO_FORMAT
    start_month: WindowMonth
    horizon_months: Annotated[int, Field(ge=1, le=600)]
    base_currency: Currency
    fx_rates: dict[Currency, Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,12})?$")]]
    lateness_decay: Annotated[float, Field(gt=0, le=1)]
    capabilities: tuple[Capability, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    pledges: tuple[Pledge, ...] = ()

    def fx_rate(self, currency: str) -> Decimal:
        if currency == self.base_currency:
            return Decimal(1)
        return Decimal(self.fx_rates[currency])
