"""Sending a form of the contract page: parse it, run the step in one unit of work through the
service, and either go back to the page with what was done (Post/Redirect/Get, so a reload
cannot send it twice) or show the page again with every message next to its field.

A form that changes the contract carries the version it was read at (``version``, the web's
If-Match); when the contract moved on meanwhile the page says so and shows what changed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuznia.errors import KuzniaError, PreconditionFailed
from kuznia.services.contracting.history import changes_since
from kuznia.services.contracting.reading import get_contract
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.web.contract_forms import FormState, parse_schedule, service_errors
from kuznia.web.contract_page import contract_context
from kuznia.web.forms import Field, parse_form
from kuznia.web.navigation import N_
from kuznia.web.page import Page

DONE: Mapping[str, str] = {
    "created": N_("The draft contract was drawn up."),
    "exists": N_("This line of the plan has its draft contract already: here it is."),
    "signed": N_("Your signature was recorded."),
    "amended": N_("The amendment was recorded."),
    "terminated": N_("The contract was terminated."),
    "completed": N_("The contract was completed."),
    "started": N_("Production has started under this contract."),
    "committed": N_("The commitment was recorded."),
    "disbursed": N_("The payment was recorded."),
    "spent": N_("The expenditure was recorded."),
    "delivered": N_("The delivery was reported."),
    "inspected": N_("The inspection was recorded."),
}
"""What the page says after a step (``?done=``)."""

STALE = N_(
    "This contract changed since you opened it (you read version %(read)s; it is at version "
    "%(now)s). Nothing was saved: look at what changed, then send the form again."
)

STALE_DELIVERY = N_(
    "This delivery changed since you opened the page. Nothing was saved: look at it again."
)


ONCE = "once"
"""A form's one-time id: the id of the record it creates, chosen when the page was shown, so
the same form sent twice records once (the second time finds it recorded)."""
ONCE_RE = re.compile(r"^(comm|disb|expe|dlv)-[0-9a-f]{20}$")


def once_ids() -> dict[str, str]:
    """Fresh one-time ids of the forms that create a record, by form."""
    prefixes = {"commit": "comm", "disburse": "disb", "spend": "expe", "deliver": "dlv"}
    return {form: f"{prefix}-{uuid.uuid4().hex[:20]}" for form, prefix in prefixes.items()}


async def form_values(current: Page) -> dict[str, str]:
    form = await current.request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def render_contract(
    current: Page,
    contract_id: str,
    states: Mapping[str, FormState] | None = None,
    status: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    actor = current.user()
    with current.web.database.reading() as session:
        context = contract_context(
            session, actor, contract_id, current._, states or {}, current.lang
        )
        # rendered inside the session: the rows expire when the reading transaction ends
        return current.render(
            "contract.html",
            status_code=status,
            done=current._(DONE[done]) if done is not None and done in DONE else None,
            once=once_ids(),
            **context,
        )


@dataclass(frozen=True)
class Step:
    """One form of the contract page and the service call it makes."""

    form: str
    fields: Sequence[Field]
    run: Callable[[UnitOfWork, dict[str, Any], int | None], Any]
    done: str
    anchor: str
    versioned: bool = False
    converters: Mapping[str, Callable[[str], Any]] = field(default_factory=dict)


def parse_fields(
    current: Page,
    fields: Sequence[Field],
    values: Mapping[str, str],
    converters: Mapping[str, Callable[[str], Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of ``fields`` (a schedule as months and units) and every message at once."""
    data, errors = parse_form(fields, values, {}, current._)
    every = {"schedule": lambda text: parse_schedule(text, current._), **(converters or {})}
    for name, convert in every.items():
        if name in data and name not in errors:
            try:
                data[name] = convert(data[name])
            except ValueError as exc:
                errors[name] = str(exc)
    return data, errors


def _version(values: Mapping[str, str]) -> int | None:
    text = values.get("version", "")
    return int(text) if text.isdigit() and len(text) < 12 else None


async def submit(current: Page, contract_id: str, step: Step, key: str | None = None) -> Response:
    """Run ``step`` with the form sent; the page again with its messages if anything is wrong."""
    actor = current.user()
    values = await form_values(current)
    data, errors = parse_fields(current, step.fields, values, step.converters)
    data[ONCE] = values.get(ONCE) if ONCE_RE.fullmatch(values.get(ONCE, "")) else None
    version = _version(values) if step.versioned else None
    if not errors:
        try:
            with current.web.database.unit_of_work(actor) as uow:
                step.run(uow, data, version)
        except PreconditionFailed:
            return _stale(current, contract_id, step, values, version, key)
        except KuzniaError as exc:
            errors = service_errors(exc, step.fields, current._)
    if errors:
        state = FormState(values, errors)
        return render_contract(current, contract_id, {key or step.form: state}, status=422)
    return RedirectResponse(
        f"/contracts/{contract_id}?done={step.done}#{step.anchor}", status_code=303
    )


def _stale(
    current: Page,
    contract_id: str,
    step: Step,
    values: dict[str, str],
    version: int | None,
    key: str | None,
) -> HTMLResponse:
    """The page again, saying the record moved on; for the contract, what changed since."""
    if key is not None:  # a delivery's inspection: it was inspected or changed meanwhile
        state = FormState(values, {"": current._(STALE_DELIVERY)})
        return render_contract(current, contract_id, {key: state}, status=409)
    actor = current.user()
    with current.web.database.reading() as session:
        changes = changes_since(session, actor, contract_id, version or 0)
        now = get_contract(session, actor, contract_id).version
    message = current._(STALE) % {"read": version, "now": now}
    state = FormState(values, {"": message}, stale=changes)
    return render_contract(current, contract_id, {step.form: state}, status=409)
