"""C2SP tlog checkpoints: the body format, signing and opening, and refused bodies."""

from __future__ import annotations

import base64

import pytest

from kuznia.errors import InvalidInput
from kuznia.transparency import (
    EMPTY_ROOT,
    BadSignature,
    Checkpoint,
    MalformedNote,
    UnknownKey,
    VerificationFailed,
    generate_private_key,
    leaf_hash,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
    verifier_for,
)

ORIGIN = "kuznia.example/log"
ROOT = leaf_hash(b"root")
ROOT64 = base64.b64encode(ROOT).decode()
KEY = generate_private_key()
VKEY = verifier_for(ORIGIN, KEY).vkey


def test_a_checkpoint_body_is_origin_size_and_base64_root_each_on_a_line() -> None:
    checkpoint = Checkpoint(ORIGIN, 1234, ROOT)
    assert checkpoint.body() == f"{ORIGIN}\n1234\n{ROOT64}\n"
    assert parse_checkpoint(checkpoint.body()) == checkpoint


def test_extension_lines_follow_the_root_and_survive_a_round_trip() -> None:
    checkpoint = Checkpoint(ORIGIN, 7, ROOT, ("Timestamp: 1700000000", "extra"))
    assert checkpoint.body().endswith(f"{ROOT64}\nTimestamp: 1700000000\nextra\n")
    assert parse_checkpoint(checkpoint.body()) == checkpoint


def test_the_empty_log_has_a_checkpoint_too() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 0, EMPTY_ROOT), KEY)
    assert open_checkpoint(signed, VKEY) == Checkpoint(ORIGIN, 0, EMPTY_ROOT)


def test_a_signed_checkpoint_opens_with_the_vkey_and_is_a_signed_note() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 8, ROOT), KEY)
    body, signature = signed.split("\n\n")
    assert body + "\n" == f"{ORIGIN}\n8\n{ROOT64}\n"
    assert signature.startswith(f"\u2014 {ORIGIN} ")
    assert open_checkpoint(signed, VKEY, origin=ORIGIN) == Checkpoint(ORIGIN, 8, ROOT)


def test_a_checkpoint_with_a_changed_size_or_root_is_refused() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 8, ROOT), KEY)
    with pytest.raises(BadSignature):
        open_checkpoint(signed.replace("\n8\n", "\n9\n", 1), VKEY)
    other_root = base64.b64encode(leaf_hash(b"other")).decode()
    with pytest.raises(BadSignature):
        open_checkpoint(signed.replace(ROOT64, other_root), VKEY)


def test_a_checkpoint_signed_by_another_key_or_for_another_log_is_refused() -> None:
    stranger = sign_checkpoint(Checkpoint(ORIGIN, 8, ROOT), generate_private_key())
    with pytest.raises(UnknownKey):
        open_checkpoint(stranger, VKEY)
    with pytest.raises(VerificationFailed, match=r"not for 'kuznia\.example/other'"):
        open_checkpoint(
            sign_checkpoint(Checkpoint(ORIGIN, 8, ROOT), KEY), VKEY, origin="kuznia.example/other"
        )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"{ORIGIN}\n8\n", "origin, a tree size and a root hash"),
        (f"\n8\n{ROOT64}\n", "origin line is empty"),
        (f"{ORIGIN}\n08\n{ROOT64}\n", "not a decimal uint64"),
        (f"{ORIGIN}\n-1\n{ROOT64}\n", "not a decimal uint64"),
        (f"{ORIGIN}\n18446744073709551616\n{ROOT64}\n", "not a decimal uint64"),
        (f"{ORIGIN}\n8\n{ROOT64[:-4]}\n", "root hash has 30 bytes"),
        (f"{ORIGIN}\n8\nnot base64!\n", "not valid base64"),
        (f"{ORIGIN}\n8\n{ROOT64}\n\nextension\n", "extension line is empty"),
        (f"{ORIGIN}\n8\n{ROOT64}", "must end with a newline"),
    ],
)
def test_a_malformed_checkpoint_body_is_refused_saying_why(body: str, message: str) -> None:
    with pytest.raises(MalformedNote, match=message):
        parse_checkpoint(body)


def test_a_checkpoint_that_cannot_be_written_is_not_built() -> None:
    with pytest.raises(InvalidInput, match="root_hash"):
        Checkpoint(ORIGIN, 1, b"short")
    with pytest.raises(InvalidInput, match="size"):
        Checkpoint(ORIGIN, -1, ROOT)
    with pytest.raises(InvalidInput, match="origin"):
        Checkpoint("two\nlines", 1, ROOT)
    with pytest.raises(InvalidInput, match="extensions"):
        Checkpoint(ORIGIN, 1, ROOT, ("",))
