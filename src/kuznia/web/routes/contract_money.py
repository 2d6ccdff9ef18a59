"""Money on a contract page: commitments of pledge money (the paying partner or the
coordinator), payments under a commitment (the same) and expenditure reported under one (the
contracted company or the coordinator), each through ``services.contracting.money_flows``,
which refuses whatever would overspend and says by how much."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response

from kuznia.db.contracting import MoneyFlow
from kuznia.money import Money
from kuznia.services.contracting import money_flows
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.contract_forms import FLOW_FIELDS, UNDER_COMMITMENT
from kuznia.web.contract_submit import ONCE, Step, submit
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(
    route_class=WebRoute, include_in_schema=False, dependencies=[Depends(check_csrf)]
)
CurrentPage = Annotated[Page, Depends(page)]


def flow_request(data: dict[str, Any]) -> money_flows.FlowRequest:
    amount = Money(data["amount_cents"], data["currency"])
    return money_flows.FlowRequest(
        amount, data.get("value_date"), data.get("reference"), data[ONCE]
    )


def recorded(uow: UnitOfWork, data: dict[str, Any]) -> bool:
    """Whether this form was sent before and its flow recorded (a second click, a reload)."""
    return data[ONCE] is not None and uow.session.get(MoneyFlow, data[ONCE]) is not None


@router.post("/contracts/{contract_id}/commitments")
async def commit(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], _version: int | None) -> None:
        if not recorded(uow, data):
            money_flows.commit_funds(uow, contract_id, flow_request(data))

    step = Step("commit", FLOW_FIELDS, run, "committed", "money")
    return await submit(current, contract_id, step)


@router.post("/contracts/{contract_id}/disbursements")
async def disburse(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], _version: int | None) -> None:
        if not recorded(uow, data):
            money_flows.disburse(uow, data["commitment_id"], flow_request(data))

    step = Step("disburse", (UNDER_COMMITMENT, *FLOW_FIELDS), run, "disbursed", "money")
    return await submit(current, contract_id, step)


@router.post("/contracts/{contract_id}/expenditures")
async def spend(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], _version: int | None) -> None:
        if not recorded(uow, data):
            money_flows.record_expenditure(uow, data["commitment_id"], flow_request(data))

    step = Step("spend", (UNDER_COMMITMENT, *FLOW_FIELDS), run, "spent", "money")
    return await submit(current, contract_id, step)
