"""Reading the transparency log under need-to-know, while everyone can still verify it.

Anyone (the public included) receives a leaf's index and hash, inclusion and consistency proofs
and the signed checkpoints: enough to recompute every root and check that the log only grows.
A leaf's *content* -- its entity, record id, action and canonical JSON -- goes only to a reader
the access policy lets read that record (``access.rules.RULES[entity][read]``), judged on the
record as it is now, or as last logged when it was deleted. The *openings* of a leaf's secret
fields (salt and value) go only to a reader who may also see those fields of that record
(``access.rules.SECRET_SEEN_BY``). A record's leaves looked up by entity and id do not exist
(404) for a reader who may not read the record, as the record itself does not.

Appending is :mod:`.append`'s; the tree of hashes, proofs and the audit are :mod:`.store`'s.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerLeaf, LedgerOpening
from kuznia.errors import Forbidden, NotFound
from kuznia.services.access.policy import Action, Scope, Viewer, model_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency.store import StoredLeaf, iter_leaves, stored_leaf
from kuznia.transparency import Opening

CHUNK = 500


@dataclass(frozen=True, slots=True)
class LeafView:
    """A leaf as one reader receives it: index and hash always, the content (entity, record id,
    action and the exact canonical JSON hashed into the tree) only if it may read the record."""

    seq: int
    leaf_hash: bytes
    entity: str | None = None
    record_id: str | None = None
    action: str | None = None
    leaf: bytes | None = None

    @property
    def withheld(self) -> bool:
        return self.leaf is None

    @classmethod
    def of(cls, stored: StoredLeaf, *, readable: bool) -> LeafView:
        if not readable:
            return cls(stored.seq, stored.leaf_hash)
        return cls(
            stored.seq,
            stored.leaf_hash,
            stored.entity,
            stored.record_id,
            stored.action,
            stored.leaf,
        )


def _logged_document(leaf: StoredLeaf) -> dict[str, Any]:
    """The record as the leaf logged it (after the change, or before a deletion)."""
    document = json.loads(leaf.leaf)
    record = document.get("after") or document.get("before")
    return record if isinstance(record, dict) else {}


def _current_documents(
    session: Session, entity: str, record_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The records of ``entity`` with these ids as they are now (deleted ones are absent)."""
    table = model_of(entity).__table__
    key = table.c.get("id")
    if key is None or key.type.python_type is not str:
        return {}
    ids, found = sorted(set(record_ids)), {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(select(table).where(key.in_(ids[start : start + CHUNK])))
        found.update({str(row["id"]): dict(row) for row in rows.mappings()})
    return found


def readable_seqs(viewer: Viewer, leaves: Sequence[StoredLeaf]) -> set[int]:
    """The leaves among ``leaves`` whose record the viewer may read (by the access policy)."""
    by_entity: dict[str, list[StoredLeaf]] = defaultdict(list)
    for leaf in leaves:
        by_entity[leaf.entity].append(leaf)
    found: set[int] = set()
    for entity, group in by_entity.items():
        grant = viewer.grant(entity, Action.READ)
        if grant is None:
            continue
        if grant is Scope.ALL:
            found.update(leaf.seq for leaf in group)
            continue
        assert viewer.session is not None, "a log reader is made with Viewer.of"
        current = _current_documents(viewer.session, entity, (x.record_id for x in group))
        found.update(
            leaf.seq
            for leaf in group
            if viewer.may(entity, current.get(leaf.record_id) or _logged_document(leaf))
        )
    return found


def views_of(viewer: Viewer, leaves: Sequence[StoredLeaf]) -> list[LeafView]:
    readable = readable_seqs(viewer, leaves)
    return [LeafView.of(leaf, readable=leaf.seq in readable) for leaf in leaves]


def _reader(session: Session, actor: Actor) -> Viewer:
    viewer = Viewer.of(session, actor)
    viewer.scope("ledger_leaves", Action.READ)
    return viewer


def leaves_between(session: Session, actor: Actor, start: int, end: int) -> list[LeafView]:
    """Leaves [start, end) in log order, each with its content only if ``actor`` may read it."""
    viewer = _reader(session, actor)
    return views_of(viewer, list(iter_leaves(session, start, end)))


def _stored_at(session: Session, seq: int) -> StoredLeaf:
    row = session.get(LedgerLeaf, seq)
    if row is None:
        raise NotFound(f"the log has no leaf {seq}")
    return stored_leaf(row)


def leaf_at(session: Session, actor: Actor, seq: int) -> LeafView:
    """Leaf ``seq``: its hash for anyone, its content for who may read its record."""
    (view,) = views_of(_reader(session, actor), [_stored_at(session, seq)])
    return view


def leaves_of(session: Session, actor: Actor, entity: str, record_id: str) -> list[LeafView]:
    """Every leaf of one record, oldest first (its whole history), for who may read it; for
    anyone else the record has no leaves, as it does not exist for them (404)."""
    viewer = _reader(session, actor)
    rows = session.scalars(
        select(LedgerLeaf)
        .where(LedgerLeaf.entity == entity, LedgerLeaf.record_id == record_id)
        .order_by(LedgerLeaf.seq)
    )
    found = [view for view in views_of(viewer, [stored_leaf(r) for r in rows]) if not view.withheld]
    if not found:
        raise NotFound(f"the log has no leaf for {entity}/{record_id}")
    return found


def openings_of(session: Session, actor: Actor, seq: int) -> list[tuple[str, Opening]]:
    """What opens the commitments of leaf ``seq``: for who may read its record and see its
    secret fields (the coordinator; a company its own sites' and deliveries'; a partner the
    sites in its country). Anyone else: Forbidden, whether or not there is anything to open."""
    viewer = _reader(session, actor)
    viewer.scope("ledger_openings", Action.READ)
    stored = _stored_at(session, seq)
    document = _logged_document(stored)
    if not readable_seqs(viewer, [stored]) or not _sees_secrets(viewer, stored, document):
        raise Forbidden("you may not open the secret fields of this log leaf")
    rows = session.scalars(select(LedgerOpening).where(LedgerOpening.seq == seq))
    return [(r.part, _opening(r)) for r in rows]


def _sees_secrets(viewer: Viewer, stored: StoredLeaf, document: dict[str, Any]) -> bool:
    assert viewer.session is not None
    current = _current_documents(viewer.session, stored.entity, [stored.record_id])
    return viewer.sees_secrets(stored.entity, current.get(stored.record_id) or document)


def _opening(row: LedgerOpening) -> Opening:
    return Opening(row.field, bytes(row.salt), json.loads(row.value))
