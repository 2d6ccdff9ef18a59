"""The transparency log's pure core: RFC 9162 Merkle tree, proofs, C2SP signed checkpoints.

- ``merkle``: leaf/node hashes, MTH, inclusion and consistency proofs over a ``HashStore``, and
  their verification (RFC 9162 sections 2.1.1-2.1.4).
- ``tree``: ``TreeLevels``, the in-memory store with batch appends; ``CompactRange`` for streaming.
- ``canonical``: RFC 8785 canonical JSON for leaves; salted commitments to secret fields.
- ``note`` and ``checkpoint``: Ed25519 keys, C2SP signed notes and tlog checkpoints.
- ``verify``: offline checks from a public key alone, and the audit that names the first bad leaf.

Nothing here does I/O or imports a web, database or CLI framework.
"""

from kuznia.transparency.canonical import (
    CanonicalFragment,
    Opening,
    canonical_fragment,
    canonical_json,
    commit_secrets,
    commitment,
    leaf_bytes,
    verify_opening,
)
from kuznia.transparency.checkpoint import (
    Checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from kuznia.transparency.errors import (
    BadSignature,
    InvalidProof,
    MalformedNote,
    UnknownKey,
    VerificationFailed,
)
from kuznia.transparency.merkle import (
    EMPTY_ROOT,
    HashStore,
    Node,
    consistency_proof,
    consistency_ranges,
    inclusion_proof,
    inclusion_ranges,
    leaf_hash,
    merkle_tree_hash,
    node_hash,
    range_hashes,
    range_nodes,
    root_at,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)
from kuznia.transparency.note import (
    NoteSignature,
    NoteVerifier,
    generate_private_key,
    key_id,
    open_note,
    parse_note,
    parse_vkey,
    private_key_from_pem,
    private_key_to_pem,
    public_key_bytes,
    sign_note,
    verifier_for,
)
from kuznia.transparency.tree import CompactRange, TreeLevels
from kuznia.transparency.verify import (
    AuditResult,
    audit_leaves,
    verify_checkpoint_consistency,
    verify_record_inclusion,
)

__all__ = [
    "EMPTY_ROOT",
    "AuditResult",
    "BadSignature",
    "CanonicalFragment",
    "Checkpoint",
    "CompactRange",
    "HashStore",
    "InvalidProof",
    "MalformedNote",
    "Node",
    "NoteSignature",
    "NoteVerifier",
    "Opening",
    "TreeLevels",
    "UnknownKey",
    "VerificationFailed",
    "audit_leaves",
    "canonical_fragment",
    "canonical_json",
    "commit_secrets",
    "commitment",
    "consistency_proof",
    "consistency_ranges",
    "generate_private_key",
    "inclusion_proof",
    "inclusion_ranges",
    "key_id",
    "leaf_bytes",
    "leaf_hash",
    "merkle_tree_hash",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint",
    "parse_note",
    "parse_vkey",
    "private_key_from_pem",
    "private_key_to_pem",
    "public_key_bytes",
    "range_hashes",
    "range_nodes",
    "root_at",
    "root_from_inclusion_proof",
    "root_from_leaf_hashes",
    "sign_checkpoint",
    "sign_note",
    "subtree_root",
    "verifier_for",
    "verify_checkpoint_consistency",
    "verify_consistency",
    "verify_inclusion",
    "verify_opening",
    "verify_record_inclusion",
]
