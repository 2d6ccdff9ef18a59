"""Contracts, money flows and deliveries: the whole lifecycle of a contract over HTTP.

Create (by hand, or from a stored plan's funding rows), sign, start production, amend,
complete or terminate; commit, disburse and spend money; report and inspect deliveries. Who
may do what, and who sees which contract or delivery destination, is decided in the services
(``contracts``, ``money_flows``, ``deliveries``); these routes only translate. Changes of a
contract or a delivery answer to ``If-Match`` (its ETag, the version); creating requests take an
``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from kuznia.api.contracting_models import (
    AmendmentCursor,
    AmendmentIn,
    AmendmentOut,
    AmendmentPage,
    AmountIn,
    BalanceOut,
    CapacityRowOut,
    ContractIn,
    ContractOut,
    ContractPage,
    ContractQuery,
    CreatedContracts,
    Cursor,
    DeliveryIn,
    DeliveryOut,
    DeliveryPage,
    FlowOut,
    FlowPage,
    FromPlanIn,
    InspectionIn,
    Limit,
    TerminationIn,
)
from kuznia.api.deps import (
    CurrentActor,
    IdempotencyKey,
    IfMatch,
    database,
    etag,
    expected_version,
)
from kuznia.api.idempotency import Created, fingerprint, run_create
from kuznia.db.contracting import FLOW_KINDS, Contract
from kuznia.services.contracting import contracts, deliveries, money_flows
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.unit_of_work import UnitOfWork

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, tags=["contracts"])
FlowKind = Annotated[
    Literal[FLOW_KINDS] | None,  # type: ignore[valid-type]
    Query(description="only flows of this kind"),
]


def _out(uow: UnitOfWork, contract: Contract) -> ContractOut:
    return ContractOut.of(contract, contracts.schedule_of(uow.session, contract.id))


def _created(
    request: Request,
    actor: Actor,
    key: str | None,
    body: BaseModel,
    create: Callable[[UnitOfWork], Created],
) -> JSONResponse:
    print_ = fingerprint("POST", request.url.path, body.model_dump(mode="json"))
    return run_create(database(request), actor, key, print_, create)


# --- contracts ------------------------------------------------------------------------------


@router.get("/contracts", response_model=ContractPage, operation_id="list_contracts")
def list_contracts(
    request: Request, actor: CurrentActor, query: Annotated[ContractQuery, Query()]
) -> ContractPage:
    """The contracts you may read (all for the coordinator and auditors, those a partner pays
    for, a company's own), in commit order, filtered by equality, a page by cursor."""
    filters = query.model_dump(include=set(contracts.CONTRACT_FILTERS))
    with database(request).reading() as session:
        page = contracts.list_contracts(
            session, actor, filters, cursor=query.cursor, limit=query.limit
        )
        schedules = contracts.schedules_of(session, [c.id for c in page.items])
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
        draft = body.draft(body.id or contracts.new_contract_id())
        contract = contracts.create_contract(uow, draft)
        headers = {"Location": f"{PREFIX}/contracts/{contract.id}", "ETag": etag(contract.version)}
        return Created(_out(uow, contract).model_dump(mode="json"), 201, headers)

    return _created(request, actor, key, body, create)


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
        made = contracts.contracts_from_stored_plan(
            uow, body.plan_id, pledge_id=body.pledge_id, proposal_id=body.proposal_id
        )
        answer = CreatedContracts(items=[_out(uow, c) for c in made])
        return Created(answer.model_dump(mode="json"), 201)

    return _created(request, actor, key, body, create)


@router.get("/contracts/{id}", response_model=ContractOut, operation_id="get_contract")
def read_contract(request: Request, response: Response, actor: CurrentActor, id: str) -> Any:
    """A contract with its schedule, if you are a party to it (or coordinator, auditor);
    ETag: its version."""
    with database(request).reading() as session:
        contract = contracts.get_contract(session, actor, id)
        answer = ContractOut.of(contract, contracts.schedule_of(session, id))
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
        rows, next_cursor = contracts.amendments_page(session, actor, id, after=cursor, limit=limit)
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
        amendment = contracts.amend_contract(
            uow, id, body.changes(), body.reason, schedule=body.schedule, expected_version=version
        )
        headers = {
            "Location": f"{PREFIX}/contracts/{id}/amendments",
            "ETag": etag(amendment.version),
        }
        return Created(AmendmentOut.of(amendment).model_dump(mode="json"), 201, headers)

    return _created(request, actor, key, body, create)


# --- money ----------------------------------------------------------------------------------


def _flow(
    request: Request,
    actor: CurrentActor,
    key: str | None,
    body: AmountIn,
    record: Callable[[UnitOfWork], Any],
) -> Any:
    def create(uow: UnitOfWork) -> Created:
        return Created(FlowOut.of(record(uow)).model_dump(mode="json"), 201)

    return _created(request, actor, key, body, create)


@router.post(
    "/contracts/{id}/commitments",
    response_model=FlowOut,
    status_code=201,
    operation_id="commit_funds",
)
def commit(
    request: Request, actor: CurrentActor, id: str, body: AmountIn, key: IdempotencyKey = None
) -> Any:
    """Commit pledge money to a signed contract (the paying partner or the coordinator); 409
    if it would overspend the pledge or the contract (Idempotency-Key supported)."""
    return _flow(
        request, actor, key, body, lambda uow: money_flows.commit_funds(uow, id, body.flow())
    )


@router.post(
    "/commitments/{id}/disbursements",
    response_model=FlowOut,
    status_code=201,
    operation_id="disburse",
)
def disburse(
    request: Request, actor: CurrentActor, id: str, body: AmountIn, key: IdempotencyKey = None
) -> Any:
    """Pay out under a commitment (the paying partner or the coordinator); 409 beyond the
    commitment (Idempotency-Key supported)."""
    return _flow(request, actor, key, body, lambda uow: money_flows.disburse(uow, id, body.flow()))


@router.post(
    "/commitments/{id}/expenditures",
    response_model=FlowOut,
    status_code=201,
    operation_id="record_expenditure",
)
def spend(
    request: Request, actor: CurrentActor, id: str, body: AmountIn, key: IdempotencyKey = None
) -> Any:
    """Report money spent under a commitment (the contracted company or the coordinator); 409
    beyond what was disbursed under it (Idempotency-Key supported)."""
    return _flow(
        request, actor, key, body, lambda uow: money_flows.record_expenditure(uow, id, body.flow())
    )


@router.get("/contracts/{id}/money-flows", response_model=FlowPage, operation_id="list_money_flows")
def list_flows(
    request: Request,
    actor: CurrentActor,
    id: str,
    kind: FlowKind = None,
    cursor: Annotated[Cursor | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 50,
) -> FlowPage:
    """A contract's commitments, disbursements and expenditures (IATI transaction types 2, 3
    and 4), in commit order, for whoever may read the contract."""
    with database(request).reading() as session:
        page = money_flows.list_flows(session, actor, id, kind=kind, cursor=cursor, limit=limit)
        items = [FlowOut.of(f) for f in page.items]
    return FlowPage(items=items, next_cursor=page.next_cursor)


@router.get("/pledges/{id}/balance", response_model=BalanceOut, operation_id="pledge_balance")
def balance(request: Request, actor: CurrentActor, id: str) -> BalanceOut:
    """Amount, committed, disbursed, spent and free (amount less commitments)."""
    with database(request).reading() as session:
        return BalanceOut.of(money_flows.pledge_balance(session, actor, id))


# --- deliveries -----------------------------------------------------------------------------


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
    report = deliveries.DeliveryReport(id, body.delivered_on, body.units, body.destination)

    def create(uow: UnitOfWork) -> Created:
        made = deliveries.report_delivery(uow, report)
        view = deliveries.view_of(uow.session, uow.actor, made)
        headers = {"ETag": etag(view.version)}
        return Created(DeliveryOut.of(view).model_dump(mode="json"), 201, headers)

    return _created(request, actor, key, body, create)


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
