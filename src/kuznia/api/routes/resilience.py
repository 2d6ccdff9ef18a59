"""Resilience: risk classes and sites' classes (the ministry), evaluations of plans under
sampled strikes (run as jobs; read like plans, sites named only to who may see them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import CurrentActor, database
from kuznia.db.resilience import EvaluationKind
from kuznia.services.access.policy import Viewer
from kuznia.services.jobs.queue import job_document
from kuznia.services.resilience import classes, reading
from kuznia.services.resilience.jobs import MAX_PATHS, MAX_SAMPLE_PATHS, submit_risk_job
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["resilience"])
Id = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\s]+$")]


class DurationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    months: int = Field(ge=1, le=600)
    probability: float = Field(gt=0, le=1)


class RiskClassBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200)
    monthly_probability: float = Field(ge=0, le=1, description="a strike or outage begins")
    capacity_loss: float = Field(default=1.0, ge=0, le=1, description="share lost while out")
    durations: list[DurationBody] = Field(min_length=1, description="months out, summing to 1")


class RiskClassOut(BaseModel):
    id: str
    version: int
    name: str
    monthly_probability: float
    capacity_loss: float
    durations: list[dict[str, Any]]
    sites: int | None = Field(
        default=None,
        description="how many of the sites whose class the caller sees are in the class "
        "(null for a role that sees no site's class)",
    )


class SiteClassOut(BaseModel):
    site_id: str
    site_name: str
    country: str
    risk_class_id: str
    risk_class_name: str


class SiteClassBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    risk_class_id: Id | None = Field(description="null takes the site out of every class")


class EvaluationRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: Id
    kind: Literal["evaluate", "robust"] = "evaluate"
    paths: int = Field(default=200, ge=1, le=MAX_PATHS)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    sample_paths: int = Field(default=50, ge=1, le=MAX_SAMPLE_PATHS)


class EvaluationSummary(BaseModel):
    id: str
    plan_id: str
    kind: str
    paths: int
    seed: int
    sample_paths: int | None
    risk_sha256: str
    created_by: str
    created_at: datetime
    planned_value: float | None
    value_p90: float | None = Field(
        description="the value reached in 90 % of paths (at least that much in 90 % of them)"
    )
    cvar10: float | None = Field(description="mean value of the worst 10 % of paths")


class EvaluationDetail(EvaluationSummary):
    document: dict[str, Any] = Field(
        description="kuznia.risk-evaluation/1 or kuznia.risk-robust/1 (docs/risk.md). P "
        "convention: p90 is the value reached in 90 % of paths, p50 the median, p10 the value "
        "reached in only 10 %, so p90 <= p50 <= p10. Each site of `sites` is named "
        '"name (id)" to who sees its class and location, "site A", "site B"... to others.'
    )


@router.get("/risk-classes", response_model=list[RiskClassOut], operation_id="list_risk_classes")
def list_risk_classes(request: Request, actor: CurrentActor) -> Any:
    with database(request).reading() as session:
        return classes.list_risk_classes(session, Viewer.of(session, actor))


@router.put("/risk-classes/{id}", response_model=RiskClassOut, operation_id="put_risk_class")
def put_risk_class(id: str, body: RiskClassBody, request: Request, actor: CurrentActor) -> Any:
    """Create or replace a risk class (the ministry)."""
    with database(request).unit_of_work(actor) as uow:
        return classes.put_risk_class(uow, {"id": id, **body.model_dump()})


@router.delete("/risk-classes/{id}", status_code=204, operation_id="delete_risk_class")
def delete_risk_class(id: str, request: Request, actor: CurrentActor) -> Response:
    """Delete a risk class no site is in (the ministry)."""
    with database(request).unit_of_work(actor) as uow:
        classes.delete_risk_class(uow, id)
    return Response(status_code=204)


@router.get("/site-risks", response_model=list[SiteClassOut], operation_id="list_site_risks")
def list_site_risks(request: Request, actor: CurrentActor) -> Any:
    """The sites whose risk class the caller sees (a secret field, seen like the site's
    location: the ministry all, a company its own, a partner those of its country)."""
    with database(request).reading() as session:
        return reading.site_classes(session, Viewer.of(session, actor))


@router.put("/site-risks/{id}", status_code=204, operation_id="put_site_risk")
def put_site_risk(id: str, body: SiteClassBody, request: Request, actor: CurrentActor) -> Response:
    """Put a site in a risk class, or take it out (the ministry; the class is a secret field)."""
    with database(request).unit_of_work(actor) as uow:
        classes.set_site_class(uow, id, body.risk_class_id)
    return Response(status_code=204)


@router.post(
    "/risk-evaluations", status_code=202, operation_id="submit_risk_evaluation",
    responses={202: {"description": "the queued job; poll its Location"}},
)  # fmt: skip
def submit_evaluation(body: EvaluationRun, request: Request, actor: CurrentActor) -> Any:
    """Queue an evaluation of a stored plan over sampled strikes (the ministry)."""
    with database(request).transaction() as session:
        job = submit_risk_job(
            session, actor, plan_id=body.plan_id, kind=EvaluationKind(body.kind),
            paths=body.paths, seed=body.seed, sample_paths=body.sample_paths,
        )  # fmt: skip
        doc = job_document(job)
    headers = {"Location": f"/api/v1/jobs/{doc['id']}"}
    return JSONResponse(jsonable_encoder(doc), 202, headers)


@router.get(
    "/risk-evaluations",
    response_model=list[EvaluationSummary],
    operation_id="list_risk_evaluations",
)
def list_evaluations(
    request: Request,
    actor: CurrentActor,
    plan_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Any:
    with database(request).reading() as session:
        return reading.list_evaluations(session, Viewer.of(session, actor), plan_id)


@router.get(
    "/risk-evaluations/{id}", response_model=EvaluationDetail, operation_id="get_risk_evaluation"
)
def get_evaluation(id: str, request: Request, actor: CurrentActor) -> Any:
    """One evaluation's figures. P90 is the value reached in 90 % of paths, P10 in only 10 %
    (P90 <= P50 <= P10); CVaR 10 % is the mean value of the worst 10 % of paths."""
    with database(request).reading() as session:
        return reading.get_evaluation(session, Viewer.of(session, actor), id)
