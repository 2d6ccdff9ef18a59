"""Browsing registries page by page, with search, for people (the API pages by commit sequence),
and the options of the forms' lists; authorization by ``services.authz``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden, InvalidInput
from kuznia.services.access.policy import SECRET_FIELDS, Action, Viewer, row_condition
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.records import document


@dataclass(frozen=True, slots=True)
class Browse:
    """One page of a registry as the viewer may see it, and how many records match in all."""

    total: int
    items: list[dict[str, Any]]
    columns: tuple[str, ...]
    hidden: list[frozenset[str]]
    """Per item, the secret fields withheld from this viewer (shown as "hidden", not "empty")."""


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
    """Records of ``entity`` the actor may read (``authz`` row rule), matching equality
    ``filters`` on the registry's filter fields and ``search`` in id or name, sorted, one page
    by offset, with secret fields redacted by ``authz.Viewer``. Offsets suit people paging a
    screen at a time; the API pages by commit sequence instead."""
    registry = REGISTRIES[entity]
    model = registry.model
    stmt = select(model).where(row_condition(actor, entity, Action.READ))
    for name, value in filters.items():
        if name in registry.filters and value is not None:
            stmt = stmt.where(getattr(model, name) == value)
    if search:
        pattern = f"%{search.lower()}%"
        fields = [func.lower(model.id).like(pattern)]
        if "name" in registry.columns:
            fields.append(func.lower(model.__table__.c.name).like(pattern))
        stmt = stmt.where(or_(*fields))
    key = sort.removeprefix("-")
    if key not in registry.columns:
        raise InvalidInput.single("sort", f"cannot sort {entity} by {key}")
    column = getattr(model, key)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ordered = stmt.order_by(column.desc() if sort.startswith("-") else column, model.id)
    viewer = Viewer.of(session, actor)
    secret = SECRET_FIELDS.get(entity, frozenset())
    items, hidden = [], []
    for row in session.scalars(ordered.offset(offset).limit(limit)):
        full = document(row)
        shown = viewer.redact(entity, full)
        items.append(shown)
        hidden.append(frozenset(f for f in secret if shown[f] is None and full[f] is not None))
    return Browse(total, items, registry.columns, hidden)


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
