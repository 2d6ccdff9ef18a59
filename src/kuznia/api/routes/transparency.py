"""The transparency log: checkpoints, leaves, proofs, openings, audit.

Who may use what is decided in the services (``services.ledger``, ``ledger_checkpoints``);
these routes only translate. The log's public key, checkpoints and consistency proofs are
public; leaves and inclusion proofs need a login (any role but the public); openings of secret
fields are the coordinator's. Contracts, money and deliveries are in ``routes.contracts``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from kuznia.api.deps import CurrentActor, api_state, database
from kuznia.db.transparency import LedgerCheckpoint
from kuznia.errors import NotFound
from kuznia.services.transparency import log
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

router = APIRouter(prefix="/api/v1", tags=["transparency log"])

MAX_SEQ = 2**62
"""Beyond any log; keeps sequence numbers and sizes inside a database integer (else 422)."""
Seq = Annotated[int, Query(ge=0, le=MAX_SEQ)]


class CheckpointOut(BaseModel):
    origin: str
    size: int
    root_hash: str = Field(description="hex")
    note: str = Field(description="the C2SP signed note, as `kuznia verify --checkpoint` reads it")


class LeafOut(BaseModel):
    seq: int
    entity: str
    record_id: str
    leaf: str = Field(description="the exact canonical JSON hashed into the tree")
    leaf_hash: str = Field(description="hex SHA-256(0x00 || leaf)")


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
def get_latest_checkpoint(request: Request) -> CheckpointOut:
    """The newest signed checkpoint (public)."""
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


def _leaf(leaf: log.StoredLeaf) -> LeafOut:
    return LeafOut(
        seq=leaf.seq,
        entity=leaf.entity,
        record_id=leaf.record_id,
        leaf=leaf.leaf.decode(),
        leaf_hash=leaf.leaf_hash.hex(),
    )


@router.get("/log/leaves", response_model=list[LeafOut], operation_id="list_log_leaves")
def list_leaves(
    request: Request,
    actor: CurrentActor,
    start: Seq = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[LeafOut]:
    """Leaves in log order, secret fields as commitments (a page by sequence number)."""
    log.require_reader(actor)
    with database(request).reading() as session:
        return [_leaf(leaf) for leaf in log.iter_leaves(session, start, start + limit)]


def _record_proof(proof: RecordProof) -> RecordProofOut:
    document = proof.proof_document()
    return RecordProofOut(
        leaf=_leaf(proof.leaf), checkpoint=proof.checkpoint, proof=ProofOut(**document)
    )


@router.get("/log/proof", response_model=RecordProofOut, operation_id="log_record_proof")
def record_proof(
    request: Request,
    actor: CurrentActor,
    entity: Annotated[str | None, Query(max_length=100)] = None,
    record_id: Annotated[str | None, Query(max_length=100)] = None,
    seq: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
) -> RecordProofOut:
    """A leaf (by ``seq``, or a record's newest) with its proof in the newest checkpoint."""
    with database(request).reading() as session:
        if seq is not None:
            return _record_proof(prove_leaf(session, actor, seq))
        if entity is None or record_id is None:
            raise NotFound("give seq, or entity and record_id")
        return _record_proof(prove_record(session, actor, entity, record_id))


@router.get("/log/consistency", response_model=ProofOut, operation_id="log_consistency_proof")
def consistency_proof(
    request: Request,
    old_size: Seq = 0,
    new_size: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
) -> ProofOut:
    """PROOF(old_size, new_size): the log at new_size extends itself at old_size (public)."""
    with database(request).reading() as session:
        size = log.log_size(session) if new_size is None else new_size
        hashes = log.consistency(session, old_size, size)
    return ProofOut(index=old_size, tree_size=size, hashes=log.encode_proof(hashes))


@router.get("/log/openings", operation_id="log_openings")
def openings(request: Request, actor: CurrentActor, seq: Seq = 0) -> list[dict[str, Any]]:
    """What opens the commitments of leaf ``seq`` (coordinator only)."""
    with database(request).reading() as session:
        return [{"part": part, **o.to_json()} for part, o in log.openings_of(session, actor, seq)]


@router.get("/log/audit", operation_id="log_audit")
def audit(request: Request, actor: CurrentActor) -> dict[str, Any]:
    """Recompute the tree from every leaf and compare with the signed checkpoints."""
    log.require_reader(actor)
    verifier = _signer(request).verifier
    with database(request).reading() as session:
        result = log.audit(session, verified_checkpoints(session, verifier))
    return {
        "ok": result.ok,
        "leaves_checked": result.leaves_checked,
        "root_hash": result.root_hash.hex(),
        "first_bad_leaf": result.first_bad_leaf,
        "problem": result.problem or None,
    }
