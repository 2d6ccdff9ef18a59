"""What-if: change a pledge's amount or earmarks, or add one, re-plan, and compare side by side
with the current plan. Nothing is stored; only those who may change the pledge may model it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse

from kuznia.errors import InvalidInput
from kuznia.money import format_cents
from kuznia.scenario.model import Scenario
from kuznia.services.access.policy import RULES, Action, Scope, Viewer, owner_value, scope_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.aggregates import pledge_labels
from kuznia.services.planning.compare import compare
from kuznia.services.planning.views import PledgeChange, apply_pledge_change, check_what_if
from kuznia.services.registries.browse import choices, currencies
from kuznia.web import plan_charts
from kuznia.web.forms import Field, bind, parse_form, problem_messages
from kuznia.web.names import local_scenario
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
NEW = "__new__"
MODELLERS = tuple(RULES["pledges"][Action.UPDATE])
"""Who may model a pledge: who may change one (the access policy's rule)."""

FIELDS = (
    Field("pledge_id", N_("Pledge"), "select", options="pledges"),
    Field("new_id", N_("Id of the new pledge"), "text", required=False,
          hint=N_("Only when adding a pledge.")),
    Field("partner_id", N_("Partner"), "select", options="partners"),
    Field("amount", N_("Amount"), "money", hint=N_("At most two decimals, e.g. 50000000.00.")),
    Field("currency", N_("Currency"), "select", options="currencies"),
    Field("valid_from", N_("Valid from"), "month", hint=N_("YYYY-MM, for example 2026-03.")),
    Field("valid_to", N_("Valid to"), "month", hint=N_("YYYY-MM, for example 2026-03.")),
    Field("capabilities", N_("Earmarked capabilities"), "multiselect", required=False,
          options="capabilities", hint=N_("None selected means any capability.")),
    Field("site_countries", N_("Earmarked site countries"), "countries", required=False,
          hint=N_("Two-letter codes separated by commas; empty means any.")),
    Field("company_countries", N_("Earmarked company countries"), "countries", required=False,
          hint=N_("Two-letter codes separated by commas; empty means any.")),
)  # fmt: skip


def _editable(actor: Actor, scenario: Scenario) -> list[str]:
    """The pledges of the scenario ``actor`` may change, so model (the access policy's rule)."""
    viewer = Viewer(actor)
    return [
        g.id for g in scenario.pledges
        if viewer.may("pledges", {"partner_id": g.partner}, Action.UPDATE)
    ]  # fmt: skip


def _own_partner(actor: Actor) -> str | None:
    """The partner a modeller's pledges must be of, when it may change only its own."""
    if scope_of(actor, "pledges", Action.UPDATE) is Scope.OWN:
        return owner_value(actor, "pledges") or ""
    return None


def _values_of(scenario: Scenario, pledge_id: str, actor: Actor) -> dict[str, Any]:
    """The form filled in with a pledge of the scenario, or empty for a new one."""
    g = next((p for p in scenario.pledges if p.id == pledge_id), None)
    if g is None:
        return {"pledge_id": NEW, "partner_id": _own_partner(actor) or "", "currency": "EUR"}
    return {
        "pledge_id": g.id, "partner_id": g.partner, "amount": format_cents(int(g.amount * 100)),
        "currency": g.currency, "valid_from": g.valid_from, "valid_to": g.valid_to,
        "capabilities": list(g.capabilities), "site_countries": ", ".join(g.site_countries),
        "company_countries": ", ".join(g.company_countries),
    }  # fmt: skip


def _options(current: Page, scenario: Scenario, labels: dict[str, str]) -> Any:
    actor = current.viewer
    mine = [(g, labels[g]) for g in _editable(actor, scenario) if g in labels]
    with current.web.database.reading() as session:
        table = {
            "pledges": [*mine, (NEW, current._("A new pledge"))],
            "partners": choices(session, actor, "partners"),
            "currencies": [(c, c) for c in currencies(session)],
            "capabilities": [(c.id, c.name) for c in scenario.capabilities],
        }
    return lambda f: table.get(f.options, [])


def _render(
    current: Page, values: dict[str, Any], errors: dict[str, str], result: Any = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    actor = current.require(*MODELLERS)
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        labels = pledge_labels(session, actor, planned.scenario, current.lang)
        shown = local_scenario(session, planned.scenario, current.lang)  # names only
    own = _own_partner(actor)
    fixed = {"partner_id"} if own is not None else set()
    if own is not None:
        values = {**values, "partner_id": own}
    options = _options(current, shown, labels)
    fields = bind(FIELDS, values, errors, options, current._, fixed)
    template = "partials/what_if_body.html" if current.is_htmx else "what_if.html"
    return current.render(
        template, status_code=status, title=current._("What-if"), fields=fields,
        errors=[(f.field.name, f.label, f.error) for f in fields if f.error],
        general=errors.get(""), result=result, new=NEW,
    )  # fmt: skip


@router.get("/what-if", response_class=HTMLResponse)
def what_if_form(
    current: CurrentPage, pledge: Annotated[str | None, Query(max_length=100)] = None
) -> HTMLResponse:
    actor = current.require(*MODELLERS)
    with current.web.database.reading() as session:
        scenario = current.current_plan(session).scenario
    editable = _editable(actor, scenario)
    chosen = pledge if pledge in editable or pledge == NEW else (editable or [NEW])[0]
    return _render(current, _values_of(scenario, chosen, actor), {})


@router.post("/what-if", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def what_if(current: CurrentPage) -> HTMLResponse:
    actor = current.require(*MODELLERS)
    form = await current.request.form()
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    multi = {"capabilities": [v for v in form.getlist("capabilities") if isinstance(v, str)]}
    values["capabilities"] = multi["capabilities"]
    data, errors = parse_form(FIELDS, values, multi, current._)
    if errors:
        return _render(current, values, errors, status=422)
    change = PledgeChange(
        pledge_id=data.get("new_id") or "what-if-pledge" if data["pledge_id"] == NEW
        else data["pledge_id"],
        partner_id=data["partner_id"], amount=format_cents(data["amount"]),
        currency=data["currency"], valid_from=data["valid_from"], valid_to=data["valid_to"],
        capabilities=tuple(data.get("capabilities", ())),
        site_countries=tuple(data.get("site_countries", ())),
        company_countries=tuple(data.get("company_countries", ())),
    )  # fmt: skip
    with current.web.database.reading() as session:
        before = current.current_plan(session)
        check_what_if(actor, before.scenario, change)
        try:
            scenario = apply_pledge_change(before.scenario, change)
        except InvalidInput as exc:
            return _render(current, values, problem_messages(exc.problems, FIELDS, current._),
                           status=422)  # fmt: skip
        after = current.web.plans.plan(scenario, before.warm)
        result = compare(before, after, pledge_labels(session, actor, scenario, current.lang))
    chart = plan_charts.what_if_chart(result, current._, current.lang)
    return _render(current, values, {}, result=(result, chart))
