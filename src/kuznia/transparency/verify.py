"""Offline verification, for auditors and ``kuznia verify``: needs only the log's public key (vkey).

Every check either returns what it verified or raises a ``VerificationFailed`` subclass whose
message says precisely what did not match. ``audit_leaves`` instead returns a report, because its
point is to say *where* a log went wrong: it names the first leaf whose content no longer matches
its stored hash, or the smallest checkpoint the recomputed tree disagrees with.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from kuznia.transparency.canonical import leaf_bytes
from kuznia.transparency.checkpoint import Checkpoint, open_checkpoint
from kuznia.transparency.errors import InvalidProof, VerificationFailed
from kuznia.transparency.merkle import leaf_hash, verify_consistency, verify_inclusion
from kuznia.transparency.note import NoteVerifier
from kuznia.transparency.tree import CompactRange

Leaf = bytes | Mapping[str, object]
"""A leaf as logged (canonical JSON bytes) or as a record (canonicalised with RFC 8785)."""
Keys = str | NoteVerifier | Sequence[NoteVerifier]
"""Trusted keys: a vkey string, a verifier, or several verifiers."""


def verify_record_inclusion(
    keys: Keys,
    signed_checkpoint: str | bytes,
    leaf: Leaf,
    index: int,
    proof: Sequence[bytes],
    *,
    origin: str | None = None,
) -> Checkpoint:
    """Check the checkpoint's signature, then that ``leaf`` is leaf ``index`` of its tree.

    Returns the verified checkpoint. RFC 9162 section 2.1.3.2 over HASH(0x00 || leaf bytes).
    """
    checkpoint = open_checkpoint(signed_checkpoint, keys, origin)
    if not 0 <= index < checkpoint.size:
        raise InvalidProof(
            f"leaf index {index} is outside the checkpoint's tree of size {checkpoint.size}"
        )
    try:
        verify_inclusion(
            index, checkpoint.size, leaf_hash(leaf_bytes(leaf)), proof, checkpoint.root_hash
        )
    except InvalidProof as error:
        raise InvalidProof(
            f"the record is not leaf {index} of {checkpoint.origin!r} at size {checkpoint.size}: "
            f"{error.message} (the record, its index or the proof was altered)"
        ) from None
    return checkpoint


def verify_checkpoint_consistency(
    keys: Keys,
    old_signed: str | bytes,
    new_signed: str | bytes,
    proof: Sequence[bytes],
    *,
    origin: str | None = None,
) -> tuple[Checkpoint, Checkpoint]:
    """Check both signatures, then that the new tree extends the old one (append-only).

    RFC 9162 section 2.1.4.2. Returns (old, new) checkpoints as verified.
    """
    old = open_checkpoint(old_signed, keys, origin)
    new = open_checkpoint(new_signed, keys, old.origin)
    if old.size > new.size:
        raise VerificationFailed(
            f"the 'old' checkpoint has size {old.size}, more than the 'new' one ({new.size}); "
            "pass them oldest first"
        )
    try:
        verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
    except InvalidProof as error:
        raise InvalidProof(
            f"{old.origin!r} at size {new.size} does not extend itself at size {old.size}: "
            f"{error.message} (the log was rewritten, or the proof was altered)"
        ) from None
    return old, new


@dataclass(frozen=True, slots=True)
class AuditResult:
    """What ``audit_leaves`` found.

    ``first_bad_leaf`` is the index of the first leaf proven wrong, when it can be pinned down;
    ``bad_range`` is the half-open range of leaves that holds the first wrong one.
    """

    leaves_checked: int
    root_hash: bytes
    first_bad_leaf: int | None = None
    bad_range: tuple[int, int] | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_leaves(
    leaves: Iterable[Leaf],
    *,
    stored_hashes: Iterable[bytes] | None = None,
    checkpoints: Iterable[Checkpoint] = (),
) -> AuditResult:
    """Recompute the tree from every leaf, in order, and report the first disagreement.

    Each leaf is checked against its stored leaf hash (when given): content changed behind the
    application's back shows up at exactly that leaf. The root at each checkpoint's size is
    compared with the checkpoint (already verified with ``open_checkpoint``): changes that also
    rewrote the stored hashes show up as the range between the last good checkpoint and this one.
    Streams: memory is O(log n) whatever the number of leaves.
    """
    auditor = _Auditor(checkpoints)
    stored: Iterable[bytes | None] = stored_hashes if stored_hashes is not None else ()
    found = auditor.check_due_checkpoints()
    for index, (leaf, expected) in enumerate(zip_longest(leaves, stored, fillvalue=None)):
        if found is not None:
            return found
        if leaf is None:
            return auditor.result((index, index + 1), f"leaf {index} has a stored hash, no leaf")
        computed = leaf_hash(leaf_bytes(leaf))
        if stored_hashes is not None and not _same(computed, expected):
            shown = expected.hex() if expected is not None else "missing"
            message = f"leaf {index} hashes to {computed.hex()} but its stored hash is {shown}"
            return auditor.result((index, index + 1), message + ": the leaf was altered")
        auditor.tree.append_leaf_hash(computed)
        found = auditor.check_due_checkpoints()
    return found or auditor.finish()


def _same(computed: bytes, expected: bytes | None) -> bool:
    return expected is not None and hmac.compare_digest(computed, expected)


class _Auditor:
    """The streaming state of ``audit_leaves``: the compact tree and the checkpoints still due."""

    def __init__(self, checkpoints: Iterable[Checkpoint]) -> None:
        self.tree = CompactRange()
        self.pending = sorted(checkpoints, key=lambda c: c.size, reverse=True)
        self.good_size = 0

    def check_due_checkpoints(self) -> AuditResult | None:
        """Compare the root with every checkpoint at the current size."""
        size = self.tree.size
        while self.pending and self.pending[-1].size == size:
            checkpoint = self.pending.pop()
            root = self.tree.root()
            if not hmac.compare_digest(root, checkpoint.root_hash):
                culprit = (
                    f"a leaf in [{self.good_size}, {size}) was altered"
                    if size
                    else "a checkpoint of the empty log must have the empty root"
                )
                message = (
                    f"the leaves recompute to root {root.hex()} at size {size}, but the checkpoint "
                    f"says {checkpoint.root_hash.hex()}: {culprit}"
                )
                return self.result((self.good_size, size), message)
            self.good_size = size
        return None

    def finish(self) -> AuditResult:
        """All leaves read: any checkpoint left is larger than the log."""
        if self.pending:
            missing, size = self.pending[-1].size, self.tree.size
            message = f"a checkpoint was signed at size {missing} but the log has {size} leaves"
            return self.result((size, missing), message + ": leaves were deleted")
        return AuditResult(leaves_checked=self.tree.size, root_hash=self.tree.root())

    def result(self, bad_range: tuple[int, int], problem: str) -> AuditResult:
        return _result(self.tree, bad_range, problem)


def _result(tree: CompactRange, bad_range: tuple[int, int], problem: str) -> AuditResult:
    first, end = bad_range
    return AuditResult(
        leaves_checked=tree.size,
        root_hash=tree.root(),
        first_bad_leaf=first if end - first == 1 else None,
        bad_range=bad_range,
        problem=problem,
    )
