"""Browsing registries page by page, with search, for people (the API pages by commit sequence),
and the options of the forms' lists; authorization by the access policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden
from kuznia.services.access.policy import Action, Viewer, row_condition
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.listing import ListQuery, list_records, sort_keys


class Name(NamedTuple):
    """A record's name in English and, where it has one, in Ukrainian."""

    name: str
    name_uk: str | None = None


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


def named_choices(session: Session, actor: Actor, entity: str) -> list[tuple[str, Name]]:
    """(id, name) of the records of ``entity`` the actor may read, with Ukrainian names."""
    model = REGISTRIES[entity].model
    table = model.__table__
    try:
        condition = row_condition(actor, entity, Action.READ)
    except Forbidden:
        return []
    if entity in DESCRIBED_BY:
        return _described(session, actor, entity, condition)
    if "name" not in table.c:
        return [(str(i), Name(str(i))) for i in session.scalars(select(model.id).where(condition))]
    stmt = select(*_name_columns(table)).where(condition).order_by(table.c.name, table.c.id)
    return [(str(r[0]), _name(r)) for r in session.execute(stmt)]


DESCRIBED_BY: Mapping[str, tuple[tuple[str, str], ...]] = {
    "pledges": (("partner_id", "partners"),),
    "proposals": (("capability_id", "capabilities"), ("company_id", "companies")),
}
"""Records without a name, named by the records they refer to (a pledge by its partner, a
line by its capability and firm), each name only where the reader may read that record."""


def _described(
    session: Session, actor: Actor, entity: str, condition: Any
) -> list[tuple[str, Name]]:
    table = REGISTRIES[entity].model.__table__
    fields = DESCRIBED_BY[entity]
    rows = list(session.execute(
        select(table.c.id, *(table.c[f] for f, _ in fields)).where(condition).order_by(table.c.id)
    ))  # fmt: skip
    names = {
        target: names_of(session, actor, target, (str(r[n + 1]) for r in rows))
        for n, (_, target) in enumerate(fields)
    }

    def described(row: Any) -> Name:
        parts = [names[t].get(str(row[n + 1])) or Name(str(row[n + 1]))
                 for n, (_, t) in enumerate(fields)]  # fmt: skip
        english = " · ".join(p.name for p in parts)
        ukrainian = " · ".join(p.name_uk or p.name for p in parts)
        return Name(english, ukrainian if ukrainian != english else None)

    return [(str(r[0]), described(r)) for r in rows]


def _name_columns(table: Any) -> list[Any]:
    """id, name and (where the registry has it) name_uk."""
    return [table.c.id, table.c.name, *([table.c.name_uk] if "name_uk" in table.c else [])]


def _name(row: Any) -> Name:
    return Name(str(row[1]), row[2] if len(row) > 2 else None)


def currencies(session: Session) -> list[str]:
    """The base currency and every currency with an exchange rate."""
    return sorted(session.scalars(select(db.FxRate.currency)))


def names_of(session: Session, actor: Actor, entity: str, ids: Iterable[str]) -> dict[str, Name]:
    """The names of the records of ``entity`` with ``ids`` that the actor may read (a record it
    may not read keeps its id only: a name is not leaked through a reference)."""
    wanted = sorted({i for i in ids if i})
    model = REGISTRIES[entity].model
    table = model.__table__
    if not wanted or "name" not in table.c:
        return {}
    try:
        condition = row_condition(actor, entity, Action.READ)
    except Forbidden:
        return {}
    found: dict[str, Name] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = select(*_name_columns(table)).where(condition, table.c.id.in_(chunk))
        found.update({str(row[0]): _name(row) for row in session.execute(stmt)})
    return found


@dataclass(frozen=True, slots=True)
class UkrainianNames:
    """The Ukrainian names registered: capabilities (name, category) and partners, by id."""

    capabilities: dict[str, tuple[str | None, str | None]]
    partners: dict[str, str]


def ukrainian_names(session: Session) -> UkrainianNames:
    """Reference data everyone reads (capabilities, partners): no viewer needed."""
    caps = session.execute(
        select(db.Capability.id, db.Capability.name_uk, db.Capability.category_uk)
    )
    partners = session.execute(
        select(db.Partner.id, db.Partner.name_uk).where(db.Partner.name_uk.is_not(None))
    )
    return UkrainianNames(
        {str(i): (n, c) for i, n, c in caps if n or c}, {str(i): str(n) for i, n in partners}
    )
