"""The transparency log: checkpoints, leaves, proofs, openings, audit.

Who may use what is decided in the services (``services.transparency.log`` by the access
policy); these routes only translate. The log's public key, checkpoints, consistency proofs,
leaf hashes and inclusion proofs are public; a leaf's content (entity, record id, canonical
JSON) goes only to a reader who may read its record, and the openings of its secret fields to
who may also see those fields (docs/transparency.md). Contracts, money and deliveries are in
``routes.contracting``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from kuznia.api.deps import CurrentActor, api_state, database, optional_actor
from kuznia.db.transparency import LedgerCheckpoint
from kuznia.errors import NotFound
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency import log, store
from kuznia.services.transparency.checkpoints import (
    LogSigner,
    RecordProof,
    create_checkpoint,
    latest_checkpoint,
    load_signer,
    prove_leaf,
    prove_record,
    verified_checkpoints,
)
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["transparency log"])

MAX_SEQ = 2**62
"""Beyond any log; keeps sequence numbers and sizes inside a database integer (else 422)."""
Seq = Annotated[int, Query(ge=0, le=MAX_SEQ)]
PublicOrActor = Annotated[Actor, Depends(optional_actor)]
"""Who calls, or the public when nobody is signed in: hashes and proofs are everyone's."""


class CheckpointOut(BaseModel):
    origin: str
    size: int
    root_hash: str = Field(description="hex")
    note: str = Field(description="the C2SP signed note, as `kuznia verify --checkpoint` reads it")


class LeafOut(BaseModel):
    seq: int
    leaf_hash: str = Field(description="hex SHA-256(0x00 || leaf)")
    withheld: bool = Field(
        description="the content is withheld: you may not read this record (the hash proves it)"
    )
    entity: str | None = None
    record_id: str | None = None
    action: str | None = None
    leaf: str | None = Field(None, description="the exact canonical JSON hashed into the tree")


class ProofOut(BaseModel):
    index: int
    tree_size: int
    hashes: list[str] = Field(description="base64, from the leaf's sibling up")


class RecordProofOut(BaseModel):
    leaf: LeafOut
    checkpoint: str
    proof: ProofOut


def _signer(request: Request) -> LogSigner:
    return load_signer(api_state(request).settings)


@router.get("/log/vkey", operation_id="log_vkey")
def log_vkey(request: Request) -> dict[str, str]:
    """The log's public verifier key: all `kuznia verify` needs to check checkpoints offline."""
    return {"vkey": _signer(request).verifier.vkey}


def _checkpoint(row: LedgerCheckpoint) -> CheckpointOut:
    return CheckpointOut(
        origin=row.origin, size=row.size, root_hash=row.root_hash.hex(), note=row.note
    )


@router.get("/log/checkpoint", response_model=CheckpointOut, operation_id="latest_checkpoint")
def get_latest_checkpoint(request: Request, actor: PublicOrActor) -> CheckpointOut:
    """The newest signed checkpoint (public)."""
    Viewer(actor).scope("ledger_checkpoints")
    with database(request).reading() as session:
        return _checkpoint(latest_checkpoint(session))


@router.post(
    "/log/checkpoint", response_model=CheckpointOut, status_code=201, operation_id="sign_checkpoint"
)
def post_checkpoint(request: Request, actor: CurrentActor) -> CheckpointOut:
    """Sign the current tree head (coordinator)."""
    signer = _signer(request)
    with database(request).transaction() as session:
        return _checkpoint(create_checkpoint(session, actor, signer))


def _leaf(leaf: log.LeafView) -> LeafOut:
    return LeafOut(
        seq=leaf.seq,
        leaf_hash=leaf.leaf_hash.hex(),
        withheld=leaf.withheld,
        entity=leaf.entity,
        record_id=leaf.record_id,
        action=leaf.action,
        leaf=None if leaf.leaf is None else leaf.leaf.decode(),
    )


@router.get("/log/leaves", response_model=list[LeafOut], operation_id="list_log_leaves")
def list_leaves(
    request: Request,
    actor: PublicOrActor,
    start: Seq = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[LeafOut]:
    """Leaves in log order (a page by sequence number): every leaf's hash; its content, secret
    fields as commitments, only where you may read the record."""
    with database(request).reading() as session:
        return [_leaf(leaf) for leaf in log.leaves_between(session, actor, start, start + limit)]


def _record_proof(proof: RecordProof) -> RecordProofOut:
    document = proof.proof_document()
    return RecordProofOut(
        leaf=_leaf(proof.leaf), checkpoint=proof.checkpoint, proof=ProofOut(**document)
    )


@router.get("/log/proof", response_model=RecordProofOut, operation_id="log_record_proof")
def record_proof(
    request: Request,
    actor: PublicOrActor,
    entity: Annotated[str | None, Query(max_length=100)] = None,
    record_id: Annotated[str | None, Query(max_length=100)] = None,
    seq: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
) -> RecordProofOut:
    """A leaf (by ``seq``, or a record's newest) with its proof in the newest checkpoint: by
    ``seq`` for anyone (the content only if you may read the record); by record only for who
    may read it (404 otherwise, as for the record itself)."""
    with database(request).reading() as session:
        if seq is not None:
            return _record_proof(prove_leaf(session, actor, seq))
        if entity is None or record_id is None:
            raise NotFound("give seq, or entity and record_id")
        return _record_proof(prove_record(session, actor, entity, record_id))


@router.get("/log/consistency", response_model=ProofOut, operation_id="log_consistency_proof")
def consistency_proof(
    request: Request,
    actor: PublicOrActor,
    old_size: Seq = 0,
    new_size: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
) -> ProofOut:
    """PROOF(old_size, new_size): the log at new_size extends itself at old_size (public)."""
    Viewer(actor).scope("ledger_nodes")
    with database(request).reading() as session:
        size = store.log_size(session) if new_size is None else new_size
        hashes = store.consistency(session, old_size, size)
    return ProofOut(index=old_size, tree_size=size, hashes=store.encode_proof(hashes))


@router.get("/log/openings", operation_id="log_openings")
def openings(request: Request, actor: CurrentActor, seq: Seq = 0) -> list[dict[str, Any]]:
    """What opens the commitments of leaf ``seq``: for who may read the record and see its
    secret fields (403 otherwise)."""
    with database(request).reading() as session:
        return [{"part": part, **o.to_json()} for part, o in log.openings_of(session, actor, seq)]


@router.get("/log/audit", operation_id="log_audit")
def audit(request: Request, actor: CurrentActor) -> dict[str, Any]:
    """Recompute the tree from every leaf and compare with the signed checkpoints."""
    verifier = _signer(request).verifier
    with database(request).reading() as session:
        Viewer(actor).scope("ledger_leaves")
        result = store.audit(session, verified_checkpoints(session, verifier))
    return {
        "ok": result.ok,
        "leaves_checked": result.leaves_checked,
        "root_hash": result.root_hash.hex(),
        "first_bad_leaf": result.first_bad_leaf,
        "problem": result.problem or None,
    }
