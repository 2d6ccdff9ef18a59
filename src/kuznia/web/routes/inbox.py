"""The inbox: what waits for the signed-in user, by kind (``services.contracting.inbox``: one
query per kind, through the access policy), each with a link to where it is done."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends
from fastapi.responses import HTMLResponse

from kuznia.services.contracting.inbox import Waiting, waiting_items
from kuznia.services.contracting.views import party_names
from kuznia.web.contract_forms import contract_title, titles_name
from kuznia.web.names import name_of
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]

HEADINGS: Mapping[Waiting, tuple[str, str]] = {
    Waiting.PROPOSALS_TO_REVIEW: (N_("Proposals to review"),
                                  N_("Submitted by firms; vet or reject each with a reason.")),
    Waiting.CONTRACTS_TO_SIGN: (N_("Contracts to sign"),
                                N_("Drafts that wait for your signature.")),
    Waiting.DELIVERIES_TO_INSPECT: (N_("Deliveries to inspect"),
                                    N_("Reported by firms; accept or reject their units.")),
    Waiting.COMMITMENTS_TO_PAY: (N_("Commitments to pay"),
                                 N_("Money committed to contracts and not paid out in full yet.")),
    Waiting.CONTRACTS_TO_DELIVER: (N_("Contracts to deliver under"),
                                   N_("Signed contracts of your firm: report what you deliver.")),
    Waiting.FAILED_JOBS: (N_("Failed jobs"), N_("Long work that stopped with an error.")),
}  # fmt: skip

CONTRACT_KINDS = frozenset(Waiting) - {Waiting.PROPOSALS_TO_REVIEW, Waiting.FAILED_JOBS}
"""Kinds whose items are named by their contract's title."""


@router.get("/inbox", response_class=HTMLResponse)
def inbox(current: CurrentPage) -> HTMLResponse:
    actor = current.user()
    with current.web.database.reading() as session:
        found = waiting_items(session, actor)
        wanted = titles_name([item.title for items in found.values() for item in items])
        wanted.capabilities.update(i.title for i in found.get(Waiting.PROPOSALS_TO_REVIEW, ()))
        parties = party_names(session, actor, wanted)

    def text(kind: Waiting, title: str) -> str:
        """A contract's title with names; a proposal by its capability's name."""
        if kind in CONTRACT_KINDS:
            return contract_title(title, current._, parties, current.lang)
        if kind is Waiting.PROPOSALS_TO_REVIEW:
            return name_of(parties.of("capabilities"), title, current.lang)
        return title

    sections = [
        (kind, current._(HEADINGS[kind][0]), current._(HEADINGS[kind][1]),
         [(item, text(kind, item.title)) for item in items])
        for kind, items in found.items()
    ]  # fmt: skip
    return current.render("inbox.html", title=current._("Inbox"), sections=sections)
