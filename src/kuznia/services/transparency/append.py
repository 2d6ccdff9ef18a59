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
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kuznia.db.bulk import defer_rows, insert_deferred
from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode, LedgerOpening
from kuznia.errors import NotFound
from kuznia.services.access.rules import SECRET_FIELDS
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.reading import writing_connection
from kuznia.services.kernel.unit_of_work import Change, UnitOfWork
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
    """Append the prepared changes as consecutive leaves; return the first seq.

    Two statements whatever the number of changes (three on SQLite): the head's lock with the
    frontier, and one INSERT of the leaves, openings and nodes (with the rows other listeners
    deferred: the audit trail's) while every other appender waits on the head's lock. Between
    them only what depends on the leaves' places: each leaf's few outer members, its hash,
    and the new nodes."""
    first, frontier = _reserve(session, len(prepared))
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


def _reserve(session: Session, count: int) -> tuple[int, dict[int, bytes]]:
    """Take the head row's lock and move the size on by ``count``; return the first new seq
    and its frontier (:func:`_frontier`).

    The UPDATE comes first, so on SQLite the transaction holds the write lock before it reads,
    and on PostgreSQL the row lock orders appenders until they commit. On PostgreSQL the
    frontier is read in the same statement (:func:`_bump_reading_frontier`): a round trip less
    while every other appender waits, and each trip is longer on a busy server.
    """
    connection = writing_connection(session)
    if connection.dialect.name == "postgresql":
        return _reserve_reading_frontier(connection, count)
    size = connection.execute(_bump(), {"count": count}).scalar()
    if size is None:
        _create_head(connection)
        size = connection.execute(_bump(), {"count": count}).scalar_one()
    first = int(size) - count
    return first, _frontier(connection, first)


def _reserve_reading_frontier(connection: Connection, count: int) -> tuple[int, dict[int, bytes]]:
    rows = connection.execute(_bump_reading_frontier(), {"count": count}).all()
    if not rows:
        _create_head(connection)
        rows = connection.execute(_bump_reading_frontier(), {"count": count}).all()
    first = int(rows[0][0])
    found = {int(level): bytes(digest) for _, level, digest in rows if level is not None}
    if found.keys() != _frontier_levels(first):
        # The statement waited for the head's lock, and its snapshot was taken before: the
        # leaves and nodes of the appender it waited for are not in it (READ COMMITTED). Read
        # again now. Appenders of a unit of work hold the commit sequence's lock before the
        # head's (``recording.record_listener``), so they never wait here.
        return first, _frontier(connection, first)
    return first, found


def _frontier_levels(first: int) -> set[int]:
    """The levels of the frontier of leaf ``first``: each bit set in ``first``."""
    return {j for j in range(first.bit_length()) if first >> j & 1}


@cache
def _bump_reading_frontier() -> Any:
    """PostgreSQL: the head's UPDATE and, joined to it, the frontier of its first new leaf
    ``f``, as :func:`_frontier` reads it: the leaf ``f - 1`` when ``f`` is odd, and at each
    level j from 1 the node ``(f >> j) - 1`` when bit j of ``f`` is set. One row per frontier
    hash (one with none if there is none), each with ``f``; none if the head row is missing.

    Its numbers are written in the SQL, not bound: with only ``count`` bound, PostgreSQL's plan
    for the statement kept by a connection serves every run. With all eleven bound it planned
    again at every run (its cost guess for the plan of unknown values was higher), 164 us of
    the server's time a create while every other writer waits (``pg_stat_statements``: 3,316
    plans for 3,300 runs)."""
    one: ColumnElement[int] = literal_column("1", Integer)
    two: ColumnElement[int] = literal_column("2", Integer)
    head = (
        update(LedgerHead)
        .where(LedgerHead.id == one)
        .values(size=LedgerHead.size + bindparam("count"))
        .returning((LedgerHead.size - bindparam("count")).label("first"))
        .cte("head")
    )
    first = head.c.first
    zero: ColumnElement[int] = literal_column("0", Integer)
    leaf = select(zero.label("level"), LedgerLeaf.leaf_hash.label("hash"))
    leaf = leaf.where(first % two == one, LedgerLeaf.seq == first - one)
    series = func.generate_series(one, literal_column("62"))
    levels = series.table_valued("j").render_derived(name="levels")
    j = levels.c.j
    at_level = and_(LedgerNode.level == j, LedgerNode.idx == first.bitwise_rshift(j) - one)
    node = (
        select(LedgerNode.level, LedgerNode.hash)
        .select_from(levels)
        .join(LedgerNode, at_level)
        .where(first.bitwise_rshift(j) % two == one)
    )
    frontier = union_all(leaf, node).lateral("frontier")
    joined = head.outerjoin(frontier, true())
    return select(first, frontier.c.level, frontier.c.hash).select_from(joined)


@cache
def _bump() -> Any:
    """The head's UPDATE, built once (building a statement costs as much as running it here,
    and every writer waits meanwhile)."""
    return (
        update(LedgerHead)
        .where(LedgerHead.id == 1)
        .values(size=LedgerHead.size + bindparam("count"))
        .returning(LedgerHead.size)
    )


def _create_head(connection: Connection) -> None:
    """The head row, sized from the leaves (it is missing only in a new or truncated log).

    ``WHERE true`` keeps SQLite from reading ON CONFLICT as a join constraint.
    """
    size = select(func.coalesce(func.max(LedgerLeaf.seq) + 1, 0)).scalar_subquery()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    head = select(literal(1), size).where(true())
    statement = dialect.insert(LedgerHead).from_select(["id", "size"], head)
    connection.execute(statement.on_conflict_do_nothing())


def _frontier(connection: Connection, first: int) -> dict[int, bytes]:
    """Hashes of the complete subtrees left of leaf ``first`` that new nodes pair with, read in
    one statement: the leaf before ``first`` when it is odd, and at each level j above it the
    node ``(first >> j) - 1`` when bit j of ``first`` is set (one per level, none otherwise:
    index -1, which no row has)."""
    if first == 0:
        return {}
    wanted = {j: (first >> j) - 1 if first >> j & 1 else -1 for j in range(first.bit_length())}
    params = {f"i{j}": index for j, index in wanted.items()}
    rows = connection.execute(_frontier_statement(first.bit_length()), params)
    found = {int(level): bytes(digest) for level, digest in rows}
    if first & 1 and 0 not in found:
        raise NotFound(f"leaf {first - 1} is missing from the log")
    return found


@cache
def _frontier_statement(levels: int) -> Select[int, bytes]:
    """The frontier's statement for ``first`` of ``levels`` bits, built once per bit length:
    the indexes are parameters ``i0`` (the leaf), ``i1``... (each an index search)."""
    leaf = select(literal(0).label("level"), LedgerLeaf.leaf_hash.label("hash")).where(
        LedgerLeaf.seq == bindparam("i0")
    )
    if levels == 1:
        return leaf
    terms = [
        and_(LedgerNode.level == j, LedgerNode.idx == bindparam(f"i{j}")) for j in range(1, levels)
    ]
    nodes = select(LedgerNode.level, LedgerNode.hash).where(or_(*terms))
    statement: Any = union_all(leaf, nodes)
    return statement  # type: ignore[no-any-return]


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
