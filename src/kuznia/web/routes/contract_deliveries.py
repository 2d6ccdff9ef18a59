"""Deliveries on a contract page: the contracted company (or the coordinator) reports units
delivered; the coordinator inspects a reported delivery, accepting some or all units and
rejecting the rest with a reason (``services.contracting.deliveries``; an inspection answers to
the delivery's version, the web's If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response

from kuznia.db.contracting import Delivery
from kuznia.services.contracting import deliveries
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.contract_forms import DELIVERY_FIELDS, INSPECTION_FIELDS
from kuznia.web.contract_submit import ONCE, Step, submit
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(
    route_class=WebRoute, include_in_schema=False, dependencies=[Depends(check_csrf)]
)
CurrentPage = Annotated[Page, Depends(page)]


@router.post("/contracts/{contract_id}/deliveries")
async def report(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], _version: int | None) -> None:
        if data[ONCE] is not None and uow.session.get(Delivery, data[ONCE]) is not None:
            return  # this form was sent before: the delivery is recorded
        made = deliveries.DeliveryReport(
            contract_id, data["delivered_on"], data["units"], data.get("destination"), data[ONCE]
        )
        deliveries.report_delivery(uow, made)

    step = Step("deliver", DELIVERY_FIELDS, run, "delivered", "deliveries")
    return await submit(current, contract_id, step)


@router.post("/contracts/{contract_id}/deliveries/{delivery_id}/inspection")
async def inspect(contract_id: str, delivery_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], version: int | None) -> None:
        deliveries.inspect_delivery(
            uow,
            delivery_id,
            data["accepted_units"],
            claim_reason=data.get("claim_reason"),
            claim_reference=data.get("claim_reference"),
            expected_version=version,
        )

    step = Step("inspect", INSPECTION_FIELDS, run, "inspected", f"delivery-{delivery_id}",
                versioned=True)  # fmt: skip
    return await submit(current, contract_id, step, key=f"inspect:{delivery_id}")
