"""Status steps from a record's page: the ministry's review of a proposal (vet, reject with a
reason, reopen), a pledge confirmed or withdrawn. Each form carries the version it was read at:
a replay finds the record moved on and changes nothing twice."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuznia.db.registries import PledgeStatus, ProposalStatus
from kuznia.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from kuznia.services.registries import records
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routes.records import load, render_record
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]

DECISIONS = {"vet": ProposalStatus.VETTED, "reject": ProposalStatus.REJECTED,
             "reopen": ProposalStatus.SUBMITTED}  # fmt: skip
PLEDGE_TARGETS = {"confirm": PledgeStatus.CONFIRMED, "withdraw": PledgeStatus.WITHDRAWN}
STALE = N_("Someone changed this record since you opened it. Here it is as it is now: look, then "
           "decide again.")  # fmt: skip
REASON_NEEDED = N_("Say why the proposal is rejected: the company reads it.")


def _version(text: str) -> int:
    """The version the form was read at (0, which no record has, when it is missing)."""
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _refused(current: Page, entity: str, record_id: str, exc: Exception, reason: str) -> Response:
    view = load(current, entity, record_id)
    if isinstance(exc, PreconditionFailed):
        return render_record(current, view, status=409, notice=current._(STALE), reason=reason)
    if isinstance(exc, InvalidInput):
        messages = {
            p.path: current._(REASON_NEEDED) if p.path == "reason" else p.message
            for p in exc.problems
        }
        return render_record(current, view, status=422, errors=messages, reason=reason)
    message = exc.message if isinstance(exc, Conflict) else str(exc)
    return render_record(current, view, status=409, errors={"": message}, reason=reason)


@router.post(
    "/registries/proposals/{record_id}/review",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
def review(
    record_id: str,
    current: CurrentPage,
    step: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    if step not in DECISIONS:
        raise NotFound(current._("There is no such step."))
    try:
        with current.web.database.unit_of_work(current.user()) as uow:
            records.review_proposal(uow, record_id, DECISIONS[step], _version(version), reason)
    except (InvalidInput, Conflict, PreconditionFailed) as exc:
        return _refused(current, "proposals", record_id, exc, reason)
    return RedirectResponse(f"/registries/proposals/{record_id}?saved={step}", status_code=303)


@router.post(
    "/registries/pledges/{record_id}/status",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
def pledge_step(
    record_id: str,
    current: CurrentPage,
    step: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    if step not in PLEDGE_TARGETS:
        raise NotFound(current._("There is no such step."))
    changes = {"status": PLEDGE_TARGETS[step].value}
    try:
        with current.web.database.unit_of_work(current.user()) as uow:
            records.update_record(uow, "pledges", record_id, changes, _version(version))
    except (InvalidInput, Conflict, PreconditionFailed) as exc:
        return _refused(current, "pledges", record_id, exc, "")
    return RedirectResponse(f"/registries/pledges/{record_id}?saved={step}", status_code=303)
