"""A capacity project as a spreadsheet row: the fields of ALLOCATION.md's ``projects`` rows
(scenario format 2), in its order, with the bounds every path states (``scenario.bounds``).

Spreadsheet import reads it (projects come in submitted, like proposals); the kind may be left
empty and is then derived from the company and site countries, as for a proposal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kuznia.scenario.bounds import MAX_BUILD_MONTHS, MAX_CAPEX, MAX_CAPEX_CENTS
from kuznia.scenario.kinds import ProposalKind
from kuznia.scenario.types import (
    Country,
    Currency,
    Identifier,
    MonthCount,
    NonNegativeMoney,
    Units,
    WindowMonth,
)


def _positive(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise ValueError("the capital cost must be more than 0")
    if amount * 100 > MAX_CAPEX_CENTS:
        raise ValueError(f"the capital cost must be at most {MAX_CAPEX}")
    return amount


class ProjectRow(BaseModel):
    """Capacity that needs capital first, and the line it becomes once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    company: Identifier
    company_country: Country
    site_country: Country
    capability: Identifier
    kind: ProposalKind | None = None
    capex: Annotated[NonNegativeMoney, AfterValidator(_positive)]
    currency: Currency
    earliest_start: WindowMonth
    build_months: Annotated[int, Field(ge=0, le=MAX_BUILD_MONTHS)]
    unit_cost: NonNegativeMoney
    monthly_capacity: Units
    ramp_up_months: Annotated[MonthCount, Field(ge=1)]
    min_total_units: Units = 0
    ship_lag_months: MonthCount = 0
    offtake_until: WindowMonth | None = None
    offtake_share_percent: Annotated[int, Field(ge=1, le=100)] | None = None


OFFTAKE_FIELDS = ("offtake_until", "offtake_share_percent")
"""A Ukrainian firm's plant abroad states its offtake terms as its line will (registry fields:
the scenario format's project rows do not carry them)."""
PROJECT_FIELDS = tuple(f for f in ProjectRow.model_fields if f not in OFFTAKE_FIELDS)
"""The fields of a ``projects`` row of scenario format 2, in the spec's order."""
PROJECT_EXAMPLE = ProjectRow(
    id="project-0001",
    company="co-example",
    company_country="UA",
    site_country="DK",
    capability="fpv-7in",
    capex=Decimal("12000000.00"),
    currency="EUR",
    earliest_start="2026-03",
    build_months=9,
    unit_cost=Decimal("450.00"),
    monthly_capacity=8000,
    ramp_up_months=3,
    min_total_units=0,
    ship_lag_months=1,
    offtake_until="2029-12",
    offtake_share_percent=100,
)
"""The template's example row: a Ukrainian firm's plant in Denmark."""
