"""In-memory Merkle tree storage: every level of complete subtrees, appended to in batches.

``TreeLevels`` is the reference ``HashStore``: level j keeps, 32 bytes each in one bytearray, the
hashes of the floor(n / 2^j) complete subtrees of 2^j leaves aligned at multiples of 2^j. That is
at most 2n hashes (64 bytes a leaf, 64 MB for a million leaves); appending is amortised O(1) hashes
a leaf, and any proof or past root reads O(log^2 n) of them. A database store can keep the same
levels as rows (level, index, hash), written in the transaction that appends the leaves.

``CompactRange`` keeps only the O(log n) roots of the complete subtrees covering [0, n) (the set
bits of n): enough to stream a million leaves and compare the root at each checkpoint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from kuznia.errors import InvalidInput
from kuznia.transparency import merkle
from kuznia.transparency.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    NODE_PREFIX,
    Node,
    leaf_hash,
    node_hash,
)

_NODE_HASHER = hashlib.sha256(NODE_PREFIX)


class TreeLevels:
    """Append-only in-memory ``HashStore`` with every level of complete subtree hashes."""

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]

    def size(self) -> int:
        """Number of leaves."""
        return len(self._levels[0]) // HASH_SIZE

    def get_leaf_hashes(self, start: int, end: int) -> list[bytes]:
        """Leaf hashes of leaves [start, end)."""
        if not 0 <= start <= end <= self.size():
            raise InvalidInput.single("range", f"[{start}, {end}) is not inside 0..{self.size()}")
        data = self._levels[0]
        return [
            bytes(data[i : i + HASH_SIZE])
            for i in range(start * HASH_SIZE, end * HASH_SIZE, HASH_SIZE)
        ]

    def get_subtree_hash(self, level: int, index: int) -> bytes | None:
        """Hash of the complete subtree over leaves [index * 2^level, (index + 1) * 2^level)."""
        if level >= len(self._levels) or index < 0:
            return None
        offset = index * HASH_SIZE
        data = self._levels[level]
        if offset + HASH_SIZE > len(data):
            return None
        return bytes(data[offset : offset + HASH_SIZE])

    def get_subtree_hashes(self, nodes: Sequence[Node]) -> list[bytes | None]:
        """``get_subtree_hash`` for each (level, index), in order."""
        return [self.get_subtree_hash(level, index) for level, index in nodes]

    def append_leaves(self, leaves: Iterable[bytes]) -> int:
        """Append leaves (raw data, hashed as SHA-256(0x00 || d)); return the first new index."""
        return self.append_leaf_hashes(leaf_hash(d) for d in leaves)

    def append_leaf_hashes(self, hashes: Iterable[bytes]) -> int:
        """Append leaf hashes in one batch and extend the upper levels; return the first new index.

        The batch is validated before anything changes, so a bad hash leaves the tree untouched.
        """
        batch = bytearray()
        for position, value in enumerate(hashes):
            if len(value) != HASH_SIZE:
                raise InvalidInput.single(f"hashes[{position}]", f"{len(value)} bytes, not 32")
            batch += value
        first = self.size()
        self._levels[0] += batch
        self._extend_upper_levels()
        return first

    def _extend_upper_levels(self) -> None:
        """Hash every newly completed pair at level j into level j + 1, level by level.

        A node's hash is SHA-256(0x01 || left || right) and left || right are 64 contiguous bytes
        of the level below, so each node costs one copied hasher and one update.
        """
        level = 0
        while len(self._levels[level]) >= 2 * HASH_SIZE:
            if level + 1 == len(self._levels):
                self._levels.append(bytearray())
            below = memoryview(self._levels[level])
            above = self._levels[level + 1]
            done = len(above) // HASH_SIZE
            wanted = len(below) // (2 * HASH_SIZE)
            for offset in range(done * 2 * HASH_SIZE, wanted * 2 * HASH_SIZE, 2 * HASH_SIZE):
                hasher = _NODE_HASHER.copy()
                hasher.update(below[offset : offset + 2 * HASH_SIZE])
                above += hasher.digest()
            below.release()
            level += 1

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all)."""
        return merkle.root_at(self, self.size() if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) (RFC 9162 section 2.1.3.1); size defaults to the current size."""
        return merkle.inclusion_proof(self, index, self.size() if size is None else size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) (RFC 9162 section 2.1.4.1)."""
        return merkle.consistency_proof(
            self, old_size, self.size() if new_size is None else new_size
        )

    def memory_bytes(self) -> int:
        """Bytes held by the hash levels (excluding Python object overhead, a few hundred bytes)."""
        return sum(len(level) for level in self._levels)


class CompactRange:
    """The roots of the complete subtrees covering leaves [0, n): one per set bit of n.

    Appending leaf n merges equal-sized neighbours like a binary counter carrying; the tree root
    is the right fold of the kept roots (RFC 9162 section 2.1.1 splits at the largest power of 2).
    """

    def __init__(self) -> None:
        self._size = 0
        self._roots: list[bytes] = []

    @property
    def size(self) -> int:
        return self._size

    def append_leaf_hash(self, value: bytes) -> None:
        """Add the next leaf hash."""
        if len(value) != HASH_SIZE:
            raise InvalidInput.single("leaf_hash", f"{len(value)} bytes, not 32")
        carry, size = value, self._size
        while size & 1:
            carry = node_hash(self._roots.pop(), carry)
            size >>= 1
        self._roots.append(carry)
        self._size += 1

    def root(self) -> bytes:
        """MTH(D[n]) of the leaves appended so far."""
        if not self._roots:
            return EMPTY_ROOT
        acc = self._roots[-1]
        for subtree in reversed(self._roots[:-1]):
            acc = node_hash(subtree, acc)
        return acc
