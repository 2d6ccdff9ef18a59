"""What the log pages show: recent leaves, and one leaf's proof against the latest checkpoint.

Both follow :mod:`.log`: every entry's index and the means to check it for anyone, its record
and change only for a reader who may read that record.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerLeaf
from kuznia.errors import Conflict
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency.checkpoints import latest_checkpoint, prove_leaf
from kuznia.services.transparency.log import views_of
from kuznia.services.transparency.store import log_size, stored_leaf

MAX_OFFSET = 2**62


@dataclass(frozen=True, slots=True)
class LeafLine:
    """One entry of the page: entity, record and action are None when withheld."""

    seq: int
    entity: str | None
    record_id: str | None
    action: str | None


@dataclass(frozen=True, slots=True)
class LogView:
    size: int
    leaves: list[LeafLine]
    checkpoint_note: str | None
    checkpoint_size: int | None


def log_view(session: Session, actor: Actor, *, offset: int = 0, limit: int = 25) -> LogView:
    """The newest leaves first (content only where the actor may read the record) and the
    latest signed checkpoint."""
    viewer = Viewer.of(session, actor)
    viewer.scope("ledger_leaves", Action.READ)
    rows = session.scalars(
        select(LedgerLeaf)
        .order_by(LedgerLeaf.seq.desc())
        .offset(min(offset, MAX_OFFSET))
        .limit(limit)
    )
    views = views_of(viewer, [stored_leaf(r) for r in rows])
    leaves = [LeafLine(v.seq, v.entity, v.record_id, v.action) for v in views]
    try:
        checkpoint = latest_checkpoint(session)
    except Conflict:
        return LogView(log_size(session), leaves, None, None)
    return LogView(log_size(session), leaves, checkpoint.note, checkpoint.size)


def leaf_proof(session: Session, actor: Actor, seq: int) -> dict[str, Any]:
    """Everything a browser needs to check that leaf ``seq`` is in the signed tree: the leaf's
    bytes (None when withheld: the hash is checked instead), its hash, its inclusion path and
    the checkpoint (whose root hash it must reproduce)."""
    proof = prove_leaf(session, actor, seq)
    leaf = proof.leaf
    return {
        "index": leaf.seq,
        "leaf": None if leaf.leaf is None else base64.b64encode(leaf.leaf).decode(),
        "leaf_hash": base64.b64encode(leaf.leaf_hash).decode(),
        "tree_size": proof.tree_size,
        "hashes": proof.proof_document()["hashes"],
        "checkpoint": proof.checkpoint,
    }
