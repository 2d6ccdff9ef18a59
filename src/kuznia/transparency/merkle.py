"""RFC 9162 Merkle tree: hashes, inclusion and consistency proofs, and their verification.

Notation of RFC 9162 section 2.1: D[n] is the list of n leaves, MTH(D[n]) its Merkle Tree Hash,
LSB(x) the least significant bit. The tree is the one of RFC 6962 (same hashes, same proofs), so
checkpoints from this log verify with any RFC 6962 / C2SP tlog client.

Proofs are generated over a ``HashStore``: leaf hashes plus, optionally, the stored hashes of
complete subtrees (2^level leaves starting at a multiple of 2^level). Every node of the tree is a
right fold of at most log2(n) such subtrees, so a proof costs O(log^2 n) store look-ups whatever
the tree size. A store may return ``None`` for a subtree it does not keep; the hash is then
recomputed from the leaf hashes (correct, but linear in the subtree size).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Protocol

from kuznia.errors import InvalidInput
from kuznia.transparency.errors import InvalidProof

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}) = SHA-256() (RFC 9162 section 2.1.1)."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d(0)}) = SHA-256(0x00 || d(0)) (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): an interior node (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): MTH(D[n]) splits D[0:k] : D[k:n]."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) from the n leaf hashes (RFC 9162 section 2.1.1).

    Computed bottom-up: pairing neighbours and promoting an unpaired last node level by level
    builds the same tree as splitting at the largest power of two k < n, without recursion.
    """
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def merkle_tree_hash(leaves: Iterable[bytes]) -> bytes:
    """MTH(D[n]) of raw leaf data (RFC 9162 section 2.1.1)."""
    return root_from_leaf_hashes([leaf_hash(d) for d in leaves])


Node = tuple[int, int]
"""(level, index): the complete subtree over leaves [index * 2^level, (index + 1) * 2^level)."""


class HashStore(Protocol):
    """Where proofs read hashes from: the in-memory ``TreeLevels`` now, a database table later.

    ``get_subtree_hashes(nodes)`` answers for many complete subtrees at once (one query, not one
    per node: a proof at a million leaves touches a few hundred), in the order asked, ``None``
    for a subtree the store does not keep; those are recomputed from ``get_leaf_hashes``.
    Only subtrees and leaves inside ``size()`` are asked for.
    """

    def size(self) -> int: ...

    def get_leaf_hashes(self, start: int, end: int) -> Sequence[bytes]: ...

    def get_subtree_hashes(self, nodes: Sequence[Node]) -> Sequence[bytes | None]: ...


def range_nodes(start: int, end: int) -> list[Node]:
    """The complete subtrees whose right fold is MTH(D[start:end]), largest first.

    [start, end) must be a node of the tree: start a multiple of 2^ceil(log2(end - start)), as
    every range in a proof is. Splitting at the largest power of two k < n again and again then
    peels off complete subtrees whose sizes are the set bits of n = end - start.
    """
    n = end - start
    if start < 0 or n < 0 or (n and start % (1 << (n - 1).bit_length())):
        raise InvalidInput.single("range", f"[{start}, {end}) is not a node of the Merkle tree")
    nodes: list[Node] = []
    position = start
    for level in range(n.bit_length() - 1, -1, -1):
        if n >> level & 1:
            nodes.append((level, position >> level))
            position += 1 << level
    return nodes


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTH make up PATH(m, D[n]) (RFC 9162 section 2.1.3.1), leaf first.

    PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
    Walked from the root down, so each step adds the half that does not hold the leaf.
    """
    if not 0 <= index < size:
        raise InvalidInput.single("leaf_index", f"{index} is not in 0..{size - 1}")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTH make up PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (section 2.1.4.1).

    SUBPROOF(m, D[m], b) is {} if b else {MTH(D[m])}; for m < n, with k = split_point(n):
    SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m <= k,
    else SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
    Empty when m = 0 or m = n (nothing to prove).
    """
    if not 0 <= old_size <= new_size:
        raise InvalidInput.single("old_size", f"{old_size} is not in 0..{new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, new_size
    whole_old_tree = True
    while old_size != hi:
        k = split_point(hi - lo)
        if old_size - lo <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            whole_old_tree = False
    if not whole_old_tree:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def range_hashes(store: HashStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """MTH(D[start:end]) for each range, from one batched read of the complete subtrees needed."""
    _check_size(store, max((end for _, end in ranges), default=0))
    return _range_hashes(store, ranges)


def _range_hashes(store: HashStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    node_lists = [range_nodes(start, end) for start, end in ranges]
    wanted = sorted({node for nodes in node_lists for node in nodes})
    found = dict(zip(wanted, _read_nodes(store, wanted), strict=True))
    return [_fold_right([found[node] for node in nodes]) for nodes in node_lists]


def _read_nodes(store: HashStore, nodes: Sequence[Node]) -> list[bytes]:
    """Stored subtree hashes, recomputing from leaf hashes any the store does not keep."""
    stored = store.get_subtree_hashes(nodes) if nodes else []
    if len(stored) != len(nodes):
        raise ValueError(f"the hash store answered {len(stored)} of {len(nodes)} subtrees")
    return [
        value if value is not None else _recompute(store, level, index)
        for (level, index), value in zip(nodes, stored, strict=True)
    ]


def _recompute(store: HashStore, level: int, index: int) -> bytes:
    start = index << level
    return root_from_leaf_hashes(store.get_leaf_hashes(start, start + (1 << level)))


def _fold_right(parts: Sequence[bytes]) -> bytes:
    """HASH(0x01 || p0 || HASH(0x01 || p1 || ...)): a node from its complete subtrees."""
    if not parts:
        return EMPTY_ROOT
    acc = parts[-1]
    for part in reversed(parts[:-1]):
        acc = node_hash(part, acc)
    return acc


def _check_size(store: HashStore, size: int) -> None:
    if not 0 <= size <= store.size():
        raise InvalidInput.single("tree_size", f"{size} is not in 0..{store.size()} (the log size)")


def subtree_root(store: HashStore, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a node of the tree (see ``range_nodes``)."""
    return range_hashes(store, [(start, end)])[0]


def root_at(store: HashStore, size: int) -> bytes:
    """MTH(D[size]) of the first ``size`` leaves of the store (any past size of the log)."""
    return subtree_root(store, 0, size)


def inclusion_proof(store: HashStore, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 section 2.1.3.1), ordered from the leaf's sibling up."""
    _check_size(store, size)
    return _range_hashes(store, inclusion_ranges(index, size))


def consistency_proof(store: HashStore, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[new_size]) (RFC 9162 section 2.1.4.1), ordered from the bottom up."""
    _check_size(store, new_size)
    return _range_hashes(store, consistency_ranges(old_size, new_size))


def inclusion_proof_length(index: int, size: int) -> int:
    """How many hashes PATH(index, D[size]) has: one per level where the leaf's path and the last
    leaf's path diverge (bit length of index XOR (size - 1)), plus one per set bit above them."""
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def consistency_proof_length(old_size: int, new_size: int) -> int:
    """How many hashes PROOF(old_size, D[new_size]) has, for 0 < old_size < new_size.

    It is the inclusion path of leaf old_size - 1, minus the levels inside the largest complete
    subtree ending at old_size (trailing zeros), plus that subtree's own hash unless it is the
    whole old tree (old_size a power of two).
    """
    shift = (old_size & -old_size).bit_length() - 1
    inner = ((old_size - 1) ^ (new_size - 1)).bit_length() - shift
    border = ((old_size - 1) >> (inner + shift)).bit_count()
    seed = 0 if old_size == 1 << shift else 1
    return seed + inner + border


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise InvalidProof(f"{what} has {len(value)} bytes; a SHA-256 hash has {HASH_SIZE}")


def _check_path(path: Sequence[bytes], expected: int, what: str) -> None:
    if len(path) != expected:
        raise InvalidProof(f"{what} has {len(path)} hashes; it must have {expected}")
    for i, value in enumerate(path):
        _check_hash(value, f"proof hash [{i}]")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root ``path`` proves leaf hash ``leaf`` at ``index`` into (RFC 9162 section 2.1.3.2).

    fn = index, sn = size - 1; for each p: if LSB(fn) or fn = sn then r = HASH(0x01||p||r) and
    shift both until LSB(fn) is set or fn is 0, else r = HASH(0x01||r||p); then shift both once.
    The proof is valid only if sn ends at 0 (its length is checked up front for a clear message).
    """
    if not 0 <= index < size:
        raise InvalidProof(f"leaf index {index} is outside a tree of size {size}")
    _check_hash(leaf, "the leaf hash")
    _check_path(path, inclusion_proof_length(index, size), f"the proof for leaf {index} of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # unreachable when the length check passed; kept as the RFC's own final test
        raise InvalidProof(f"the proof for leaf {index} of {size} does not reach the root")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> None:
    """Raise ``InvalidProof`` unless ``path`` proves leaf hash ``leaf`` at ``index`` in ``root``."""
    _check_hash(root, "the root hash")
    computed = root_from_inclusion_proof(index, size, leaf, path)
    if not hmac.compare_digest(computed, root):
        raise InvalidProof(
            f"the inclusion proof for leaf {index} leads to root {computed.hex()}, "
            f"not to the expected root {root.hex()} of size {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ``InvalidProof`` unless ``proof`` shows D[old_size] is a prefix of D[new_size].

    Trivial cases first (old = new: same root, empty proof; old = 0: empty proof), then the
    algorithm of RFC 9162 section 2.1.4.2 in ``_consistency_roots``.
    """
    if not 0 <= old_size <= new_size:
        raise InvalidProof(f"the old size {old_size} is not in 0..{new_size} (the new size)")
    _check_hash(old_root, "the old root hash")
    _check_hash(new_root, "the new root hash")
    if old_size in (0, new_size):
        if proof:
            raise InvalidProof(f"a consistency proof from {old_size} to {new_size} must be empty")
        if old_size == new_size and not hmac.compare_digest(old_root, new_root):
            raise InvalidProof(f"two different roots for the same size {old_size}")
        return
    expected = consistency_proof_length(old_size, new_size)
    _check_path(proof, expected, f"the consistency proof from {old_size} to {new_size}")
    fr, sr = _consistency_roots(old_size, new_size, old_root, proof)
    if not hmac.compare_digest(fr, old_root):
        raise InvalidProof(
            f"the consistency proof does not lead to the old root of size {old_size}"
        )
    if not hmac.compare_digest(sr, new_root):
        raise InvalidProof(
            f"the consistency proof does not lead to the new root of size {new_size}"
        )


def _consistency_roots(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """(fr, sr) of RFC 9162 section 2.1.4.2 for 0 < old_size < new_size.

    If first is a power of 2, prepend first_hash. fn = first - 1, sn = second - 1; shift both
    while LSB(fn); fr = sr = path[0]; for each further c: if LSB(fn) or fn = sn then
    fr = HASH(0x01||c||fr), sr = HASH(0x01||c||sr) and, if LSB(fn) is unset, shift both until
    LSB(fn) is set or fn = 0; else sr = HASH(0x01||sr||c); then shift both once. sn must end at 0.
    """
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof("the consistency proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the consistency proof is shorter than the tree is high")
    return fr, sr
