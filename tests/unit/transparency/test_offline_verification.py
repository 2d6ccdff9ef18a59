"""Offline verification with nothing but the vkey, and the audit that names the first bad leaf."""

from __future__ import annotations

import pytest

from kuznia.transparency import (
    BadSignature,
    Checkpoint,
    InvalidProof,
    TreeLevels,
    UnknownKey,
    VerificationFailed,
    audit_leaves,
    canonical_json,
    commit_secrets,
    generate_private_key,
    leaf_hash,
    sign_checkpoint,
    verifier_for,
    verify_checkpoint_consistency,
    verify_record_inclusion,
)

ORIGIN = "kuznia.example/log"
KEY = generate_private_key()
VKEY = verifier_for(ORIGIN, KEY).vkey
RECORDS = [
    {"seq": i, "kind": "delivery", "contract": f"contract-{i % 7}", "units": str(10 * i)}
    for i in range(50)
]


def build(records: list[dict[str, object]]) -> TreeLevels:
    tree = TreeLevels()
    tree.append_leaves(canonical_json(r) for r in records)
    return tree


TREE = build(RECORDS)


def signed_at(size: int) -> str:
    return sign_checkpoint(Checkpoint(ORIGIN, size, TREE.root(size)), KEY)


def test_a_record_and_its_proof_verify_against_a_signed_checkpoint() -> None:
    proof = TREE.inclusion_proof(17, 40)
    checkpoint = verify_record_inclusion(VKEY, signed_at(40), RECORDS[17], 17, proof, origin=ORIGIN)
    assert checkpoint.size == 40
    assert verify_record_inclusion(VKEY, signed_at(40), canonical_json(RECORDS[17]), 17, proof)


def test_a_record_with_secret_fields_verifies_from_its_public_form() -> None:
    record = {"seq": 50, "site": "site-1", "destination": "brigade depot, exact address"}
    public, _ = commit_secrets(record, {"destination"})
    tree = build([*RECORDS, public])
    signed = sign_checkpoint(Checkpoint(ORIGIN, 51, tree.root()), KEY)
    verify_record_inclusion(VKEY, signed, public, 50, tree.inclusion_proof(50))


@pytest.mark.parametrize(
    ("record", "index", "message"),
    [
        ({**RECORDS[17], "units": "171"}, 17, "the record is not leaf 17"),
        (RECORDS[17], 18, "has 6 hashes; it must have 5|does not lead|not leaf 18"),
        (RECORDS[17], 40, "outside the checkpoint's tree of size 40"),
    ],
)
def test_an_altered_record_or_wrong_index_fails_with_a_precise_message(
    record: dict[str, object], index: int, message: str
) -> None:
    with pytest.raises(InvalidProof, match=message):
        verify_record_inclusion(VKEY, signed_at(40), record, index, TREE.inclusion_proof(17, 40))


def test_a_proof_for_another_tree_size_fails() -> None:
    with pytest.raises(InvalidProof):
        verify_record_inclusion(VKEY, signed_at(40), RECORDS[17], 17, TREE.inclusion_proof(17, 32))


def test_a_forged_or_foreign_checkpoint_fails_before_the_proof_is_looked_at() -> None:
    forged = signed_at(40).replace("\n40\n", "\n41\n")
    with pytest.raises(BadSignature):
        verify_record_inclusion(VKEY, forged, RECORDS[17], 17, TREE.inclusion_proof(17, 40))
    other_key = verifier_for(ORIGIN, generate_private_key()).vkey
    with pytest.raises(UnknownKey):
        verify_record_inclusion(other_key, signed_at(40), RECORDS[17], 17, [])


def test_two_checkpoints_of_the_same_log_are_shown_consistent() -> None:
    old, new = verify_checkpoint_consistency(
        VKEY, signed_at(13), signed_at(50), TREE.consistency_proof(13, 50)
    )
    assert (old.size, new.size) == (13, 50)


def test_a_rewritten_history_fails_the_consistency_check() -> None:
    rewritten = build([*RECORDS[:5], {"seq": 5, "kind": "forged"}, *RECORDS[6:]])
    forged_new = sign_checkpoint(Checkpoint(ORIGIN, 50, rewritten.root()), KEY)
    with pytest.raises(InvalidProof, match="does not extend itself at size 13"):
        verify_checkpoint_consistency(
            VKEY, signed_at(13), forged_new, rewritten.consistency_proof(13, 50)
        )


def test_checkpoints_given_newest_first_are_refused_with_advice() -> None:
    with pytest.raises(VerificationFailed, match="oldest first"):
        verify_checkpoint_consistency(VKEY, signed_at(50), signed_at(13), [])


def stored() -> tuple[list[bytes], list[bytes]]:
    leaves = [canonical_json(r) for r in RECORDS]
    return leaves, [leaf_hash(x) for x in leaves]


CHECKPOINTS = [Checkpoint(ORIGIN, n, TREE.root(n)) for n in (0, 10, 20, 37, 50)]


def test_an_untouched_log_passes_the_audit() -> None:
    leaves, hashes = stored()
    result = audit_leaves(leaves, stored_hashes=hashes, checkpoints=CHECKPOINTS)
    assert result.ok
    assert result.leaves_checked == 50
    assert result.root_hash == TREE.root()


def test_a_leaf_altered_behind_the_applications_back_is_named() -> None:
    leaves, hashes = stored()
    leaves[23] = canonical_json({**RECORDS[23], "units": "9999"})
    leaves[31] = canonical_json({**RECORDS[31], "units": "0"})
    result = audit_leaves(leaves, stored_hashes=hashes, checkpoints=CHECKPOINTS)
    assert not result.ok
    assert result.first_bad_leaf == 23
    assert "leaf 23 hashes to" in result.problem
    assert "the leaf was altered" in result.problem


def test_a_leaf_altered_with_its_stored_hash_is_caught_by_the_next_checkpoint() -> None:
    leaves, hashes = stored()
    leaves[23] = canonical_json({**RECORDS[23], "units": "9999"})
    hashes[23] = leaf_hash(leaves[23])
    result = audit_leaves(leaves, stored_hashes=hashes, checkpoints=CHECKPOINTS)
    assert result.bad_range == (20, 37)
    assert result.first_bad_leaf is None
    assert "a leaf in [20, 37) was altered" in result.problem


def test_a_checkpoint_for_every_size_pins_the_exact_leaf_even_without_stored_hashes() -> None:
    leaves, _ = stored()
    leaves[23] = b'{"forged":true}'
    every = [Checkpoint(ORIGIN, n, TREE.root(n)) for n in range(51)]
    assert audit_leaves(leaves, checkpoints=every).first_bad_leaf == 23


def test_deleted_leaves_are_reported() -> None:
    leaves, hashes = stored()
    result = audit_leaves(leaves[:45], stored_hashes=hashes[:45], checkpoints=CHECKPOINTS)
    assert result.bad_range == (45, 50)
    assert "leaves were deleted" in result.problem
    result = audit_leaves(leaves[:45], stored_hashes=hashes)
    assert result.first_bad_leaf == 45


def test_a_checkpoint_of_the_empty_log_must_have_the_empty_root() -> None:
    assert audit_leaves([], checkpoints=[CHECKPOINTS[0]]).ok
    wrong = Checkpoint(ORIGIN, 0, TREE.root(1))
    result = audit_leaves(stored()[0], checkpoints=[wrong])
    assert result.bad_range == (0, 0)
    assert result.leaves_checked == 0
    assert "a checkpoint of the empty log must have the empty root" in result.problem
