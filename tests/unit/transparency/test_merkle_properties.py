"""Properties: the store-based algorithms equal RFC 9162's recursive definitions, and verify.

The reference functions below transcribe RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1 literally
(lists sliced and recursed on), so any shortcut in ``merkle``/``tree`` is checked against the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuznia.errors import InvalidInput
from kuznia.transparency import (
    EMPTY_ROOT,
    CompactRange,
    InvalidProof,
    TreeLevels,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_at,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from kuznia.transparency.merkle import (
    consistency_proof_length,
    inclusion_proof_length,
    range_nodes,
)

MAX_SIZE = 300


def k_for(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: Sequence[bytes]) -> bytes:
    """MTH(D[n]) (RFC 9162 section 2.1.1)."""
    if not d:
        return EMPTY_ROOT
    if len(d) == 1:
        return leaf_hash(d[0])
    k = k_for(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 section 2.1.3.1)."""
    if len(d) == 1:
        return []
    k = k_for(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: Sequence[bytes], *, b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) (RFC 9162 section 2.1.4.1)."""
    if m == len(d):
        return [] if b else [mth(d)]
    k = k_for(len(d))
    if m <= k:
        return [*subproof(m, d[:k], b=b), mth(d[k:])]
    return [*subproof(m - k, d[k:], b=False), mth(d[:k])]


@cache
def leaves() -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(MAX_SIZE)]


@cache
def tree() -> TreeLevels:
    levels = TreeLevels()
    levels.append_leaves(leaves())
    return levels


class LeafHashesOnly:
    """A HashStore that keeps no subtree hashes, to exercise the fallback a DB store may use."""

    def __init__(self, hashes: list[bytes]) -> None:
        self._hashes = hashes
        self.subtree_reads = 0

    def size(self) -> int:
        return len(self._hashes)

    def get_leaf_hashes(self, start: int, end: int) -> list[bytes]:
        return self._hashes[start:end]

    def get_subtree_hashes(self, nodes: Sequence[tuple[int, int]]) -> list[bytes | None]:
        self.subtree_reads += 1
        return [None] * len(nodes)


@st.composite
def index_and_size(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(0, size - 1)), size


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(1, new)), new


@given(st.integers(0, MAX_SIZE))
def test_the_root_of_every_size_equals_the_recursive_definition(size: int) -> None:
    expected = mth(leaves()[:size])
    assert tree().root(size) == expected
    assert root_from_leaf_hashes([leaf_hash(x) for x in leaves()[:size]]) == expected


@given(index_and_size())
def test_every_inclusion_proof_equals_path_and_verifies(case: tuple[int, int]) -> None:
    index, size = case
    proof = tree().inclusion_proof(index, size)
    assert proof == path(index, leaves()[:size])
    assert len(proof) == inclusion_proof_length(index, size)
    verify_inclusion(index, size, leaf_hash(leaves()[index]), proof, tree().root(size))


@given(two_sizes())
def test_every_consistency_proof_equals_proof_and_verifies(case: tuple[int, int]) -> None:
    old, new = case
    proof = tree().consistency_proof(old, new)
    assert proof == subproof(old, leaves()[:new], b=True)
    if old < new:
        assert len(proof) == consistency_proof_length(old, new)
    verify_consistency(old, new, tree().root(old), tree().root(new), proof)


@given(index_and_size(), st.integers(0, MAX_SIZE - 1))
def test_an_inclusion_proof_rejects_any_other_leaf(case: tuple[int, int], other: int) -> None:
    index, size = case
    proof = tree().inclusion_proof(index, size)
    if leaves()[other] != leaves()[index]:
        with pytest.raises(InvalidProof):
            verify_inclusion(index, size, leaf_hash(leaves()[other]), proof, tree().root(size))


@given(two_sizes(), st.integers(0, MAX_SIZE - 1))
def test_a_consistency_proof_rejects_a_log_with_one_leaf_rewritten(
    case: tuple[int, int], changed: int
) -> None:
    old, new = case
    rewritten = list(leaves()[:new])
    rewritten[changed % new] = b"rewritten"
    forged = TreeLevels()
    forged.append_leaves(rewritten)
    if old < new and changed % new < old:
        with pytest.raises(InvalidProof):
            verify_consistency(
                old, new, tree().root(old), forged.root(), forged.consistency_proof(old, new)
            )


@given(two_sizes())
def test_a_store_without_subtree_hashes_gives_the_same_proofs(case: tuple[int, int]) -> None:
    old, new = case
    store = LeafHashesOnly([leaf_hash(x) for x in leaves()])
    assert root_at(store, new) == tree().root(new)
    assert inclusion_proof(store, old - 1, new) == tree().inclusion_proof(old - 1, new)
    assert consistency_proof(store, old, new) == tree().consistency_proof(old, new)


@given(st.lists(st.integers(0, 40), max_size=12))
def test_appending_in_any_batches_builds_the_same_levels(batches: list[int]) -> None:
    total = min(sum(batches), MAX_SIZE)
    batched = TreeLevels()
    start = 0
    for count in batches:
        end = min(start + count, total)
        assert batched.append_leaves(leaves()[start:end]) == start
        start = end
    for level in range(total.bit_length()):
        for index in range(total >> level):
            assert batched.get_subtree_hash(level, index) == tree().get_subtree_hash(level, index)
    assert batched.root() == tree().root(total)


@given(st.integers(0, MAX_SIZE))
def test_a_compact_range_has_the_root_of_the_full_tree(size: int) -> None:
    compact = CompactRange()
    for data in leaves()[:size]:
        compact.append_leaf_hash(leaf_hash(data))
    assert compact.size == size
    assert compact.root() == tree().root(size)


def test_proofs_beyond_the_log_size_are_refused() -> None:
    with pytest.raises(InvalidInput, match="tree_size"):
        tree().inclusion_proof(0, MAX_SIZE + 1)
    with pytest.raises(InvalidInput, match="leaf_index"):
        tree().inclusion_proof(5, 5)
    with pytest.raises(InvalidInput, match="old_size"):
        tree().consistency_proof(6, 5)


def test_a_batch_with_a_malformed_hash_leaves_the_tree_untouched() -> None:
    levels = TreeLevels()
    levels.append_leaves([b"a", b"b", b"c"])
    with pytest.raises(InvalidInput, match=r"hashes\[1\]"):
        levels.append_leaf_hashes([leaf_hash(b"d"), b"short"])
    assert levels.size() == 3
    assert levels.root() == mth([b"a", b"b", b"c"])


def test_a_proof_reads_all_its_subtree_hashes_from_the_store_in_one_batch() -> None:
    store = LeafHashesOnly([leaf_hash(x) for x in leaves()])
    inclusion_proof(store, 123, 299)
    assert store.subtree_reads == 1
    consistency_proof(store, 77, 299)
    assert store.subtree_reads == 2


@pytest.mark.parametrize(("start", "end"), [(1, 3), (2, 5), (4, 9), (-1, 0), (5, 4)])
def test_a_range_that_is_not_a_node_of_the_tree_is_refused(start: int, end: int) -> None:
    with pytest.raises(InvalidInput, match="not a node"):
        range_nodes(start, end)


def test_a_node_is_the_fold_of_the_complete_subtrees_of_its_size_bits() -> None:
    assert range_nodes(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert range_nodes(8, 11) == [(1, 4), (0, 10)]
    assert range_nodes(0, 0) == []
