"""Contracts and deliveries, and the transparency log with proofs checked in the browser."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, JSONResponse

from kuznia.errors import KuzniaError
from kuznia.services import contracts, deliveries, money_flows
from kuznia.services.views.ledger import contract_lines, leaf_proof, log_view
from kuznia.web.page import Page, WebRoute, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
LOG_PAGE = 25


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
        contract = contracts.get_contract(session, actor, contract_id)
        context: dict[str, Any] = {
            "contract": contract,
            "schedule": deliveries.schedule_status(session, actor, contract_id, as_of),
            "deliveries": deliveries.deliveries_of(session, actor, contract_id),
            "flows": money_flows.flows_of_contract(session, actor, contract_id),
        }
        # rendered inside the session: the rows expire when the reading transaction ends
        return current.render("contract.html", title=contract.title, as_of=as_of, **context)


@router.get("/log", response_class=HTMLResponse)
def log_page(current: CurrentPage, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
             ) -> HTMLResponse:  # fmt: skip
    actor = current.user()
    with current.web.database.reading() as session:
        view = log_view(session, actor, offset=(page_number - 1) * LOG_PAGE, limit=LOG_PAGE)
    pages = max(1, -(-view.size // LOG_PAGE))
    return current.render("log.html", title=current._("Transparency log"), view=view,
                          page_number=page_number, pages=pages)  # fmt: skip


@router.get("/log/proof/{seq}")
def proof(seq: int, current: CurrentPage) -> JSONResponse:
    """The leaf, its inclusion path and the signed checkpoint, for ``proof.js`` to check."""
    actor = current.user()
    try:
        with current.web.database.reading() as session:
            return JSONResponse(leaf_proof(session, actor, seq))
    except KuzniaError as exc:
        return JSONResponse({"error": exc.message}, status_code=409)
