"""Contract pages: the list of contracts, one contract with everything that happened under it,
and drawing up a contract, by hand or from a funded line of the current plan (the coordinator).

The steps taken on a contract page are ``contract_steps`` (signing, amending, ending),
``contract_money`` (commitments, payments, spending) and ``contract_deliveries``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuznia.errors import KuzniaError
from kuznia.money import Money
from kuznia.services.contracting import drafting
from kuznia.services.contracting.views import Wanted, contract_lines, party_names
from kuznia.services.kernel.actors import Role
from kuznia.web.contract_forms import CONTRACT_FIELDS, contract_title, service_errors
from kuznia.web.contract_page import LICENCE_LABELS
from kuznia.web.contract_submit import form_values, parse_fields, render_contract
from kuznia.web.forms import Field, bind
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.record_forms import options_for
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
Done = Annotated[str | None, Query(max_length=20)]


@router.get("/contracts", response_class=HTMLResponse)
def contract_list(current: CurrentPage) -> HTMLResponse:
    actor = current.user()
    with current.web.database.reading() as session:
        lines = contract_lines(session, actor)
        wanted = Wanted()
        for line in lines:
            wanted.add(line)
        parties = party_names(session, actor, wanted)
    titles = {c.id: contract_title(c.title, current._, parties, current.lang) for c in lines}
    return current.render("contracts.html", title=current._("Contracts and deliveries"),
                          lines=lines, titles=titles, parties=parties,
                          may_draw=actor.role is Role.COORDINATOR)  # fmt: skip


def _render_new(
    current: Page, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    actor = current.require(Role.COORDINATOR)
    with current.web.database.reading() as session:

        def options(f: Field) -> list[tuple[str, str]]:
            if f.options.startswith("enum:contracts."):
                return [(k, current._(v)) for k, v in LICENCE_LABELS.items()]
            return options_for(session, actor, f.options, current._, current.lang)

        fields = bind(CONTRACT_FIELDS, values, errors, options, current._)
    return current.render(
        "contract_new.html",
        status_code=status,
        title=current._("Draw up a contract"),
        fields=fields,
        general=errors.get(""),
        errors=[(f.field.name, f.label, f.error) for f in fields if f.error],
    )


@router.get("/contracts/new", response_class=HTMLResponse)
def new_contract(current: CurrentPage) -> HTMLResponse:
    """The empty form, or filled in from its address (a funded line the plan page offers for
    its pledge's free money): only the form's own fields, each at most a field's length."""
    names = {f.name for f in CONTRACT_FIELDS}
    given = {k: v[:2000] for k, v in current.request.query_params.items() if k in names}
    return _render_new(current, given, {})


def _draft(data: dict[str, Any], currency: str) -> drafting.ContractDraft:
    abroad = {k: data.get(k) for k in drafting.AbroadTerms.__slots__}
    return drafting.ContractDraft(
        id=drafting.new_contract_id(),
        title=data["title"],
        pledge_id=data["pledge_id"],
        company_id=data["company_id"],
        capability_id=data["capability_id"],
        units=data["units"],
        amount=Money(data["amount_cents"], currency),
        schedule=data["schedule"],
        proposal_id=data.get("proposal_id"),
        abroad=drafting.AbroadTerms(**abroad),
    )


@router.post("/contracts/new", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def create_contract(current: CurrentPage) -> Response:
    """A draft by hand: the pledge's currency, the coordinator's; every problem at once."""
    actor = current.require(Role.COORDINATOR)
    values = await form_values(current)
    data, errors = parse_fields(current, CONTRACT_FIELDS, values)
    contract_id = ""
    if not errors:
        try:
            with current.web.database.unit_of_work(actor) as uow:
                currency = drafting.pledge_currency(uow, data["pledge_id"])
                contract_id = drafting.create_contract(uow, _draft(data, currency)).id
        except KuzniaError as exc:
            errors = service_errors(exc, CONTRACT_FIELDS, current._)
    if errors:
        return _render_new(current, values, errors, status=422)
    return RedirectResponse(f"/contracts/{contract_id}?done=created", status_code=303)


@router.post("/contracts/from-plan", dependencies=[Depends(check_csrf)])
async def from_plan(current: CurrentPage) -> Response:
    """The draft of one funded line (pledge, proposal) of the plan the page showed."""
    actor = current.require(Role.COORDINATOR)
    values = await form_values(current)
    line = (values.get(k, "") for k in ("scenario_sha256", "pledge_id", "proposal_id"))
    with current.web.database.unit_of_work(actor) as uow:
        made, new = drafting.contract_from_plan_line(uow, *line)
    done = "created" if new else "exists"
    return RedirectResponse(f"/contracts/{made.id}?done={done}", status_code=303)


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
def contract_page(contract_id: str, current: CurrentPage, done: Done = None) -> HTMLResponse:
    return render_contract(current, contract_id, done=done)
