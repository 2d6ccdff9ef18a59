"""Jobs: long work run in the background (plans), its progress, its outcome, cancelling it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import CurrentActor, database
from kuznia.db.jobs import JobStatus
from kuznia.services.jobs import reading
from kuznia.services.jobs.queue import job_document
from kuznia.services.planning.jobs import submit_plan_job
from kuznia.services.registries.record_schemas import Text
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["jobs"])


class JobSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["plan"] = Field(description="what to run: `plan` computes and stores a plan")
    label: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    include_unreviewed: bool = Field(
        default=False, description="also submitted proposals and offered pledges (a what-if)"
    )


class Job(BaseModel):
    id: str
    kind: str
    status: JobStatus
    params: dict[str, Any]
    progress: float = Field(ge=0, le=1, description="0 to 1; a solve's share of its time limit")
    progress_note: str
    result: dict[str, Any] | None = Field(description="when done: e.g. the stored plan's id")
    error: str | None = Field(description="when failed: why")
    attempts: int
    cancel_requested: bool
    submitted_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.post("/jobs", response_model=Job, status_code=202, operation_id="submit_job")
def submit_job(body: JobSubmission, request: Request, actor: CurrentActor) -> Any:
    """Queue a job (the ministry runs plans); poll its Location for progress and outcome."""
    with database(request).transaction() as session:
        job = submit_plan_job(
            session, actor, label=body.label, include_unreviewed=body.include_unreviewed
        )
        doc = job_document(job)
    headers = {"Location": f"/api/v1/jobs/{doc['id']}"}
    return JSONResponse(jsonable_encoder(Job.model_validate(doc)), 202, headers)


@router.get("/jobs", response_model=list[Job], operation_id="list_jobs")
def list_jobs(
    request: Request,
    actor: CurrentActor,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """The jobs you may see (the ministry and auditors: all; others: their own), newest first."""
    with database(request).reading() as session:
        return reading.list_jobs(session, actor, status=status, limit=limit)


@router.get("/jobs/{id}", response_model=Job, operation_id="get_job")
def get_job(id: str, request: Request, actor: CurrentActor) -> Any:
    with database(request).reading() as session:
        return reading.get_job(session, actor, id)


@router.post("/jobs/{id}/cancel", response_model=Job, operation_id="cancel_job")
def cancel_job(id: str, request: Request, actor: CurrentActor) -> Any:
    """Cancel a queued job, or ask the worker running it to stop (it stops within seconds)."""
    with database(request).transaction() as session:
        return reading.cancel_job(session, actor, id)
