"""The stored log read as a Merkle tree: leaf hashes and subtree hashes (an RFC 9162
``HashStore``), its size, roots, proofs, the leaves in order, and the audit that recomputes it.

Nothing here decides who may see a leaf's content: that is :mod:`.log`'s, by the access policy.
These functions serve hashes, which everyone may receive, and the raw leaves to the audit.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import tee
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, Engine, and_, or_, select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerLeaf, LedgerNode
from kuznia.services.kernel.unit_of_work import SEQ_KEY
from kuznia.transparency import (
    AuditResult,
    Checkpoint,
    Node,
    audit_leaves,
    consistency_proof,
    inclusion_proof,
    root_at,
)

CHUNK = 5000
LEAVES, NODES = LedgerLeaf.__tablename__, LedgerNode.__tablename__
SIZE_QUERY = "SELECT size FROM ledger_head WHERE id = 1"


def nodes_condition(nodes: Sequence[tuple[int, int]]) -> ColumnElement[bool]:
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


UPPER_LEVEL = 10
"""Complete subtrees of 2^10 = 1,024 leaves and more are remembered once read (see ``_upper``)."""

_upper: WeakKeyDictionary[Engine, dict[Node, bytes]] = WeakKeyDictionary()
"""Per database: the upper subtree hashes read so far. A complete subtree never changes once
committed (the log is append-only: triggers refuse updates and deletes), so these hold for the
life of the process: a proof at a million leaves then reads only its ten lowest levels. Only
sessions that have not written fill or use it (see ``_remembered``): an appended, uncommitted
subtree is never kept. About 2,000 hashes (64 KiB) per million leaves."""
_upper_lock = threading.Lock()


def _remembered(session: Session) -> dict[Node, bytes] | None:
    """The upper-tree memory of the session's database, or None in a writing session (one that
    took a commit sequence number: whatever it appended may still roll back). Filled with every
    stored upper subtree at first use (one query), then with each new one as proofs read it."""
    if SEQ_KEY in session.info:
        return None
    engine = session.get_bind().engine
    with _upper_lock:
        memory = _upper.get(engine)
    if memory is None:
        query = f"SELECT level, idx, hash FROM {NODES} WHERE level >= {UPPER_LEVEL}"  # noqa: S608
        rows = session.connection().exec_driver_sql(query)
        loaded = {(int(level), int(index)): bytes(digest) for level, index, digest in rows}
        with _upper_lock:
            memory = _upper.setdefault(engine, loaded)
    return memory


class LedgerStore:
    """A ``HashStore`` over ``ledger_leaves`` and ``ledger_nodes``, frozen at one size."""

    def __init__(self, session: Session, size: int | None = None) -> None:
        self._session = session
        self._size = log_size(session) if size is None else size
        self._upper = _remembered(session)

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

    def get_subtree_hashes(self, nodes: Sequence[Node]) -> list[bytes | None]:
        """The leaves (level 0) and upper nodes asked for, in one query, less those remembered."""
        upper = self._upper if self._upper is not None else {}
        found: dict[Node, bytes] = {node: upper[node] for node in nodes if node in upper}
        missing = sorted({node for node in nodes if node not in found})
        for start in range(0, len(missing), 500):
            found.update(_read_hashes(self._session, missing[start : start + 500]))
        if self._upper is not None:
            with _upper_lock:
                self._upper.update(
                    (node, found[node]) for node in missing
                    if node[0] >= UPPER_LEVEL and node in found
                )  # fmt: skip
        return [found.get(node) for node in nodes]


def _read_hashes(session: Session, nodes: Sequence[Node]) -> dict[Node, bytes]:
    """Leaf hashes (level 0) and subtree hashes in one round trip.

    Plain SQL with the integers written in: building the same query with SQLAlchemy's
    expressions (``level = j AND idx IN (...)`` per level) cost more than the query itself,
    several times over, for the thirty-odd nodes of a proof. Each term is an index search on
    both engines (a tuple ``IN`` is not: SQLAlchemy writes it as ``IN (VALUES ...)``, which
    SQLite scans). Only integers are written into the text (``int`` of each)."""
    by_level: dict[int, list[str]] = {}
    for level, index in nodes:
        by_level.setdefault(int(level), []).append(str(int(index)))
    parts = []
    if 0 in by_level:
        seqs = ",".join(by_level.pop(0))
        parts.append(f"SELECT 0, seq, leaf_hash FROM {LEAVES} WHERE seq IN ({seqs})")  # noqa: S608
    if by_level:
        terms = " OR ".join(
            f"(level = {level} AND idx IN ({','.join(indexes)}))"
            for level, indexes in sorted(by_level.items())
        )
        parts.append(f"SELECT level, idx, hash FROM {NODES} WHERE {terms}")  # noqa: S608
    if not parts:
        return {}
    rows = session.connection().exec_driver_sql(" UNION ALL ".join(parts))
    return {(int(level), int(index)): bytes(digest) for level, index, digest in rows}


def log_size(session: Session) -> int:
    """Leaves committed so far."""
    size = session.connection().exec_driver_sql(SIZE_QUERY).scalar()
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


@dataclass(frozen=True, slots=True)
class StoredLeaf:
    seq: int
    entity: str
    record_id: str
    action: str
    leaf: bytes
    leaf_hash: bytes


def stored_leaf(row: LedgerLeaf) -> StoredLeaf:
    return StoredLeaf(
        row.seq,
        row.entity,
        row.record_id,
        row.action,
        row.leaf.encode("utf-8"),
        bytes(row.leaf_hash),
    )


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
        yield from (stored_leaf(r) for r in rows)
        if len(rows) < upto - position:
            return
        position = upto


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
