"""Contract pages: the list of contracts and deliveries, and one contract with its schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from kuznia.services.contracting import deliveries, money_flows, reading
from kuznia.services.contracting.views import contract_lines
from kuznia.web.page import Page, WebRoute, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


@router.get("/contracts", response_class=HTMLResponse)
def contract_list(current: CurrentPage) -> HTMLResponse:
    actor = current.user()
    with current.web.database.reading() as session:
        lines = contract_lines(session, actor)
    return current.render("contracts.html", title=current._("Contracts and deliveries"),
                          lines=lines)  # fmt: skip


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
def contract_page(contract_id: str, current: CurrentPage) -> HTMLResponse:
    actor = current.user()
    as_of = datetime.now(UTC).strftime("%Y-%m")
    with current.web.database.reading() as session:
        contract = reading.get_contract(session, actor, contract_id)
        context: dict[str, Any] = {
            "contract": contract,
            "schedule": deliveries.schedule_status(session, actor, contract_id, as_of),
            "deliveries": deliveries.deliveries_of(session, actor, contract_id),
            "flows": money_flows.flows_of_contract(session, actor, contract_id),
        }
        # rendered inside the session: the rows expire when the reading transaction ends
        return current.render("contract.html", title=contract.title, as_of=as_of, **context)
