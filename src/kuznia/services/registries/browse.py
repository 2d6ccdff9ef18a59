"""Browsing registries page by page, with search, for people (the API pages by commit sequence),
and the options of the forms' lists; authorization by the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden
from kuznia.services.access.policy import Action, Viewer, row_condition
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.listing import ListQuery, list_records, sort_keys


@dataclass(frozen=True, slots=True)
class Browse:
    """One page of a registry as the viewer may see it, and how many records match in all."""

    total: int
    items: list[dict[str, Any]]
    columns: tuple[str, ...]
    hidden: list[frozenset[str]]
    """Per item, the secret fields withheld from this viewer (shown as "hidden", not "empty")."""
    sortable: frozenset[str]
    """The columns this viewer may sort by (not those secret for it)."""


def browse_records(
    session: Session,
    actor: Actor,
    entity: str,
    filters: Mapping[str, Any],
    *,
    search: str = "",
    sort: str = "id",
    offset: int = 0,
    limit: int = 25,
) -> Browse:
    """Records of ``entity`` the actor may read, matching equality ``filters`` and ``search``
    in id or name, sorted, one page by offset (people page a screen at a time; the API pages
    by cursor): the one registry listing (``listing``), so the access policy applies."""
    viewer = Viewer.of(session, actor)
    query = ListQuery(
        filters={k: v for k, v in filters.items() if v is not None},
        search=search,
        sort=sort,
        limit=limit,
        offset=offset,
        count=True,
    )
    found = list_records(session, viewer, entity, query)
    sortable = frozenset(
        key for key in sort_keys(entity, keyset=False) if viewer.sees_everywhere(entity, key)
    )
    return Browse(found.total or 0, found.items, found.columns, found.hidden, sortable)


def choices(session: Session, actor: Actor, entity: str) -> list[tuple[str, str]]:
    """(id, label) of the records of ``entity`` the actor may read: options of a form's list."""
    model = REGISTRIES[entity].model
    try:
        condition = row_condition(actor, entity, Action.READ)
    except Forbidden:
        return []
    label = model.__table__.c.name if "name" in model.__table__.c else model.id
    rows = session.execute(select(model.id, label).where(condition).order_by(label, model.id))
    return [(str(i), str(n)) for i, n in rows]


def currencies(session: Session) -> list[str]:
    """The base currency and every currency with an exchange rate."""
    return sorted(session.scalars(select(db.FxRate.currency)))
