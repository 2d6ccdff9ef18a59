"""The published RFC 6962 / RFC 9162 test vectors and tampered proofs that must be rejected.

Vectors: the 8-leaf reference tree of the certificate-transparency project, as published in
github.com/transparency-dev/merkle (testonly/constants.go and proof/verify_test.go). Leaf indices
there are 1-based in the proof tables; here they are 0-based.
"""

from __future__ import annotations

import pytest

from kuznia.transparency import (
    EMPTY_ROOT,
    InvalidProof,
    TreeLevels,
    leaf_hash,
    merkle_tree_hash,
    verify_consistency,
    verify_inclusion,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


LEAVES = [h(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f")]  # fmt: skip

ROOTS = [
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]
"""ROOTS[n] is MTH of the first n leaves; ROOTS[0] is the empty tree."""

NODE_HASHES = [
    [h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
     h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
     h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
     h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
     h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
     h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
     h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
     h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1")],
    [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
     h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
     h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
     h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0")],
    [h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
     h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")],
    [h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]  # fmt: skip
"""NODE_HASHES[level][index]: every complete subtree of the 8-leaf tree."""

INCLUSION = [  # (index, size, proof)
    (0, 1, []),
    (0, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]  # fmt: skip

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]  # fmt: skip

InclusionProbe = tuple[str, int, int, bytes, list[bytes], bytes]
ConsistencyProbe = tuple[str, int, int, bytes, bytes, list[bytes]]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


@pytest.fixture(scope="module")
def tree() -> TreeLevels:
    levels = TreeLevels()
    levels.append_leaves(LEAVES)
    return levels


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert ROOTS[0] == EMPTY_ROOT
    assert merkle_tree_hash([]) == ROOTS[0]
    assert TreeLevels().root() == ROOTS[0]


@pytest.mark.parametrize("size", range(9))
def test_the_root_of_each_prefix_of_the_reference_tree_matches_the_published_root(
    tree: TreeLevels, size: int
) -> None:
    assert merkle_tree_hash(LEAVES[:size]) == ROOTS[size]
    assert tree.root(size) == ROOTS[size]


def test_every_stored_subtree_hash_matches_the_published_node_hashes(tree: TreeLevels) -> None:
    for level, hashes in enumerate(NODE_HASHES):
        for index, expected in enumerate(hashes):
            assert tree.get_subtree_hash(level, index) == expected
        assert tree.get_subtree_hash(level, len(hashes)) is None


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_generated_inclusion_proofs_equal_the_published_ones_and_verify(
    tree: TreeLevels, index: int, size: int, proof: list[bytes]
) -> None:
    assert tree.inclusion_proof(index, size) == proof
    verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_generated_consistency_proofs_equal_the_published_ones_and_verify(
    tree: TreeLevels, old: int, new: int, proof: list[bytes]
) -> None:
    assert tree.consistency_proof(old, new) == proof
    verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


def flipped(value: bytes, position: int, bit: int = 0) -> bytes:
    changed = bytearray(value)
    changed[position] ^= 1 << bit
    return bytes(changed)


def with_flipped(proof: list[bytes], i: int, position: int, bit: int = 0) -> list[bytes]:
    return [*proof[:i], flipped(proof[i], position, bit), *proof[i + 1 :]]


def inclusion_tamperings(index: int, size: int, proof: list[bytes]) -> list[InclusionProbe]:
    """(description, index, size, leaf hash, proof, root) that must all be rejected.

    The probes of transparency-dev/merkle plus every byte flipped. Size + 1 is not among them:
    a proof can fit a tree one leaf larger whose last node has the same hash, which is why a
    root hash means something only together with the size it is signed with.
    """
    leaf, root = leaf_hash(LEAVES[index]), ROOTS[size]
    cases: list[InclusionProbe] = [
        ("index - 1", index - 1, size, leaf, proof, root),
        ("index + 1", index + 1, size, leaf, proof, root),
        ("index ^ 2", index ^ 2, size, leaf, proof, root),
        ("size * 2", index, size * 2, leaf, proof, root),
        ("size / 2", index, size // 2, leaf, proof, root),
        ("wrong leaf", index, size, leaf_hash(b"WrongLeaf"), proof, root),
        ("empty root", index, size, leaf, proof, EMPTY_ROOT),
        ("random root", index, size, leaf, proof, SOME_HASH),
        ("trailing garbage", index, size, leaf, [*proof, b""], root),
        ("trailing root", index, size, leaf, [*proof, root], root),
        ("preceding garbage", index, size, leaf, [b"", *proof], root),
        ("preceding root", index, size, leaf, [root, *proof], root),
    ]
    if proof:
        cases.append(("removed component", index, size, leaf, proof[:-1], root))
        cases.append(
            ("inserted component", index, size, leaf, [proof[0], SOME_HASH, *proof[1:]], root)
        )
    cases.extend(
        (f"proof[{i}] byte {byte}", index, size, leaf, with_flipped(proof, i, byte), root)
        for i in range(len(proof))
        for byte in range(32)
    )
    for byte in range(32):
        cases.append((f"leaf byte {byte}", index, size, flipped(leaf, byte, 7), proof, root))
        cases.append((f"root byte {byte}", index, size, leaf, proof, flipped(root, byte, 3)))
    return cases


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_every_tampered_inclusion_proof_is_rejected(
    index: int, size: int, proof: list[bytes]
) -> None:
    accepted = []
    for description, i, n, leaf, path, root in inclusion_tamperings(index, size, proof):
        try:
            verify_inclusion(i, n, leaf, path, root)
        except InvalidProof:
            continue
        accepted.append(description)
    assert accepted == []


def consistency_tamperings(old: int, new: int, proof: list[bytes]) -> list[ConsistencyProbe]:
    """(description, old size, new size, old root, new root, proof) that must all be rejected."""
    r1, r2 = ROOTS[old], ROOTS[new]
    cases: list[ConsistencyProbe] = [
        ("old - 1", old - 1, new, r1, r2, proof),
        ("old + 1", old + 1, new, r1, r2, proof),
        ("old ^ 2", old ^ 2, new, r1, r2, proof),
        ("new * 2", old, new * 2, r1, r2, proof),
        ("new / 2", old, new // 2, r1, r2, proof),
        ("wrong old root", old, new, SOME_HASH, r2, proof),
        ("wrong new root", old, new, r1, SOME_HASH, proof),
        ("swapped roots", old, new, r2, r1, proof),
        ("empty proof", old, new, r1, r2, []),
        ("trailing garbage", old, new, r1, r2, [*proof, b""]),
        ("trailing old root", old, new, r1, r2, [*proof, r1]),
        ("trailing new root", old, new, r1, r2, [*proof, r2]),
        ("preceding garbage", old, new, r1, r2, [b"", *proof]),
        ("preceding old root", old, new, r1, r2, [r1, *proof]),
        ("preceding new root", old, new, r1, r2, [r2, *proof]),
        ("preceding proof[0]", old, new, r1, r2, [proof[0], *proof]),
        ("truncated proof", old, new, r1, r2, proof[:-1]),
    ]
    cases.extend(
        (f"proof[{i}] byte {byte}", old, new, r1, r2, with_flipped(proof, i, byte, 4))
        for i in range(len(proof))
        for byte in range(32)
    )
    for byte in range(32):
        cases.append((f"old root byte {byte}", old, new, flipped(r1, byte), r2, proof))
        cases.append((f"new root byte {byte}", old, new, r1, flipped(r2, byte), proof))
    return cases


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[2]])
def test_every_tampered_consistency_proof_is_rejected(
    old: int, new: int, proof: list[bytes]
) -> None:
    accepted = []
    for description, m, n, r1, r2, path in consistency_tamperings(old, new, proof):
        try:
            verify_consistency(m, n, r1, r2, path)
        except InvalidProof:
            continue
        accepted.append(description)
    assert accepted == []


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_an_empty_inclusion_proof_proves_nothing_but_a_single_leaf_tree(
    index: int, size: int
) -> None:
    for leaf, root in [(SOME_HASH, b""), (b"", EMPTY_ROOT), (SOME_HASH, EMPTY_ROOT)]:
        with pytest.raises(InvalidProof):
            verify_inclusion(index, size, leaf, [], root)


def test_a_single_leaf_tree_has_the_leaf_hash_as_root_and_an_empty_proof() -> None:
    leaf = leaf_hash(b"data")
    verify_inclusion(0, 1, leaf, [], leaf)
    with pytest.raises(InvalidProof):
        verify_inclusion(0, 1, leaf, [], SOME_HASH)


A, B = leaf_hash(b"a"), leaf_hash(b"b")


@pytest.mark.parametrize(
    ("old", "new", "root1", "root2", "proof"),
    [(0, 0, A, A, []), (0, 1, A, B, []), (1, 1, B, B, []), (0, 5, EMPTY_ROOT, B, [])],
)
def test_trivial_consistency_holds_with_an_empty_proof(
    old: int, new: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> None:
    verify_consistency(old, new, root1, root2, proof)


@pytest.mark.parametrize(
    ("old", "new", "root1", "root2", "proof", "message"),
    [
        (0, 0, A, B, [], "two different roots"),
        (1, 1, A, B, [], "two different roots"),
        (1, 0, A, B, [], "old size 1 is not in 0..0"),
        (2, 1, A, B, [], "old size 2 is not in 0..1"),
        (1, 2, A, B, [], "has 0 hashes; it must have 1"),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], "must be empty"),
        (0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], "must be empty"),
        (1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], "must be empty"),
        (1, 2, b"short", B, [A], "the old root hash has 5 bytes"),
    ],
)
def test_impossible_consistency_claims_are_rejected_with_the_reason(
    old: int, new: int, root1: bytes, root2: bytes, proof: list[bytes], message: str
) -> None:
    with pytest.raises(InvalidProof, match=message):
        verify_consistency(old, new, root1, root2, proof)
