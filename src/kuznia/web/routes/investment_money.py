"""Money on an investment's record page: commitments (from the investor's own money or a
pledge with purpose investment) and payments under them, by the investor or the coordinator,
each through ``services.contracting`` (``investment_money.commit_to_investment``,
``money_flows.disburse``), which refuse whatever would overspend and say by how much."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuznia.db.contracting import MoneyFlow
from kuznia.errors import KuzniaError, PreconditionFailed
from kuznia.money import Money
from kuznia.services.contracting import investment_money, money_flows
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.contract_forms import FormState, service_errors
from kuznia.web.contract_submit import ONCE, ONCE_RE, form_values, parse_fields
from kuznia.web.forms import Field
from kuznia.web.investment_money import FORMS
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routes.records import load, render_record
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(
    route_class=WebRoute, include_in_schema=False, dependencies=[Depends(check_csrf)]
)
CurrentPage = Annotated[Page, Depends(page)]
Run = Callable[[UnitOfWork, dict[str, Any], int | None], Any]

STALE = N_(
    "This investment changed since you opened it (you read version %(read)s). Nothing was "
    "saved: look at it again, then send the form again."
)


def _request(data: dict[str, Any]) -> money_flows.FlowRequest:
    amount = Money(data["amount_cents"], data["currency"])
    return money_flows.FlowRequest(
        amount, data.get("value_date"), data.get("reference"), data[ONCE]
    )


def _recorded(uow: UnitOfWork, data: dict[str, Any]) -> bool:
    """Whether this form was sent before and its flow recorded (a second click, a reload)."""
    return data[ONCE] is not None and uow.session.get(MoneyFlow, data[ONCE]) is not None


def _version(values: dict[str, str]) -> int:
    text = values.get("version", "")
    return int(text) if text.isdigit() and len(text) < 12 else 0


async def _submit(current: Page, investment_id: str, form: str, run: Run, done: str) -> Response:
    """Run the form's step in one unit of work; the page again with its messages if refused."""
    fields: Sequence[Field] = FORMS[form]
    values = await form_values(current)
    data, errors = parse_fields(current, fields, values)
    data[ONCE] = values.get(ONCE) if ONCE_RE.fullmatch(values.get(ONCE, "")) else None
    version = _version(values)
    status = 422
    if not errors:
        try:
            with current.web.database.unit_of_work(current.user()) as uow:
                run(uow, data, version)
        except PreconditionFailed:
            errors, status = {"": current._(STALE) % {"read": version}}, 409
        except KuzniaError as exc:
            errors = service_errors(exc, fields, current._)
    if errors:
        return _again(current, investment_id, form, FormState(values, errors), status)
    return RedirectResponse(
        f"/registries/investments/{investment_id}?saved={done}#money", status_code=303
    )


def _again(
    current: Page, investment_id: str, form: str, state: FormState, status: int
) -> HTMLResponse:
    view = load(current, "investments", investment_id)
    return render_record(current, view, status=status, money_states={form: state})


@router.post("/investments/{investment_id}/commitments")
async def commit(investment_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], version: int | None) -> None:
        if not _recorded(uow, data):
            investment_money.commit_to_investment(
                uow, investment_id, _request(data),
                pledge_id=data.get("pledge_id") or None, expected_version=version,
            )  # fmt: skip

    return await _submit(current, investment_id, "commit", run, "committed")


@router.post("/investments/{investment_id}/disbursements")
async def disburse(investment_id: str, current: CurrentPage) -> Response:
    def run(uow: UnitOfWork, data: dict[str, Any], _version: int | None) -> None:
        if not _recorded(uow, data):
            money_flows.disburse(uow, data["commitment_id"], _request(data))

    return await _submit(current, investment_id, "disburse", run, "disbursed")
