"""The transparency log in the database: leaves appended by a change listener, proofs, audit.

Every change a unit of work records becomes one leaf: the RFC 8785 canonical JSON of
``{seq, at, actor, entity, id, action, before, after}`` with each secret field replaced by a
salted commitment (``kuznia.transparency.commit_secrets``); the salts and values go to
``ledger_openings``, which only the coordinator may read. Leaf ``seq`` is its index in the RFC 9162
tree. Appends take the ``ledger_head`` row lock, so concurrent units of work get gapless,
ordered sequence numbers and the leaves commit (or roll back) together with the changes.

The hashes of complete subtrees (levels 1 and up) are written with the leaves, so a proof or a
past root reads O(log^2 n) rows whatever the size of the log. Signed checkpoints and record
proofs are in ``ledger_checkpoints``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from itertools import tee
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kuznia.db.bulk import insert_rows
from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode, LedgerOpening
from kuznia.errors import Forbidden, NotFound
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.unit_of_work import Change, UnitOfWork
from kuznia.transparency import (
    AuditResult,
    Checkpoint,
    Opening,
    audit_leaves,
    canonical_json,
    commit_secrets,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_at,
)

SECRET_FIELD_NAMES = frozenset(
    {
        "address",
        "latitude",
        "longitude",
        "destination",
        "stock_level",
        "stock_levels",
        "stock_units",
        "stock_quantity",
    }
)
"""Fields committed to, never logged in clear, whatever the entity: site location, delivery
destinations, exact stock levels. A top-level field of ``before``/``after`` with one of these names
is replaced by ``{"commitment": hex}``."""

LOG_READERS = frozenset({Role.COORDINATOR, Role.AUDITOR, Role.PARTNER, Role.COMPANY})
"""Who may read leaves and proofs (public fields only). Checkpoints are public to everyone."""
MAX_SAFE_INTEGER = 2**53 - 1
CHUNK = 5000


# --- leaves -------------------------------------------------------------------------------


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
class PreparedLeaf:
    seq: int
    change: Change
    leaf: bytes
    openings: tuple[tuple[str, Opening], ...]


def _public_part(record: Mapping[str, Any] | None) -> tuple[Any, dict[str, Opening]]:
    if record is None:
        return None, {}
    document = log_value(record)
    secret = SECRET_FIELD_NAMES & document.keys()
    return commit_secrets(document, secret) if secret else (document, {})


def prepare_leaf(seq: int, change: Change, actor: Actor, at: str) -> PreparedLeaf:
    """The canonical leaf of one change at index ``seq``, and the openings of its commitments."""
    before, before_openings = _public_part(change.before)
    after, after_openings = _public_part(change.after)
    document = {
        "seq": seq,
        "at": at,
        "actor": {"role": actor.role.value, "name": actor.name},
        "entity": change.entity,
        "id": change.record_id,
        "action": change.action,
        "before": before,
        "after": after,
    }
    openings = [("before", o) for o in before_openings.values()]
    openings += [("after", o) for o in after_openings.values()]
    return PreparedLeaf(seq, change, canonical_json(document), tuple(openings))


def ledger_listener(uow: UnitOfWork) -> None:
    """The change listener: append every change of ``uow`` to the log, in its transaction."""
    if uow.changes:
        append_changes(uow.session, uow.actor, uow.changes)


def append_changes(session: Session, actor: Actor, changes: Sequence[Change]) -> int:
    """Append ``changes`` as consecutive leaves in a few batched INSERTs; return the first seq."""
    first = _reserve(session, len(changes))
    at = datetime.now(UTC).isoformat()
    prepared = [prepare_leaf(first + i, c, actor, at) for i, c in enumerate(changes)]
    hashes = [leaf_hash(p.leaf) for p in prepared]
    insert_rows(
        session, LedgerLeaf, [_leaf_row(p, h) for p, h in zip(prepared, hashes, strict=True)]
    )
    openings = [
        {
            "seq": p.seq,
            "part": part,
            "field": o.field,
            "salt": o.salt,
            "value": json.dumps(o.value, ensure_ascii=False, sort_keys=True),
        }
        for p in prepared
        for part, o in p.openings
    ]
    insert_rows(session, LedgerOpening, openings)
    nodes = new_nodes(first, hashes, _frontier(session, first))
    insert_rows(session, LedgerNode, [{"level": j, "idx": i, "hash": h} for j, i, h in nodes])
    return first


def _leaf_row(p: PreparedLeaf, digest: bytes) -> dict[str, Any]:
    return {
        "seq": p.seq,
        "entity": p.change.entity,
        "record_id": p.change.record_id,
        "action": p.change.action,
        "leaf": p.leaf.decode(),
        "leaf_hash": digest,
    }


def _reserve(session: Session, count: int) -> int:
    """Take the head row's lock and move the size on by ``count``; return the first new seq.

    The UPDATE comes first, so on SQLite the transaction holds the write lock before it reads,
    and on PostgreSQL the row lock orders appenders until they commit.
    """
    bump = (
        update(LedgerHead)
        .where(LedgerHead.id == 1)
        .values(size=LedgerHead.size + count)
        .returning(LedgerHead.size)
        .execution_options(synchronize_session=False)
    )
    size = session.execute(bump).scalar()
    if size is None:
        _create_head(session)
        size = session.execute(bump).scalar_one()
    return int(size) - count


def _create_head(session: Session) -> None:
    """The head row, sized from the leaves (it is missing only in a new or truncated log).

    ``WHERE true`` keeps SQLite from reading ON CONFLICT as a join constraint.
    """
    size = select(func.coalesce(func.max(LedgerLeaf.seq) + 1, 0)).scalar_subquery()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    head = select(literal(1), size).where(true())
    statement = dialect.insert(LedgerHead).from_select(["id", "size"], head)
    session.execute(statement.on_conflict_do_nothing())


def _frontier(session: Session, first: int) -> dict[int, bytes]:
    """Hashes of the complete subtrees left of leaf ``first`` that new nodes pair with."""
    wanted = [(j, (first >> j) - 1) for j in range(first.bit_length()) if first >> j & 1]
    found: dict[int, bytes] = {}
    if wanted and wanted[0][0] == 0:
        found[0] = _leaf_hash_at(session, first - 1)
    upper = [node for node in wanted if node[0] > 0]
    if upper:
        rows = session.execute(
            select(LedgerNode.level, LedgerNode.hash).where(_nodes_condition(upper))
        )
        found.update({row.level: row.hash for row in rows})
    return found


def _nodes_condition(nodes: Sequence[tuple[int, int]]) -> ColumnElement[bool]:
    """``level = j AND idx IN (...)`` per level, OR-ed: each term an index search on both
    engines (SQLAlchemy writes a tuple IN as ``IN (VALUES ...)``, which SQLite scans)."""
    by_level: dict[int, list[int]] = {}
    for level, index in nodes:
        by_level.setdefault(level, []).append(index)
    return or_(
        *(
            and_(LedgerNode.level == level, LedgerNode.idx.in_(indexes))
            for level, indexes in sorted(by_level.items())
        )
    )


def _leaf_hash_at(session: Session, seq: int) -> bytes:
    value = session.scalar(select(LedgerLeaf.leaf_hash).where(LedgerLeaf.seq == seq))
    if value is None:
        raise NotFound(f"leaf {seq} is missing from the log")
    return bytes(value)


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


# --- the database as a HashStore ------------------------------------------------------------


class LedgerStore:
    """A ``HashStore`` over ``ledger_leaves`` and ``ledger_nodes``, frozen at one size."""

    def __init__(self, session: Session, size: int | None = None) -> None:
        self._session = session
        self._size = log_size(session) if size is None else size

    def size(self) -> int:
        return self._size

    def get_leaf_hashes(self, start: int, end: int) -> list[bytes]:
        rows = self._session.scalars(
            select(LedgerLeaf.leaf_hash)
            .where(LedgerLeaf.seq >= start, LedgerLeaf.seq < end)
            .order_by(LedgerLeaf.seq)
        )
        return [bytes(h) for h in rows]

    def get_subtree_hash(self, level: int, index: int) -> bytes | None:
        return self.get_subtree_hashes([(level, index)])[0]

    def get_subtree_hashes(self, nodes: Sequence[tuple[int, int]]) -> list[bytes | None]:
        """One query for the leaves (level 0) and one for the upper nodes asked for."""
        found: dict[tuple[int, int], bytes] = {}
        seqs = sorted({index for level, index in nodes if level == 0})
        upper = sorted({node for node in nodes if node[0] > 0})
        for start in range(0, len(seqs), 500):
            leaves = select(LedgerLeaf.seq, LedgerLeaf.leaf_hash).where(
                LedgerLeaf.seq.in_(seqs[start : start + 500])
            )
            found.update({(0, r.seq): bytes(r.leaf_hash) for r in self._session.execute(leaves)})
        for start in range(0, len(upper), 500):
            stored = select(LedgerNode.level, LedgerNode.idx, LedgerNode.hash).where(
                _nodes_condition(upper[start : start + 500])
            )
            found.update({(r.level, r.idx): bytes(r.hash) for r in self._session.execute(stored)})
        return [found.get(node) for node in nodes]


def log_size(session: Session) -> int:
    """Leaves committed so far."""
    size = session.scalar(select(LedgerHead.size).where(LedgerHead.id == 1))
    return int(size) if size is not None else 0


def root_hash(session: Session, size: int | None = None) -> bytes:
    store = LedgerStore(session)
    return root_at(store, store.size() if size is None else size)


def inclusion(session: Session, seq: int, size: int) -> list[bytes]:
    """PATH(seq, D[size]) from the stored hashes."""
    return inclusion_proof(LedgerStore(session), seq, size)


def consistency(session: Session, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[new_size]) from the stored hashes."""
    return consistency_proof(LedgerStore(session), old_size, new_size)


# --- reading --------------------------------------------------------------------------------


def require_reader(actor: Actor) -> None:
    if actor.role not in LOG_READERS:
        raise Forbidden(f"the {actor.role.value} role may not read log leaves; checkpoints only")


@dataclass(frozen=True, slots=True)
class StoredLeaf:
    seq: int
    entity: str
    record_id: str
    leaf: bytes
    leaf_hash: bytes


def _stored(row: LedgerLeaf) -> StoredLeaf:
    return StoredLeaf(
        row.seq, row.entity, row.record_id, row.leaf.encode("utf-8"), bytes(row.leaf_hash)
    )


def leaf_at(session: Session, actor: Actor, seq: int) -> StoredLeaf:
    require_reader(actor)
    row = session.get(LedgerLeaf, seq)
    if row is None:
        raise NotFound(f"the log has no leaf {seq}")
    return _stored(row)


def leaves_of(session: Session, actor: Actor, entity: str, record_id: str) -> list[StoredLeaf]:
    """Every leaf of one record, oldest first (its whole history)."""
    require_reader(actor)
    rows = session.scalars(
        select(LedgerLeaf)
        .where(LedgerLeaf.entity == entity, LedgerLeaf.record_id == record_id)
        .order_by(LedgerLeaf.seq)
    )
    found = [_stored(r) for r in rows]
    if not found:
        raise NotFound(f"the log has no leaf for {entity}/{record_id}")
    return found


def iter_leaves(session: Session, start: int = 0, end: int | None = None) -> Iterator[StoredLeaf]:
    """Leaves [start, end) in order, streamed in pages."""
    position, stop = start, log_size(session) if end is None else end
    while position < stop:
        upto = min(stop, position + CHUNK)
        rows = session.scalars(
            select(LedgerLeaf)
            .where(LedgerLeaf.seq >= position, LedgerLeaf.seq < upto)
            .order_by(LedgerLeaf.seq)
        ).all()
        yield from (_stored(r) for r in rows)
        if len(rows) < upto - position:
            return
        position = upto


def openings_of(session: Session, actor: Actor, seq: int) -> list[tuple[str, Opening]]:
    """What opens the commitments of leaf ``seq``: for the coordinator only."""
    if actor.role is not Role.COORDINATOR:
        raise Forbidden("only the coordinator may open the secret fields of a log leaf")
    rows = session.scalars(select(LedgerOpening).where(LedgerOpening.seq == seq))
    return [(r.part, _opening(r)) for r in rows]


def _opening(row: LedgerOpening) -> Opening:
    return Opening(row.field, bytes(row.salt), json.loads(row.value))


# --- audit ----------------------------------------------------------------------------------


def audit(session: Session, checkpoints: Sequence[Checkpoint] = ()) -> AuditResult:
    """Recompute the tree from every stored leaf; name the first leaf that does not check out.

    Each leaf is hashed again and compared with its stored hash; each checkpoint's root with the
    recomputed root at its size; and the sequence numbers must run 0, 1, 2, ... with no gap.
    """
    gap: list[tuple[int, int]] = []

    def dense() -> Iterator[StoredLeaf]:
        for expected, leaf in enumerate(iter_leaves(session)):
            if leaf.seq != expected:
                gap.append((expected, leaf.seq))
                return
            yield leaf

    texts, digests = tee(dense())
    result = audit_leaves(
        (leaf.leaf for leaf in texts),
        stored_hashes=(leaf.leaf_hash for leaf in digests),
        checkpoints=checkpoints,
    )
    if gap and (result.first_bad_leaf is None or result.first_bad_leaf > gap[0][0]):
        missing, found = gap[0]
        message = f"leaf {missing} is missing: the next stored leaf is {found}"
        return AuditResult(
            leaves_checked=result.leaves_checked,
            root_hash=result.root_hash,
            first_bad_leaf=missing,
            bad_range=(missing, found),
            problem=message,
        )
    return result


def encode_proof(hashes: Sequence[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]
