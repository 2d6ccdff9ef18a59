"""Registry pages: search, filters, sorting and paging (htmx swaps the results in place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import QueryParams

from kuznia.errors import InvalidInput, NotFound
from kuznia.services.kernel.actors import Role
from kuznia.services.registries.browse import Browse, Name, browse_records, named_choices
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.record_view import reference_names
from kuznia.web.fields import (
    BOOLEAN_FIELDS,
    ENUMERATIONS,
    FIELD_LABELS,
    REFERENCES,
    REGISTRY_TITLES,
    VALUE_LABELS,
)
from kuznia.web.names import local_name
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.tables import may_create, named_cell, readable_registries

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
PER_PAGE = 25
MAX_PAGE = 10**9


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    label: str
    value: str
    options: tuple[tuple[str, str], ...] | None
    """None: a text box; otherwise (value, label) pairs of a list."""


def _filter_options(current: Page, entity: str, name: str) -> tuple[tuple[str, str], ...] | None:
    _ = current._
    if name in BOOLEAN_FIELDS:
        return (("true", _("yes")), ("false", _("no")))
    if f"{entity}.{name}" in ENUMERATIONS:
        return tuple((v, _(VALUE_LABELS.get(v, v))) for v in ENUMERATIONS[f"{entity}.{name}"])
    if name in REFERENCES:
        with current.web.database.reading() as session:
            found = named_choices(session, current.viewer, REFERENCES[name])
        return tuple((i, local_name(n, current.lang, i)) for i, n in found)
    return None


def _filters(current: Page, entity: str, query: QueryParams) -> list[Filter]:
    return [
        Filter(
            name,
            current._(FIELD_LABELS.get(name, name)),
            query.get(name, ""),
            _filter_options(current, entity, name),
        )
        for name in REGISTRIES[entity].filters
    ]


def _query_values(entity: str, query: QueryParams) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in REGISTRIES[entity].filters:
        text = query.get(name, "").strip()
        if text:
            values[name] = text == "true" if name in BOOLEAN_FIELDS else text
    return values


def _page_number(query: QueryParams) -> int:
    text = query.get("page", "1")
    return min(max(1, int(text)), MAX_PAGE) if text.isdigit() and len(text) < 12 else 1


def _browse(
    current: Page, entity: str, query: QueryParams, sort: str, number: int
) -> tuple[Browse, dict[str, Name]]:
    """One page of the registry and the names of the records its rows refer to."""
    with current.web.database.reading() as session:
        found = browse_records(
            session, current.user(), entity, _query_values(entity, query),
            search=query.get("q", "").strip()[:100], sort=sort,
            offset=(number - 1) * PER_PAGE, limit=PER_PAGE,
        )  # fmt: skip
        return found, reference_names(session, current.user(), entity, found.items)


@router.get("/registries")
def registries_home(current: CurrentPage) -> RedirectResponse:
    first = readable_registries(current.user().role)
    return RedirectResponse(f"/registries/{first[0]}" if first else "/", status_code=303)


@router.get("/registries/{entity}", response_class=HTMLResponse)
def registry(entity: str, current: CurrentPage) -> Response:
    actor = current.user()
    if entity not in readable_registries(actor.role):
        raise NotFound(current._("There is no such registry for your role."))
    query = current.request.query_params
    sort, number, refused = query.get("sort", "id")[:100], _page_number(query), None
    try:
        found, names = _browse(current, entity, query, sort, number)
    except InvalidInput as exc:  # a sort or filter the reader may not use: say so, list anyway
        refused, sort = exc.message, "id"
        found, names = _browse(current, entity, query.__class__(), sort, 1)
    rows = [
        [named_cell(entity, c, item, hidden, names, current._, current.lang) for c in found.columns]
        for item, hidden in zip(found.items, found.hidden, strict=True)
    ]
    context: dict[str, Any] = {
        "title": current._(REGISTRY_TITLES[entity]),
        "entity": entity,
        "tabs": [(e, current._(REGISTRY_TITLES[e])) for e in readable_registries(actor.role)],
        "filters": _filters(current, entity, query),
        "search": query.get("q", ""),
        "sort": sort,
        "columns": [(c, current._(FIELD_LABELS.get(c, c))) for c in found.columns],
        "sortable": found.sortable,
        "refused": refused,
        "rows": rows,
        "total": found.total,
        "page_number": number,
        "pages": max(1, -(-found.total // PER_PAGE)),
        "can_create": may_create(actor.role, entity),
        "can_import": actor.role is Role.COORDINATOR,
        "can_workbook": actor.role in (Role.COORDINATOR, Role.AUDITOR),
        "created": query.get("created") == "1",
        "params": {k: v for k, v in query.items() if k not in {"page", "sort", "created"}},
    }
    template = "partials/registry_results.html" if current.is_htmx else "registry.html"
    return current.render(template, **context)
