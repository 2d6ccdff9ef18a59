"""Contracts over HTTP: draw up (by hand, or from a stored plan's funding rows), read and list,
sign, start production, complete or terminate, amend and read the amendments.

Who may do what, and who sees which contract, is decided in the services (the transition table
of ``services/contracting/lifecycle.py``, the visibility of ``reading``); these routes only
translate. Changes answer to ``If-Match`` (the contract's ETag, its version); creating requests
take an ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Request, Response

from kuznia.api.contracting_models import (
    AmendmentCursor,
    AmendmentIn,
    AmendmentOut,
    AmendmentPage,
    ContractIn,
    ContractOut,
    ContractPage,
    ContractQuery,
    CreatedContracts,
    FromPlanIn,
    Limit,
    TerminationIn,
)
from kuznia.api.deps import CurrentActor, IdempotencyKey, IfMatch, database, etag, expected_version
from kuznia.api.idempotency import Created
from kuznia.api.routes.contracting.common import PREFIX, created
from kuznia.db.contracting import Contract
from kuznia.services.contracting import amendments, contracts, drafting, reading
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix=PREFIX, tags=["contracts"])


def _out(uow: UnitOfWork, contract: Contract) -> ContractOut:
    return ContractOut.of(contract, reading.schedule_of(uow.session, contract.id))


@router.get("/contracts", response_model=ContractPage, operation_id="list_contracts")
def list_contracts(
    request: Request, actor: CurrentActor, query: Annotated[ContractQuery, Query()]
) -> ContractPage:
    """The contracts you may read (all for the coordinator and auditors, those a partner pays
    for, a company's own), in commit order, filtered by equality, a page by cursor."""
    filters = query.model_dump(include=set(reading.CONTRACT_FILTERS))
    with database(request).reading() as session:
        page = reading.list_contracts(
            session, actor, filters, cursor=query.cursor, limit=query.limit
        )
        schedules = reading.schedules_of(session, [c.id for c in page.items])
        items = [ContractOut.of(c, schedules[c.id]) for c in page.items]
    return ContractPage(items=items, next_cursor=page.next_cursor)


@router.post(
    "/contracts", response_model=ContractOut, status_code=201, operation_id="create_contract"
)
def create_contract(
    body: ContractIn, request: Request, actor: CurrentActor, key: IdempotencyKey = None
) -> Any:
    """Draw up a draft contract by hand (the coordinator; Idempotency-Key supported)."""

    def create(uow: UnitOfWork) -> Created:
        draft = body.draft(body.id or drafting.new_contract_id())
        contract = drafting.create_contract(uow, draft)
        headers = {"Location": f"{PREFIX}/contracts/{contract.id}", "ETag": etag(contract.version)}
        return Created(_out(uow, contract), 201, headers)

    return created(request, actor, key, body, create)


@router.post(
    "/contracts/from-plan",
    response_model=CreatedContracts,
    status_code=201,
    operation_id="contracts_from_plan",
)
def from_plan(
    body: FromPlanIn, request: Request, actor: CurrentActor, key: IdempotencyKey = None
) -> Any:
    """Draft contracts from a stored plan: one per (pledge, proposal) it funds, or only those
    of ``pledge_id`` / ``proposal_id``; amounts converted to each pledge's currency at the
    planning rates (the coordinator; Idempotency-Key supported)."""

    def create(uow: UnitOfWork) -> Created:
        made = drafting.contracts_from_stored_plan(
            uow, body.plan_id, pledge_id=body.pledge_id, proposal_id=body.proposal_id
        )
        answer = CreatedContracts(items=[_out(uow, c) for c in made])
        return Created(answer, 201)

    return created(request, actor, key, body, create)


@router.get("/contracts/{id}", response_model=ContractOut, operation_id="get_contract")
def read_contract(request: Request, response: Response, actor: CurrentActor, id: str) -> Any:
    """A contract with its schedule, if you are a party to it (or coordinator, auditor);
    ETag: its version."""
    with database(request).reading() as session:
        contract = reading.get_contract(session, actor, id)
        answer = ContractOut.of(contract, reading.schedule_of(session, id))
    response.headers["ETag"] = etag(answer.version)
    return answer


def _change(
    request: Request,
    response: Response,
    actor: CurrentActor,
    if_match: str | None,
    change: Callable[[UnitOfWork, int | None], Contract],
) -> ContractOut:
    """Run a change of a contract that answers to If-Match; the new ETag on the answer."""
    version = expected_version(if_match)
    with database(request).unit_of_work(actor) as uow:
        answer = _out(uow, change(uow, version))
    response.headers["ETag"] = etag(answer.version)
    return answer


@router.post("/contracts/{id}/signature", response_model=ContractOut, operation_id="sign_contract")
def sign(
    request: Request, response: Response, actor: CurrentActor, id: str, if_match: IfMatch = None
) -> Any:
    """Sign the version you read, as the coordinator or as the paying partner; both
    signatures make a draft ``signed`` (If-Match required)."""

    def change(uow: UnitOfWork, version: int | None) -> Contract:
        return contracts.sign_contract(uow, id, expected_version=version)

    return _change(request, response, actor, if_match, change)


@router.post(
    "/contracts/{id}/production", response_model=ContractOut, operation_id="start_production"
)
def start(
    request: Request, response: Response, actor: CurrentActor, id: str, if_match: IfMatch = None
) -> Any:
    """signed -> in_production: the contracted company or the coordinator (If-Match
    required). A first delivery does this by itself."""

    def change(uow: UnitOfWork, version: int | None) -> Contract:
        return contracts.start_production(uow, id, expected_version=version)

    return _change(request, response, actor, if_match, change)


@router.post(
    "/contracts/{id}/completion", response_model=ContractOut, operation_id="complete_contract"
)
def complete(
    request: Request, response: Response, actor: CurrentActor, id: str, if_match: IfMatch = None
) -> Any:
    """in_production -> completed: the coordinator (If-Match required)."""

    def change(uow: UnitOfWork, version: int | None) -> Contract:
        return contracts.complete_contract(uow, id, expected_version=version)

    return _change(request, response, actor, if_match, change)


@router.post(
    "/contracts/{id}/termination", response_model=ContractOut, operation_id="terminate_contract"
)
def terminate(
    request: Request,
    response: Response,
    actor: CurrentActor,
    id: str,
    body: TerminationIn,
    if_match: IfMatch = None,
) -> Any:
    """End a contract before completion, saying why: the coordinator (If-Match required)."""

    def change(uow: UnitOfWork, version: int | None) -> Contract:
        return contracts.terminate_contract(uow, id, body.reason, expected_version=version)

    return _change(request, response, actor, if_match, change)


@router.get(
    "/contracts/{id}/amendments", response_model=AmendmentPage, operation_id="list_amendments"
)
def list_amendments(
    request: Request,
    actor: CurrentActor,
    id: str,
    cursor: Annotated[AmendmentCursor | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 50,
) -> AmendmentPage:
    """A contract's amendments, oldest first: the terms before and after, why, by whom."""
    with database(request).reading() as session:
        rows, next_cursor = reading.amendments_page(session, actor, id, after=cursor, limit=limit)
        items = [AmendmentOut.of(a) for a in rows]
    return AmendmentPage(items=items, next_cursor=next_cursor)


@router.post(
    "/contracts/{id}/amendments",
    response_model=AmendmentOut,
    status_code=201,
    operation_id="amend_contract",
)
def amend(
    request: Request,
    actor: CurrentActor,
    id: str,
    body: AmendmentIn,
    if_match: IfMatch = None,
    key: IdempotencyKey = None,
) -> Any:
    """Change the terms of the version you read (the coordinator; If-Match required,
    Idempotency-Key supported). The answer's ETag is the contract's new version."""
    version = expected_version(if_match)

    def create(uow: UnitOfWork) -> Created:
        amendment = amendments.amend_contract(
            uow, id, body.changes(), body.reason, schedule=body.schedule, expected_version=version
        )
        headers = {
            "Location": f"{PREFIX}/contracts/{id}/amendments",
            "ETag": etag(amendment.version),
        }
        return Created(AmendmentOut.of(amendment), 201, headers)

    return created(request, actor, key, body, create)
