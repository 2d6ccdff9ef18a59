"""Transparency log pages: recent leaves, and proofs checked in the browser (``proof.js``).

Open to everyone, as the log's hashes and proofs are: an entry's record and change show only to
a reader who may read that record (``services.transparency.log``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, JSONResponse

from kuznia.errors import KuzniaError
from kuznia.services.transparency.views import leaf_proof, log_view
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
LOG_PAGE = 25


@router.get("/log", response_class=HTMLResponse)
def log_page(current: CurrentPage, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
             ) -> HTMLResponse:  # fmt: skip
    actor = current.viewer
    with current.web.database.reading() as session:
        view = log_view(session, actor, offset=(page_number - 1) * LOG_PAGE, limit=LOG_PAGE)
    pages = max(1, -(-view.size // LOG_PAGE))
    return current.render("log.html", title=current._("Transparency log"), view=view,
                          page_number=page_number, pages=pages)  # fmt: skip


@router.get("/log/proof/{seq}")
def proof(seq: int, current: CurrentPage) -> JSONResponse:
    """The leaf (or only its hash), its inclusion path and the signed checkpoint, for
    ``proof.js`` to check."""
    actor = current.viewer
    try:
        with current.web.database.reading() as session:
            return JSONResponse(leaf_proof(session, actor, seq))
    except KuzniaError as exc:
        return JSONResponse({"error": exc.message}, status_code=409)
