"""Upsert many rows by primary key in a few statements: new rows inserted, changed rows updated
(version + 1), identical rows left alone, so re-importing the same data changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kuznia.db.base import Record
from kuznia.db.bulk import insert_rows
from kuznia.services.kernel.unit_of_work import UnitOfWork

CHUNK = 500


@dataclass(frozen=True, slots=True)
class UpsertCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCount) -> UpsertCount:
        return UpsertCount(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_rows(
    session: Session, model: type[Record], ids: Sequence[str], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    columns = [getattr(model, f) for f in ("id", "version", *fields)]
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for row in session.execute(select(*columns).where(model.id.in_(chunk))):
            found[row.id] = row._asdict()
    return found


def upsert(
    uow: UnitOfWork,
    model: type[Record],
    rows: Sequence[Mapping[str, Any]],
    *,
    keep_on_update: Iterable[str] = (),
) -> UpsertCount:
    """Insert or update ``rows`` (dicts keyed by column name, each with ``id``), recording each
    creation and update as a change of the unit of work.

    ``keep_on_update`` names columns that only a new row takes (a review status, say), so that
    re-importing a file does not undo a decision taken in the application.
    """
    if not rows:
        return UpsertCount()
    session = uow.session
    keep = set(keep_on_update)
    fields = [k for k in rows[0] if k != "id"]
    compared = [f for f in fields if f not in keep]
    current = existing_rows(session, model, [r["id"] for r in rows], compared)
    new: list[Mapping[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows:
        old = current.get(row["id"])
        if old is None:
            new.append(row)
        elif any(old[f] != row[f] for f in compared):
            changed.append(
                {"id": row["id"], "version": old["version"] + 1, **{f: row[f] for f in compared}}
            )
    entity = model.__tablename__
    if new:
        insert_rows(session, model, new)
        for row in new:
            uow.record(entity, row["id"], "create", None, dict(row))
    if changed:
        session.execute(update(model), changed)
        for row in changed:
            before = {f: v for f, v in current[row["id"]].items() if f != "version"}
            uow.record(entity, row["id"], "update", before, row)
    return UpsertCount(len(new), len(changed), len(rows) - len(new) - len(changed))
