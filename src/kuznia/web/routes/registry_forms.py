"""Adding registry records through forms, with each problem shown next to its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kuznia.errors import Conflict, InvalidInput, NotFound
from kuznia.services.registries import records
from kuznia.services.registries.record_schemas import record_schemas
from kuznia.web.fields import REGISTRY_TITLES
from kuznia.web.forms import (
    Field,
    bind,
    parse_form,
    problem_messages,
    pydantic_messages,
    schema_messages,
)
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.record_forms import (
    fixed_values,
    form_fields,
    options_for,
    submitted,
    without_empty_defaults,
)
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf
from kuznia.web.tables import may_create

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


def _allowed(current: Page, entity: str) -> None:
    if entity not in REGISTRY_TITLES or not may_create(current.user().role, entity):
        raise NotFound(current._("You cannot add records to this registry."))


def _render(
    current: Page, entity: str, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    actor = current.user()
    fixed = fixed_values(actor, entity)
    with current.web.database.reading() as session:

        def options(f: Field) -> list[tuple[str, str]]:
            return options_for(session, actor, f.options, current._, current.lang)

        fields = bind(form_fields(entity), {**values, **fixed}, errors, options, current._, fixed)
    return current.render(
        "record_form.html",
        status_code=status,
        title=current._("Add to %(registry)s") % {"registry": current._(REGISTRY_TITLES[entity])},
        entity=entity,
        fields=fields,
        general=errors.get(""),
        errors=[(f.field.name, f.label, f.error) for f in fields if f.error],
    )


@router.get("/registries/{entity}/new", response_class=HTMLResponse)
def new_record(entity: str, current: CurrentPage) -> HTMLResponse:
    _allowed(current, entity)
    return _render(current, entity, {}, {})


@router.post(
    "/registries/{entity}/new", response_class=HTMLResponse, dependencies=[Depends(check_csrf)]
)
async def create_record(entity: str, current: CurrentPage) -> Response:
    _allowed(current, entity)
    values, multi = submitted(await current.request.form())
    fields = form_fields(entity)
    data, errors = parse_form(fields, values, multi, current._)
    data.update(fixed_values(current.user(), entity))
    if errors:
        model = record_schemas(entity).create
        errors = schema_messages(model, without_empty_defaults(data), fields, current._, errors)
    else:
        errors = _save(current, entity, data)
    if errors:
        shown = {
            **values,
            **{f.name: multi.get(f.name, []) for f in fields if f.kind == "multiselect"},
        }
        return _render(current, entity, shown, errors, status=422)
    return RedirectResponse(
        f"/registries/{entity}?q={data.get('id', '')}&created=1", status_code=303
    )


def _save(current: Page, entity: str, data: dict[str, Any]) -> dict[str, str]:
    """Create the record through the registry service; its objections by field, if any."""
    fields = form_fields(entity)
    try:
        document = record_schemas(entity).create.model_validate(without_empty_defaults(data))
    except ValidationError as exc:
        return pydantic_messages(exc, fields, current._)
    try:
        with current.web.database.unit_of_work(current.user()) as uow:
            created = records.create_record(uow, entity, document.model_dump(exclude_none=True))
    except InvalidInput as exc:
        return problem_messages(exc.problems, fields, current._)
    except Conflict as exc:
        return {"id" if exc.message.startswith("id:") else "": exc.message}
    data["id"] = created["id"]
    return {}
