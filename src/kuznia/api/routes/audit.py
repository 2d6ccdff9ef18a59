"""The audit trail: every change, who made it, when, before and after (coordinators, auditors)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import CurrentActor, database
from kuznia.services.access.policy import Viewer
from kuznia.services.transparency.audit_trail import audit_trail
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["audit"])


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: Annotated[str, Field(max_length=100)] | None = Field(None, description="e.g. sites")
    record_id: Annotated[str, Field(max_length=100)] | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class AuditEvent(BaseModel):
    id: int
    seq: int = Field(description="commit sequence number: events of one transaction share it")
    at: datetime
    actor: str
    role: str
    user_id: str | None
    organisation_id: str | None
    entity: str
    record_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEvent]
    next_cursor: str | None = None


@router.get("/audit", response_model=AuditPage, operation_id="list_audit_events")
def list_audit_events(
    request: Request, actor: CurrentActor, query: Annotated[AuditQuery, Query()]
) -> Any:
    """Changes in commit order; secret fields redacted unless you may see them."""
    with database(request).reading() as session:
        page = audit_trail(
            session,
            Viewer.of(session, actor),
            entity=query.entity,
            record_id=query.record_id,
            cursor=query.cursor,
            limit=query.limit,
        )
    return {"items": page.items, "next_cursor": page.next_cursor}
