"""Plans: run the optimizer on the current scenario (the ministry), list, show, compare."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import CurrentActor, IdempotencyKey, database
from kuznia.api.idempotency import Created, fingerprint, run_create
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.planning import plans, runs
from kuznia.services.registries.record_schemas import Text
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["plans"])


class PlanRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    include_unreviewed: bool = Field(
        default=False, description="also submitted proposals and offered pledges (a what-if)"
    )


class PlanSummary(BaseModel):
    id: str
    number: int
    created_at: datetime
    created_by: str
    label: str | None
    scenario_sha256: str = Field(description="SHA-256 of the canonical scenario file it solved")
    include_unreviewed: bool
    status: str
    value: float
    total_spend: str = Field(description="decimal, base currency")
    base_currency: str


class PlanDetail(PlanSummary):
    plan: dict[str, Any] = Field(description="the kuznia.plan/1 document")


class PlanPage(BaseModel):
    items: list[PlanSummary]
    next_cursor: int | None = None


class Difference(BaseModel):
    model_config = ConfigDict(extra="allow")

    a: int | str
    b: int | str


class PlanComparison(BaseModel):
    a: PlanSummary
    b: PlanSummary
    same_scenario: bool
    value_change: float
    spend_change: str
    requirements: list[Difference] = Field(description="units delivered, where they differ")
    proposals: list[Difference] = Field(description="units produced, where they differ")
    pledges: list[Difference] = Field(description="money spent, where it differs")


@router.post("/plans", response_model=PlanSummary, status_code=201, operation_id="run_plan")
def run_plan(
    body: PlanRun, request: Request, actor: CurrentActor, key: IdempotencyKey = None
) -> Any:
    """Solve the current scenario and keep the plan (the ministry; Idempotency-Key supported).

    The solve runs before the unit of work, so no writer waits for it (a replayed key solves
    again and answers what was stored the first time); ``POST /jobs`` runs it in the background.
    """
    computed = runs.compute_plan(
        database(request), actor, include_unreviewed=body.include_unreviewed
    )

    def create(uow: UnitOfWork) -> Created:
        doc = runs.store_plan(uow, computed, label=body.label)
        headers = {"Location": f"/api/v1/plans/{doc['id']}"}
        return Created(PlanSummary.model_validate(doc), 201, headers)

    print_ = partial(fingerprint, "POST", request.url.path, body.model_dump())
    return run_create(database(request), actor, key, print_, create)


@router.get("/plans", response_model=PlanPage, operation_id="list_plans")
def list_plans(
    request: Request,
    actor: CurrentActor,
    cursor: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """Plans, newest first."""
    with database(request).reading() as session:
        page = plans.list_plans(session, Viewer.of(session, actor), before=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/plans/{id}", response_model=PlanDetail, operation_id="get_plans")
def get_plan(id: str, request: Request, actor: CurrentActor) -> Any:
    with database(request).reading() as session:
        return plans.get_plan(session, Viewer.of(session, actor), id)


@router.get("/plans/{id}/compare", response_model=PlanComparison, operation_id="compare_plans")
def compare_plans(
    id: str,
    request: Request,
    actor: CurrentActor,
    other: Annotated[str, Query(alias="with", min_length=1, max_length=100)],
) -> Any:
    """What changed from this plan to the one named by ``with``."""
    with database(request).reading() as session:
        return plans.compare_plans(session, Viewer.of(session, actor), id, other)
