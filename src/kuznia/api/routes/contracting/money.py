"""Money over HTTP: commit pledge money to a contract, disburse and spend under a commitment,
list a contract's flows, read a pledge's balance (the rules: ``services/contracting/money_flows``).
Creating requests take an ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Request

from kuznia.api.contracting_models import AmountIn, BalanceOut, Cursor, FlowOut, FlowPage, Limit
from kuznia.api.deps import CurrentActor, IdempotencyKey, database
from kuznia.api.idempotency import Created
from kuznia.api.routes.contracting.common import PREFIX, created
from kuznia.db.contracting import FlowKind
from kuznia.services.contracting import money_flows
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix=PREFIX, tags=["contracts"])
KindQuery = Annotated[FlowKind | None, Query(description="only flows of this kind")]


def _flow(
    request: Request,
    actor: CurrentActor,
    key: str | None,
    body: AmountIn,
    record: Callable[[UnitOfWork], Any],
) -> Any:
    def create(uow: UnitOfWork) -> Created:
        return Created(FlowOut.of(record(uow)), 201)

    return created(request, actor, key, body, create)


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
    kind: KindQuery = None,
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
