"""For operators and load balancers: liveness (``/health``) and readiness (``/ready``).

Both are public and say nothing but ok or not: no version, no revision, no error text that could
help an attacker (the cause goes to the server log).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kuznia.api.deps import database
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["operations"])
log = logging.getLogger("kuznia.api")
HEALTH_MAX_AGE_SECONDS = 1.0


class Health(BaseModel):
    status: Literal["ok", "unavailable"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    database: Literal["ok", "unreachable"]
    schema_: Literal["at head", "behind", "unknown"] = Field(alias="schema")


_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": Health, "description": "the database cannot be reached"}
}


@router.get("/health", response_model=Health, operation_id="health", responses=_UNAVAILABLE)
def health(request: Request) -> Any:
    """Liveness: the database answered ``SELECT 1`` within the last second."""
    try:
        database(request).ping(max_age_seconds=HEALTH_MAX_AGE_SECONDS)
    except Exception:
        log.exception("health: the database cannot be reached")
        return JSONResponse({"status": "unavailable"}, 503, {"Retry-After": "5"})
    return {"status": "ok"}


@router.get(
    "/ready",
    response_model=Readiness,
    operation_id="ready",
    responses={503: {"model": Readiness, "description": "not ready to serve"}},
)
def ready(request: Request) -> Any:
    """Readiness: the database answers and its schema is at this version's migrations head."""
    answer = {"status": "not ready", "database": "unreachable", "schema": "unknown"}
    try:
        current, head = database(request).schema_revisions()
    except Exception:
        log.exception("ready: the database cannot be reached")
        return JSONResponse(answer, 503, {"Retry-After": "5"})
    answer["database"] = "ok"
    answer["schema"] = "at head" if current == head else "behind"
    if current != head:
        log.error("ready: the schema is at %s, this version needs %s", current, head)
        return JSONResponse(answer, 503, {"Retry-After": "30"})
    return {**answer, "status": "ready"}
