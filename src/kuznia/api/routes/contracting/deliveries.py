"""Deliveries over HTTP: report units delivered under a contract, list them (destinations
hidden from whoever may not see them), inspect one, read the capacity and delivery table (the
rules: ``services/contracting/deliveries`` and the delivery lifecycle of ``lifecycle``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response

from kuznia.api.contracting_models import (
    CapacityRowOut,
    Cursor,
    DeliveryIn,
    DeliveryOut,
    DeliveryPage,
    InspectionIn,
    Limit,
)
from kuznia.api.deps import CurrentActor, IdempotencyKey, IfMatch, database, etag, expected_version
from kuznia.api.idempotency import Created
from kuznia.api.routes.contracting.common import PREFIX, created
from kuznia.services.contracting import deliveries
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix=PREFIX, tags=["contracts"])


@router.post(
    "/contracts/{id}/deliveries",
    response_model=DeliveryOut,
    status_code=201,
    operation_id="report_delivery",
)
def deliver(
    request: Request, actor: CurrentActor, id: str, body: DeliveryIn, key: IdempotencyKey = None
) -> Any:
    """Report units delivered (the contracted company or the coordinator; Idempotency-Key
    supported). The first delivery of a signed contract starts its production."""
    report = deliveries.DeliveryReport(
        id,
        body.delivered_on,
        body.units,
        body.destination,
        destination_country=body.destination_country,
    )

    def create(uow: UnitOfWork) -> Created:
        made = deliveries.report_delivery(uow, report)
        view = deliveries.view_of(uow.session, uow.actor, made)
        headers = {"ETag": etag(view.version)}
        return Created(DeliveryOut.of(view), 201, headers)

    return created(request, actor, key, body, create)


@router.get(
    "/contracts/{id}/deliveries", response_model=DeliveryPage, operation_id="list_deliveries"
)
def list_deliveries(
    request: Request,
    actor: CurrentActor,
    id: str,
    cursor: Annotated[Cursor | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 50,
) -> DeliveryPage:
    """A contract's deliveries in commit order (an inspected one moves to the end); the
    destination only for the coordinator and the delivering company."""
    with database(request).reading() as session:
        page = deliveries.list_deliveries(session, actor, id, cursor=cursor, limit=limit)
    return DeliveryPage(items=[DeliveryOut.of(v) for v in page.items], next_cursor=page.next_cursor)


@router.post(
    "/deliveries/{id}/inspection", response_model=DeliveryOut, operation_id="inspect_delivery"
)
def inspect(
    request: Request,
    response: Response,
    actor: CurrentActor,
    id: str,
    body: InspectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Accept some or all units of a reported delivery; the rest are rejected with a claim
    (the coordinator; If-Match required: the delivery's version, from the list)."""
    version = expected_version(if_match)
    with database(request).unit_of_work(actor) as uow:
        made = deliveries.inspect_delivery(
            uow,
            id,
            body.accepted_units,
            claim_reason=body.claim_reason,
            claim_reference=body.claim_reference,
            expected_version=version,
        )
        answer = DeliveryOut.of(deliveries.view_of(uow.session, uow.actor, made))
    response.headers["ETag"] = etag(answer.version)
    return answer


@router.get("/deliveries/table", response_model=list[CapacityRowOut], operation_id="delivery_table")
def table(request: Request, actor: CurrentActor) -> list[CapacityRowOut]:
    """Per company and capability: declared capacity, contracted, funded, delivered."""
    with database(request).reading() as session:
        return [CapacityRowOut.of(r) for r in deliveries.delivery_table(session, actor)]
