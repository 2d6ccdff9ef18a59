"""Steps on a contract's own terms: signing (the coordinator for Ukraine and the paying partner,
in either order), amending, completing and terminating it, each through
``services.contracting`` and answering to the version the form was read at (If-Match)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response

from kuznia.errors import InvalidInput
from kuznia.services.contracting import amendments, contracts
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.contract_forms import AMEND_FIELDS, TERMINATE_FIELDS
from kuznia.web.contract_submit import Step, submit
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(
    route_class=WebRoute, include_in_schema=False, dependencies=[Depends(check_csrf)]
)
CurrentPage = Annotated[Page, Depends(page)]
AMENDABLE = ("title", "units", "amount_cents", "offtake_until", "offtake_condition",
             "capacity_after", "ip_owner", "export_licence_status", "export_licence_reference",
             "export_licence_expiry")  # fmt: skip
REQUIRED_TERMS = frozenset({"title", "units", "amount_cents"})
"""Terms a contract always has: an empty field leaves them as they are."""


def _step(form: str, done: str, run: Any, fields: Any = (), anchor: str = "steps") -> Step:
    return Step(form, fields, run, done, anchor, versioned=True)


@router.post("/contracts/{contract_id}/signature")
async def sign(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, _data: dict[str, Any], version: int | None) -> None:
        contracts.sign_contract(uow, contract_id, expected_version=version)

    return await submit(current, contract_id, _step("sign", "signed", run))


@router.post("/contracts/{contract_id}/production")
async def start(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, _data: dict[str, Any], version: int | None) -> None:
        contracts.start_production(uow, contract_id, expected_version=version)

    return await submit(current, contract_id, _step("start", "started", run))


@router.post("/contracts/{contract_id}/completion")
async def complete(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, _data: dict[str, Any], version: int | None) -> None:
        contracts.complete_contract(uow, contract_id, expected_version=version)

    return await submit(current, contract_id, _step("complete", "completed", run))


@router.post("/contracts/{contract_id}/termination")
async def terminate(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], version: int | None) -> None:
        contracts.terminate_contract(uow, contract_id, data["reason"], expected_version=version)

    step = _step("terminate", "terminated", run, TERMINATE_FIELDS, "terminate")
    return await submit(current, contract_id, step)


def changed_terms(data: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The terms the amendment form changes: those that differ from what the form was filled
    with (an emptied optional term is cleared)."""
    return {
        name: data.get(name)
        for name in AMENDABLE
        if (data.get(name) is not None or (name in before and name not in REQUIRED_TERMS))
        and data.get(name) != before.get(name)
    }


@router.post("/contracts/{contract_id}/amendments")
async def amend(contract_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], version: int | None) -> None:
        _, before = contracts.locked_contract(uow, contract_id)
        schedule = data.get("schedule")
        changes = changed_terms(data, {k: v for k, v in before.items() if v is not None})
        if schedule == before["schedule"]:
            schedule = None
        if not changes and schedule is None:
            raise InvalidInput.single("", "change at least one term or the schedule")
        amendments.amend_contract(uow, contract_id, changes, data["reason"],
                                  schedule=schedule, expected_version=version)  # fmt: skip

    step = _step("amend", "amended", run, AMEND_FIELDS, "amend")
    return await submit(current, contract_id, step)
