"""The one registry listing: filter, search, sort and page the records a reader may read.

The API (cursor paging in commit order), the web pages (page numbers, with a total) and the CLI
(``kuznia list``, as the operator) all list through :func:`list_records`, so the access policy
applies the same way everywhere: rows by the reader's row rule, secret fields redacted, and
sorting, filtering and searching only by fields the reader sees on every row it may read
(``Viewer.sees_everywhere``; an order by a hidden value would reveal it). Anything else is
refused with ``InvalidInput`` naming the parameter, never a server error: a malformed or
forged cursor too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    FromClause,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from kuznia.db.kernel import ChangeIndex
from kuznia.errors import InvalidInput
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.kernel.paging import MAX_SEQ, decode_cursor, encode_cursor
from kuznia.services.registries.catalogue import REGISTRIES, plain, unplain_columns

SEQ = "seq"
"""The commit order: a record changed while a client pages moves to the end, none is skipped."""
MAX_OFFSET = 2**62
MAX_INT = 2**63 - 1
MAX_TEXT = 1000
Params = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ListQuery:
    """What to list: equality ``filters``, a ``search`` in id and name, a ``sort`` key (``-``
    for descending), and a page: after ``cursor`` (keyset) or from ``offset`` (page numbers)."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    search: str = ""
    sort: str = SEQ
    limit: int = 50
    cursor: str | None = None
    offset: int | None = None
    count: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    """One page as the reader may see it."""

    items: list[dict[str, Any]]
    hidden: list[frozenset[str]]
    """Per item, the secret fields withheld from this reader (shown as "hidden", not empty)."""
    next_cursor: str | None
    total: int | None
    columns: tuple[str, ...]


def sort_keys(entity: str, *, keyset: bool) -> tuple[str, ...]:
    """``seq`` and the registry's columns one may order by (not lists); paging by cursor needs
    a key that is never null as well."""
    table = REGISTRIES[entity].model.__table__
    keys = [
        name
        for name in REGISTRIES[entity].columns
        if not isinstance(table.c[name].type, JSON) and not (keyset and table.c[name].nullable)
    ]
    return (SEQ, *keys)


def searched_fields(entity: str) -> tuple[str, ...]:
    """The id, and the name in both languages where the registry has them."""
    if "name" not in REGISTRIES[entity].columns:
        return ("id",)
    twin = ("name_uk",) if "name_uk" in REGISTRIES[entity].model.__table__.c else ()
    return ("id", "name", *twin)


def _refuse_unseen(viewer: Viewer, entity: str, parameter: str, name: str, verb: str) -> None:
    if not viewer.sees_everywhere(entity, name):
        raise InvalidInput.single(
            parameter, f"you may not {verb} {entity} by {name}: it is secret for you"
        )


def _coerce(entity: str, name: str, value: Any) -> Any:
    column = REGISTRIES[entity].model.__table__.c[name]
    if column.type.python_type is bool and isinstance(value, str):
        if value.lower() not in {"true", "false", "yes", "no", "1", "0"}:
            raise InvalidInput.single(name, f"expected true or false, got {value!r}")
        return value.lower() in {"true", "yes", "1"}
    return value


def _parameters(viewer: Viewer, entity: str, query: ListQuery) -> tuple[tuple[str, ...], Params]:
    """The filters given a value (names sorted: the order of their conditions changes nothing,
    so one kept statement serves any order) and the filters' and search's parameters, each
    refused if the registry has no such filter or the viewer may not use it."""
    registry = REGISTRIES[entity]
    names, params = [], {}
    for name, value in query.filters.items():
        if name not in registry.filters:
            message = f"cannot filter {entity} by {name}; try {', '.join(registry.filters)}"
            raise InvalidInput.single(name, message)
        _refuse_unseen(viewer, entity, name, name, "filter")
        if value is not None:
            names.append(name)
            params[f"filter_{name}"] = _coerce(entity, name, value)
    if query.search:
        for name in searched_fields(entity):
            _refuse_unseen(viewer, entity, "search", name, "search")
        params["search"] = f"%{query.search.lower()}%"
    return tuple(sorted(names)), params


def _sort(viewer: Viewer, entity: str, query: ListQuery) -> tuple[str, bool]:
    key, descending = query.sort.removeprefix("-"), query.sort.startswith("-")
    keys = sort_keys(entity, keyset=query.offset is None)
    if key not in keys:
        raise InvalidInput.single("sort", f"cannot sort {entity} by {key}; try {', '.join(keys)}")
    _refuse_unseen(viewer, entity, "sort", key, "sort")
    return key, descending


def _cursor_value(entity: str, key: str, value: Any) -> bool:
    """Whether a decoded cursor's key value is one this list could have made."""
    if key == SEQ:
        return type(value) is int and 0 <= value <= MAX_SEQ
    expected = REGISTRIES[entity].model.__table__.c[key].type.python_type
    if type(value) is not expected:
        return False
    if expected is int:
        return bool(-MAX_INT <= value <= MAX_INT)
    if expected is float:
        return math.isfinite(value)
    return not isinstance(value, str) or len(value) <= MAX_TEXT


def _after_cursor(entity: str, query: ListQuery, key: str) -> tuple[Any, str]:
    """The sort key's value and the id of the last record of the page before, from the cursor."""
    try:
        value, last_id = decode_cursor(str(query.cursor), f"{entity}:{query.sort}")
    except RecursionError:
        value, last_id = None, None
    valid_id = isinstance(last_id, str) and len(last_id) <= MAX_TEXT
    if not valid_id or not _cursor_value(entity, key, value):
        raise InvalidInput.single("cursor", "not a cursor of this list")
    return value, str(last_id)


def _documents(table: FromClause, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    """The rows as documents of the table's columns (the sort key ``_seq``, last, left out)."""
    names, converted = [c.name for c in table.columns], unplain_columns(table)
    full = [dict(zip(names, row, strict=False)) for row in rows]
    for doc in full:
        for name in converted:
            doc[name] = plain(doc[name])
    return full


@cache
def _listed(entity: str) -> tuple[Select[Any], Any]:
    """The registry's columns and the commit order (``_seq``, last), and that order's
    expression: built once (a statement is immutable; each list adds its own clauses)."""
    table, index = REGISTRIES[entity].model.__table__, ChangeIndex.__table__
    joined = and_(index.c.entity == entity, index.c.record_id == table.c.id)
    seq = func.coalesce(index.c.seq, 0)
    return select(*table.columns, seq.label("_seq")).outerjoin(index, joined), seq


@dataclass(frozen=True, slots=True)
class _Shape:
    """All a page's statement depends on but its parameters' values: the viewer's identity
    (``Viewer.sql_identity``: what its row condition holds), which filters, whether a search,
    the order, and whether it starts after a cursor or at an offset."""

    entity: str
    viewer: tuple[object, ...]
    filters: tuple[str, ...]
    search: bool
    key: str
    desc: bool
    cursor: bool
    offset: bool


_STATEMENTS: dict[_Shape, tuple[Select[Any], Select[Any]]] = {}
MAX_SHAPES = 4096
"""Statements kept, at most (then all are dropped and built again as they are asked for)."""


def _statements(shape: _Shape, viewer: Viewer) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of ``shape``, built once: a statement built for each list cost
    more than running it (SQLAlchemy's cache key of a new statement, and its result's columns
    matched again to the cached compilation's), 0.15-0.2 ms of a list's 1.6."""
    found = _STATEMENTS.get(shape)
    if found is None:
        if len(_STATEMENTS) >= MAX_SHAPES:
            _STATEMENTS.clear()
        found = _STATEMENTS[shape] = _build(shape, viewer)
    return found


def _build(shape: _Shape, viewer: Viewer) -> tuple[Select[Any], Select[Any]]:
    entity = shape.entity
    table = REGISTRIES[entity].model.__table__
    stmt, seq = _listed(entity)
    stmt = stmt.where(viewer.condition(entity, Action.READ))
    for name in shape.filters:
        stmt = stmt.where(table.c[name] == bindparam(f"filter_{name}"))
    if shape.search:
        pattern: BindParameter[str] = bindparam("search")
        stmt = stmt.where(
            or_(*(func.lower(table.c[n]).like(pattern) for n in searched_fields(entity)))
        )
    counted = select(func.count()).select_from(stmt.subquery())
    key_expr = seq if shape.key == SEQ else table.c[shape.key]
    if shape.cursor:
        here = tuple_(key_expr, table.c.id)
        there = tuple_(
            bindparam("after_key", type_=key_expr.type),
            bindparam("after_id", type_=table.c.id.type),
        )
        stmt = stmt.where(here < there if shape.desc else here > there)
    order = (key_expr.desc(), table.c.id.desc()) if shape.desc else (key_expr, table.c.id)
    stmt = stmt.order_by(*order).limit(bindparam("page_limit", type_=Integer))
    if shape.offset:
        stmt = stmt.offset(bindparam("page_offset", type_=Integer))
    return counted, stmt


def list_records(session: Session, viewer: Viewer, entity: str, query: ListQuery) -> Listing:
    """One page of the records of ``entity`` the viewer may read, as it may see them."""
    viewer.scope(entity, Action.READ)  # at every list, first: a role with no read is refused
    table = REGISTRIES[entity].model.__table__
    filters, params = _parameters(viewer, entity, query)
    key, desc = _sort(viewer, entity, query)
    shape = _Shape(
        entity, viewer.sql_identity(), filters, bool(query.search), key, desc,
        bool(query.cursor), bool(query.offset),
    )  # fmt: skip
    counted, stmt = _statements(shape, viewer)
    connection = session.connection()
    total = None
    if query.count:
        total = connection.execute(counted, params).scalar() or 0
    if query.cursor:
        params["after_key"], params["after_id"] = _after_cursor(entity, query, key)
    params["page_limit"] = query.limit + 1
    if query.offset:
        params["page_offset"] = min(max(query.offset, 0), MAX_OFFSET)
    # Plain rows through the session's connection, not ORM objects nor the ORM's execution: a
    # page is read-only, and each costs about as much as the query.
    rows = connection.execute(stmt, params).all()
    more, rows = len(rows) > query.limit, rows[: query.limit]
    full = _documents(table, rows)
    next_cursor = None
    if more and rows and query.offset is None:
        last = rows[-1]
        value = last[-1] if key == SEQ else last._mapping[key]
        next_cursor = encode_cursor(f"{entity}:{query.sort}", value, last._mapping["id"])
    items, hidden = viewer.redact_all(entity, full)
    return Listing(items, hidden, next_cursor, total, REGISTRIES[entity].columns)
