"""A registry record's page and its edit form (If-Match by the version the form was read at).

A form read at an older version than the record's is stale: the page says so, shows what
changed field by field and keeps what the user typed; saving again then applies it knowingly.
A replayed form whose values the record already holds changes nothing and says it is saved.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kuznia.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from kuznia.services.registries import records
from kuznia.services.registries.browse import Name
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.record_schemas import immutable_fields, record_schemas
from kuznia.services.registries.record_view import RecordView, view_record
from kuznia.web.fields import RECORD_TITLES
from kuznia.web.forms import (
    Field,
    bind,
    parse_form,
    problem_messages,
    pydantic_messages,
    schema_messages,
)
from kuznia.web.investment_money import money_context
from kuznia.web.names import local_name
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.record_forms import (
    conflict_messages,
    empty_as_default,
    form_fields,
    options_for,
    submitted,
)
from kuznia.web.record_page import Change, changes_since, form_values, shown_fields
from kuznia.web.routes.investment import project_matching
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf
from kuznia.web.tables import FORM_ENTITIES, readable_registries

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


def load(current: Page, entity: str, record_id: str) -> RecordView:
    """The record as the reader may see it; 404 for a registry it may not read."""
    if entity not in readable_registries(current.user().role):
        raise NotFound(current._("There is no such registry for your role."))
    with current.web.database.reading() as session:
        return view_record(session, current.user(), entity, record_id)


def record_title(current: Page, view: RecordView) -> str:
    record = view.record
    name = record.get("name")
    label = current._(RECORD_TITLES[view.entity])
    if name:
        shown = local_name(Name(str(name), record.get("name_uk")), current.lang)
        return f"{label}: {shown}"
    return f"{label} {record['id']}"


def render_record(current: Page, view: RecordView, status: int = 200, **extra: Any) -> HTMLResponse:
    if view.entity == "investments":  # its money section (web/investment_money.py)
        states = extra.pop("money_states", None)
        with current.web.database.reading() as session:
            extra |= money_context(session, current.user(), view.record["id"], current._, states)
    return current.render(
        "record.html",
        status_code=status,
        title=record_title(current, view),
        view=view,
        entity=view.entity,
        shown=shown_fields(view, current._, current.lang),
        editable=view.may_edit and view.entity in FORM_ENTITIES,
        saved=current.request.query_params.get("saved"),
        **{"errors": {}, "notice": None, "reason": "", **extra},
    )


@router.get("/registries/{entity}/{record_id}", response_class=HTMLResponse)
def record_page(entity: str, record_id: str, current: CurrentPage) -> HTMLResponse:
    view = load(current, entity, record_id)
    if entity == "capacity_projects":  # with the money that would pay its capex
        return render_record(current, view, matching=project_matching(current, record_id))
    return render_record(current, view)


def _editable(current: Page, entity: str, record_id: str) -> RecordView:
    view = load(current, entity, record_id)
    if not view.may_edit or entity not in FORM_ENTITIES:
        raise NotFound(current._("You cannot change this record."))
    return view


def _fixed(entity: str) -> frozenset[str]:
    locked = immutable_fields(entity)
    return frozenset(f.name for f in form_fields(entity) if f.key in locked)


def _render_edit(
    current: Page,
    view: RecordView,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    changes: list[Change] | None = None,
) -> HTMLResponse:
    entity, actor = view.entity, current.user()
    fixed = _fixed(entity)
    base = form_values(form_fields(entity), view.record)
    shown = {**values, **{name: base[name] for name in fixed}}
    with current.web.database.reading() as session:

        def options(f: Field) -> list[tuple[str, str]]:
            return options_for(session, actor, f.options, current._, current.lang)

        fields = bind(form_fields(entity), shown, errors, options, current._, fixed)
    return current.render(
        "record_form.html",
        status_code=status,
        title=current._("Change %(record)s") % {"record": record_title(current, view)},
        entity=entity,
        action=f"/registries/{entity}/{view.record['id']}/edit",
        back=f"/registries/{entity}/{view.record['id']}",
        fields=fields,
        version=view.record["version"],
        base=json.dumps(base),
        changes=changes,
        general=errors.get(""),
        errors=[(f.field.name, f.label, f.error) for f in fields if f.error],
    )


@router.get("/registries/{entity}/{record_id}/edit", response_class=HTMLResponse)
def edit_record(entity: str, record_id: str, current: CurrentPage) -> HTMLResponse:
    view = _editable(current, entity, record_id)
    return _render_edit(current, view, form_values(form_fields(entity), view.record), {})


def _patch(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """The changes the form sends: every field it shows but the fixed ones, an emptied
    optional field as null where the record may have none."""
    table = REGISTRIES[entity].model.__table__
    locked = immutable_fields(entity)
    changes = {k: v for k, v in data.items() if k not in locked}
    for f in form_fields(entity):
        if f.key not in data and f.key not in locked and table.c[f.key].nullable:
            changes[f.key] = None
    return changes


@router.post(
    "/registries/{entity}/{record_id}/edit",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def save_record(entity: str, record_id: str, current: CurrentPage) -> Response:
    view = _editable(current, entity, record_id)
    form = await current.request.form()
    values, multi = submitted(form)
    fields = [f for f in form_fields(entity) if f.name not in _fixed(entity)]
    data, errors = parse_form(fields, values, multi, current._)
    typed = {**values, **{f.name: multi.get(f.name, []) for f in fields if f.kind == "multiselect"}}
    # a form without its version is as stale as any: it never changes a record unchecked
    version = int(values["version"]) if values.get("version", "").isdigit() else 0
    if errors:
        patch = _patch(entity, empty_as_default(data))
        model = record_schemas(entity).patch
        errors = schema_messages(model, patch, fields, current._, errors)
    else:
        changes = _patch(entity, empty_as_default(data))
        try:
            errors = _save(current, view, changes, version)
        except PreconditionFailed:
            return _stale(current, entity, record_id, values.get("base", ""), typed, changes)
    if errors:
        return _render_edit(current, view, typed, errors, status=422)
    return RedirectResponse(f"/registries/{entity}/{record_id}?saved=1", status_code=303)


def _stale(
    current: Page,
    entity: str,
    record_id: str,
    base_text: str,
    typed: dict[str, Any],
    sent: dict[str, Any],
) -> Response:
    """Someone changed the record since the form was read: show what, keep what was typed;
    a replay of a change already made (the record holds what was typed) changes nothing."""
    view = load(current, entity, record_id)
    now = form_values(form_fields(entity), view.record)
    try:
        base = json.loads(base_text)
    except ValueError:
        base = {}
    fields = [f for f in form_fields(entity) if f.name not in _fixed(entity)]
    if all(view.record.get(k) == v for k, v in sent.items()):
        return RedirectResponse(f"/registries/{entity}/{record_id}?saved=1", status_code=303)
    changes = changes_since(fields, base if isinstance(base, dict) else {}, now, typed, current._)
    return _render_edit(current, view, typed, {}, status=409, changes=changes)


def _save(current: Page, view: RecordView, changes: dict[str, Any], version: int) -> dict[str, str]:
    """Change the record through the registry service; its objections by field, if any."""
    fields = form_fields(view.entity)
    try:
        document = record_schemas(view.entity).patch.model_validate(changes)
    except ValidationError as exc:
        return pydantic_messages(exc, fields, current._)
    try:
        with current.web.database.unit_of_work(current.user()) as uow:
            records.update_record(
                uow, view.entity, view.record["id"],
                document.model_dump(exclude_unset=True), version,
            )  # fmt: skip
    except InvalidInput as exc:
        return problem_messages(exc.problems, fields, current._)
    except Conflict as exc:
        return conflict_messages(exc.message, fields)
    return {}
