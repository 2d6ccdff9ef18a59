"""The stored log read as a Merkle tree: leaf hashes and subtree hashes (an RFC 9162
``HashStore``), its size, roots, proofs, the leaves in order, and the audit that recomputes it.

Nothing here decides who may see a leaf's content: that is :mod:`.log`'s, by the access policy.
These functions serve hashes, which everyone may receive, and the raw leaves to the audit.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import tee

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode
from kuznia.transparency import (
    AuditResult,
    Checkpoint,
    audit_leaves,
    consistency_proof,
    inclusion_proof,
    root_at,
)

CHUNK = 5000


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
                nodes_condition(upper[start : start + 500])
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
