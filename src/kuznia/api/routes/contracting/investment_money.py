"""An investment's money over HTTP: commit money to an investment (optionally from a pledge
with purpose investment), list its flows, read its balance. Disbursements go through
``POST /commitments/{id}/disbursements`` as a contract's do (one rule: ``money_flows``); the
rules are ``services/contracting/investment_money``. Creating requests take an
``Idempotency-Key``; a commitment may send ``If-Match`` (the investment's ETag) and is refused
with 412 if the investment changed since it was read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BaseModel, Field

from kuznia.api.contracting_models import AmountIn, Cursor, DecimalText, FlowOut, FlowPage, Limit
from kuznia.api.deps import CurrentActor, IdempotencyKey, IfMatch, expected_version
from kuznia.api.deps import database as database_of
from kuznia.api.idempotency import Created
from kuznia.api.routes.contracting.common import PREFIX, created
from kuznia.db.contracting import FlowKind
from kuznia.services.contracting import investment_money
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.record_schemas import RefId
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix=PREFIX, tags=["investments"])
KindQuery = Annotated[FlowKind | None, Query(description="only flows of this kind")]


class InvestmentAmountIn(AmountIn):
    """An amount committed to an investment: from the investor's own money, or from a pledge
    with purpose investment that may pay the investment's project."""

    pledge_id: RefId | None = Field(None, description="the paying pledge, if any")


class InvestmentMoneyOut(BaseModel):
    investment_id: str
    currency: str
    amount: DecimalText
    committed: DecimalText
    disbursed: DecimalText
    left_to_commit: DecimalText = Field(description="amount less commitments")
    left_to_disburse: DecimalText = Field(description="commitments less disbursements")

    @classmethod
    def of(cls, found: investment_money.InvestmentMoney) -> InvestmentMoneyOut:
        return cls(
            investment_id=found.investment_id,
            currency=found.amount.currency,
            amount=str(found.amount),
            committed=str(found.committed),
            disbursed=str(found.disbursed),
            left_to_commit=str(found.left_to_commit),
            left_to_disburse=str(found.left_to_disburse),
        )


@router.post(
    "/investments/{id}/commitments",
    response_model=FlowOut,
    status_code=201,
    operation_id="commit_to_investment",
)
def commit(
    request: Request,
    actor: CurrentActor,
    id: str,
    body: InvestmentAmountIn,
    key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> Any:
    """Commit money to an investment (its investor or the coordinator); 409 if it would
    overspend the investment or the paying pledge, 412 if ``If-Match`` is stale."""
    version = None if if_match is None else expected_version(if_match)

    def create(uow: UnitOfWork) -> Created:
        flow = investment_money.commit_to_investment(
            uow, id, body.flow(), pledge_id=body.pledge_id, expected_version=version
        )
        return Created(FlowOut.of(flow), 201)

    return created(request, actor, key, body, create)


@router.get(
    "/investments/{id}/money-flows", response_model=FlowPage, operation_id="list_investment_flows"
)
def list_flows(
    request: Request,
    actor: CurrentActor,
    id: str,
    kind: KindQuery = None,
    cursor: Annotated[Cursor | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 50,
) -> FlowPage:
    """An investment's commitments and disbursements (IATI transaction types 2 and 3), in
    commit order, for whoever may read the investment."""
    with database_of(request).reading() as session:
        page = investment_money.list_investment_flows(
            session, actor, id, kind=kind, cursor=cursor, limit=limit
        )
        items = [FlowOut.of(f) for f in page.items]
    return FlowPage(items=items, next_cursor=page.next_cursor)


@router.get(
    "/investments/{id}/money",
    response_model=InvestmentMoneyOut,
    operation_id="investment_money",
)
def balance(request: Request, actor: CurrentActor, id: str) -> InvestmentMoneyOut:
    """Amount, committed, disbursed, and what is left to commit and to disburse."""
    with database_of(request).reading() as session:
        return InvestmentMoneyOut.of(investment_money.investment_money(session, actor, id))
