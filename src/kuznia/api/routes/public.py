"""The public, read-only API: aggregates anyone may read, no login, no secret fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from kuznia.api.deps import database
from kuznia.money import format_cents
from kuznia.services.planning import plans
from kuznia.services.registries.summary import capability_overview
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["public"])


class CapabilityAggregate(BaseModel):
    capability_id: str
    name: str
    unit: str
    category: str | None
    needed_units: int
    capacity_units: int = Field(description="declared by vetted proposals within the horizon")
    capacity_value: str = Field(description="decimal, base currency")
    need_cost_estimate: str
    earmarked_pledges: str


class Overview(BaseModel):
    base_currency: str
    start_month: str
    horizon_months: int
    pledged_total: str = Field(description="confirmed pledges, decimal, base currency")
    capacity_value_total: str
    capabilities: list[CapabilityAggregate]


class CapabilityPlanned(BaseModel):
    capability_id: str
    needed_units: int
    planned_units: int = Field(description="units the plan delivers against the needs")


class PublicPlan(BaseModel):
    number: int
    created_at: datetime
    status: str
    total_spend: str = Field(description="decimal, base currency")
    base_currency: str
    scenario_sha256: str
    capabilities: list[CapabilityPlanned]


@router.get("/public/plan", response_model=PublicPlan, operation_id="public_plan")
def public_plan(request: Request) -> Any:
    """The newest plan, as aggregates per capability (404 before the first plan)."""
    with database(request).reading() as session:
        return plans.public_plan(session)


@router.get("/public/overview", response_model=Overview, operation_id="public_overview")
def public_overview(request: Request) -> Any:
    """Needs, declared capacity and pledged money per capability (aggregates only)."""
    with database(request).reading() as session:
        overview = capability_overview(session)
    return {
        "base_currency": overview.base_currency,
        "start_month": overview.start_month,
        "horizon_months": overview.horizon_months,
        "pledged_total": format_cents(overview.pledged_total.cents),
        "capacity_value_total": format_cents(overview.capacity_value_total.cents),
        "capabilities": [
            {
                "capability_id": line.capability_id,
                "name": line.name,
                "unit": line.unit,
                "category": line.category,
                "needed_units": line.needed_units,
                "capacity_units": line.capacity_units,
                "capacity_value": format_cents(line.capacity_value.cents),
                "need_cost_estimate": format_cents(line.need_cost_estimate.cents),
                "earmarked_pledges": format_cents(line.earmarked_pledges.cents),
            }
            for line in overview.lines
        ],
    }
