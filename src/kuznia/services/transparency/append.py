"""Appending to the transparency log: every change a unit of work records becomes one leaf.

A leaf is the RFC 8785 canonical JSON of ``{seq, at, actor, entity, id, action, before, after}``
with each secret field of its entity (``access.rules.SECRET_FIELDS``, the one list) replaced by
a salted commitment (``kuznia.transparency.commit_secrets``); the salts and values go to
``ledger_openings``, which a reader receives only if it may see those fields of that record
(:func:`kuznia.services.transparency.log.openings_of`). Leaf ``seq`` is its index in the RFC 9162
tree. Appends take the ``ledger_head`` row lock, so concurrent units of work get gapless,
ordered sequence numbers and the leaves commit (or roll back) together with the changes.

The hashes of complete subtrees (levels 1 and up) are written with the leaves, so a proof or a
past root reads O(log^2 n) rows whatever the size of the log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db.bulk import defer_rows, insert_deferred
from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode, LedgerOpening
from kuznia.services.access.rules import SECRET_FIELDS
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.reading import writing_connection
from kuznia.services.kernel.unit_of_work import Change, UnitOfWork
from kuznia.services.transparency.head import head_row, next_frontier, reserve
from kuznia.transparency import (
    CanonicalFragment,
    Opening,
    canonical_fragment,
    canonical_json,
    commit_secrets,
    leaf_hash,
    node_hash,
)

MAX_SAFE_INTEGER = 2**53 - 1


def log_value(value: Any) -> Any:
    """``value`` as JSON the canonical form accepts: no floats, no big integers, no objects.

    Floats (priorities, decay) become their shortest repr string, so a leaf is reproducible.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return log_value(value.value)
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float | Decimal):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): log_value(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(log_value(v) for v in value)
    if isinstance(value, list | tuple):
        return [log_value(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


@dataclass(frozen=True, slots=True)
class PreparedChange:
    """What a change's leaf holds besides its place and time in the log: its records' public
    parts in canonical form, and the openings of their commitments with each value as stored.
    Made before the commit sequence's lock is taken (``recording.py``): that lock is held to
    commit, and every other writer waits meanwhile."""

    change: Change
    before: CanonicalFragment
    after: CanonicalFragment
    openings: tuple[tuple[str, Opening, str], ...]


def _public_part(entity: str, record: Mapping[str, Any] | None) -> tuple[Any, dict[str, Opening]]:
    if record is None:
        return None, {}
    document = log_value(record)
    secret = SECRET_FIELDS.get(entity, frozenset()) & document.keys()
    return commit_secrets(document, secret) if secret else (document, {})


def prepare_change(change: Change) -> PreparedChange:
    before, before_openings = _public_part(change.entity, change.before)
    after, after_openings = _public_part(change.entity, change.after)
    openings = tuple(
        (part, o, json.dumps(o.value, ensure_ascii=False, sort_keys=True))
        for part, found in (("before", before_openings), ("after", after_openings))
        for o in found.values()
    )
    return PreparedChange(change, canonical_fragment(before), canonical_fragment(after), openings)


def actor_part(actor: Actor) -> CanonicalFragment:
    """Who made the changes, as each of their leaves names them."""
    return _actor_fragment(actor.role.value, actor.name)


@lru_cache(maxsize=1024)
def _actor_fragment(role: str, name: str) -> CanonicalFragment:
    """Made once per writer (a fragment is immutable): 58 Python calls of each create."""
    return canonical_fragment({"role": role, "name": name})


def leaf_of(seq: int, prepared: PreparedChange, actor: CanonicalFragment, at: str) -> bytes:
    """The canonical leaf of a prepared change at index ``seq``, logged ``at`` by ``actor``
    (:func:`actor_part`)."""
    change = prepared.change
    document = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "entity": change.entity,
        "id": change.record_id,
        "action": change.action,
        "before": prepared.before,
        "after": prepared.after,
    }
    return canonical_json(document)


def ledger_listener(uow: UnitOfWork) -> None:
    """The log alone as a change listener: append every change of ``uow``, in its transaction
    (the default wiring prepares the changes before the locks: ``recording.py``)."""
    if uow.changes:
        append_changes(uow.session, uow.actor, uow.changes)


def append_changes(session: Session, actor: Actor, changes: Sequence[Change]) -> int:
    """Append ``changes`` as consecutive leaves; return the first seq."""
    return append_prepared(session, actor, [prepare_change(c) for c in changes])


def append_prepared(session: Session, actor: Actor, prepared: Sequence[PreparedChange]) -> int:
    """Append the prepared changes as consecutive leaves; return the first seq."""
    reserved = reserve(writing_connection(session), len(prepared))
    return append_reserved(session, actor, prepared, reserved)


def append_reserved(
    session: Session,
    actor: Actor,
    prepared: Sequence[PreparedChange],
    reserved: tuple[int, dict[int, bytes]],
) -> int:
    """Append the prepared changes at the places ``reserved`` (the first index and its
    frontier); return the first seq. What depends on the places only: each leaf's few outer
    members, its hash, the new nodes and the head's new frontier, then the one INSERT of them
    with the rows other listeners deferred (the audit trail's) while every other appender
    waits on the head's lock."""
    first, frontier = reserved
    at = datetime.now(UTC).isoformat()
    by = actor_part(actor)
    leaves = [leaf_of(first + i, p, by, at) for i, p in enumerate(prepared)]
    hashes = [leaf_hash(leaf) for leaf in leaves]
    rows = zip(prepared, leaves, hashes, strict=True)
    defer_rows(session, LedgerLeaf, [_leaf_row(first + i, *row) for i, row in enumerate(rows)])
    openings = [
        {"seq": first + i, "part": part, "field": o.field, "salt": o.salt, "value": value}
        for i, p in enumerate(prepared)
        for part, o, value in p.openings
    ]
    defer_rows(session, LedgerOpening, openings)
    nodes = new_nodes(first, hashes, frontier)
    defer_rows(session, LedgerNode, [{"level": j, "idx": i, "hash": h} for j, i, h in nodes])
    head = head_row(first + len(hashes), next_frontier(first, hashes, nodes, frontier))
    defer_rows(session, LedgerHead, [head], upsert_on=("id",))
    insert_deferred(session)
    return first


def _leaf_row(seq: int, p: PreparedChange, leaf: bytes, digest: bytes) -> dict[str, Any]:
    return {
        "seq": seq,
        "entity": p.change.entity,
        "record_id": p.change.record_id,
        "action": p.change.action,
        "leaf": leaf.decode(),
        "leaf_hash": digest,
    }


def new_nodes(
    first: int, leaf_hashes: Sequence[bytes], frontier: Mapping[int, bytes]
) -> list[tuple[int, int, bytes]]:
    """(level, index, hash) of every complete subtree the leaves from ``first`` complete.

    At level j the new nodes start at index first >> j; when that index is odd its left
    sibling is an old node, ``frontier[j]``. Pairs are hashed level by level until none is left.
    """
    found: list[tuple[int, int, bytes]] = []
    level, start, hashes = 0, first, list(leaf_hashes)
    while hashes:
        if start & 1:
            hashes.insert(0, frontier[level])
            start -= 1
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]
        level, start = level + 1, start >> 1
        found.extend((level, start + i, h) for i, h in enumerate(hashes))
    return found
