"""What the log pages show: recent leaves, and one leaf's proof against the latest checkpoint."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerLeaf
from kuznia.errors import Conflict
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency.checkpoints import latest_checkpoint, prove_leaf
from kuznia.services.transparency.log import log_size, require_reader


@dataclass(frozen=True, slots=True)
class LeafLine:
    seq: int
    entity: str
    record_id: str
    action: str


@dataclass(frozen=True, slots=True)
class LogView:
    size: int
    leaves: list[LeafLine]
    checkpoint_note: str | None
    checkpoint_size: int | None


def log_view(session: Session, actor: Actor, *, offset: int = 0, limit: int = 25) -> LogView:
    """The newest leaves first (public parts only) and the latest signed checkpoint."""
    require_reader(actor)
    rows = session.scalars(
        select(LedgerLeaf).order_by(LedgerLeaf.seq.desc()).offset(offset).limit(limit)
    )
    leaves = [LeafLine(r.seq, r.entity, r.record_id, r.action) for r in rows]
    try:
        checkpoint = latest_checkpoint(session)
    except Conflict:
        return LogView(log_size(session), leaves, None, None)
    return LogView(log_size(session), leaves, checkpoint.note, checkpoint.size)


def leaf_proof(session: Session, actor: Actor, seq: int) -> dict[str, Any]:
    """Everything a browser needs to check that leaf ``seq`` is in the signed tree: the leaf's
    bytes, its inclusion path and the checkpoint (whose root hash it must reproduce)."""
    proof = prove_leaf(session, actor, seq)
    return {
        "index": proof.leaf.seq,
        "leaf": base64.b64encode(proof.leaf.leaf).decode(),
        "leaf_hash": base64.b64encode(proof.leaf.leaf_hash).decode(),
        "tree_size": proof.tree_size,
        "hashes": proof.proof_document()["hashes"],
        "checkpoint": proof.checkpoint,
    }
