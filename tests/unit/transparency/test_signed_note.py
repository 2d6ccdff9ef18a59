"""C2SP signed notes: the Go reference vector byte for byte, key formats, and every rejection."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from kuznia.errors import InvalidInput
from kuznia.transparency import (
    BadSignature,
    MalformedNote,
    UnknownKey,
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

# golang.org/x/mod/sumdb/note, note_test.go: the PeterNeumann key pair and its signed note.
VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
SKEY_SEED = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"  # noqa: E501
PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"  # noqa: E501
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"  # noqa: E501
PETER_KEY = Ed25519PrivateKey.from_private_bytes(SKEY_SEED)


def test_signing_the_reference_text_reproduces_the_go_note_byte_for_byte() -> None:
    assert sign_note(TEXT, "PeterNeumann", PETER_KEY) == TEXT + "\n" + PETER_SIG


def test_the_verifier_key_string_and_key_id_match_the_reference() -> None:
    verifier = verifier_for("PeterNeumann", PETER_KEY)
    assert verifier.vkey == VKEY
    assert key_id("PeterNeumann", public_key_bytes(PETER_KEY)).hex() == "c74f20a3"
    assert parse_vkey(VKEY) == verifier


def test_the_reference_note_opens_with_its_key_and_ignores_an_unknown_cosigner() -> None:
    text, signatures = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [parse_vkey(VKEY)])
    assert text == TEXT
    assert [s.label for s in signatures] == ["PeterNeumann+c74f20a3"]
    _, both = open_note(
        TEXT + "\n" + PETER_SIG + ENOCH_SIG, [parse_vkey(VKEY), parse_vkey(ENOCH_VKEY)]
    )
    assert [s.name for s in both] == ["PeterNeumann", "EnochRoot"]


def test_a_note_without_a_trusted_signature_is_refused_naming_the_keys() -> None:
    with pytest.raises(
        UnknownKey, match=r"trusted: PeterNeumann\+c74f20a3; signed by: EnochRoot\+af0cfe78"
    ):
        open_note(TEXT + "\n" + ENOCH_SIG, [parse_vkey(VKEY)])


def test_a_note_with_an_altered_text_is_refused() -> None:
    with pytest.raises(BadSignature, match=r"invalid signature for key PeterNeumann\+c74f20a3"):
        open_note(
            TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG, [parse_vkey(VKEY)]
        )


def test_a_note_with_an_altered_signature_is_refused() -> None:
    forged = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises((BadSignature, MalformedNote)):
        open_note(TEXT + "\n" + forged, [parse_vkey(VKEY)])
    for position in range(len(PETER_SIG) - 30, len(PETER_SIG) - 3):
        flipped = (
            PETER_SIG[:position]
            + ("A" if PETER_SIG[position] != "A" else "B")
            + PETER_SIG[position + 1 :]
        )
        with pytest.raises((BadSignature, MalformedNote, UnknownKey)):
            open_note(TEXT + "\n" + flipped, [parse_vkey(VKEY)])


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",  # noqa: E501
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG * 101,
        TEXT
        + "\n"
        + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",  # noqa: E501
        TEXT + "\n" + "— PeterNeumann AAAA\n",
    ],
)
def test_malformed_notes_are_refused_as_malformed(message: str) -> None:
    with pytest.raises(MalformedNote):
        open_note(message, [parse_vkey(VKEY)])


def test_a_note_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(MalformedNote, match="UTF-8"):
        parse_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode())


def test_every_substring_and_every_mangled_character_of_a_vkey_is_refused() -> None:
    for i in range(len(VKEY)):
        for j in range(i + 1, len(VKEY) + 1):
            if (i, j) != (0, len(VKEY)):
                with pytest.raises(MalformedNote):
                    parse_vkey(VKEY[i:j])
    for i, char in enumerate(VKEY):
        with pytest.raises(MalformedNote):
            parse_vkey(VKEY[:i] + chr(ord(char) + 1) + VKEY[i + 1 :])


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "base64"),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "Ed25519"),
        ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 lowercase hex"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "<name>"),
    ],
)
def test_a_malformed_vkey_is_refused_saying_why(vkey: str, message: str) -> None:
    with pytest.raises(MalformedNote, match=message):
        parse_vkey(vkey)


def test_a_generated_key_signs_notes_that_verify_only_with_its_own_vkey() -> None:
    key, other = generate_private_key(), generate_private_key()
    note = sign_note("kuznia.example/log\n1\n", "kuznia.example/log", key)
    text, _ = open_note(note, [verifier_for("kuznia.example/log", key)])
    assert text == "kuznia.example/log\n1\n"
    with pytest.raises(UnknownKey):
        open_note(note, [verifier_for("kuznia.example/log", other)])


@pytest.mark.parametrize("text", ["", "no final newline", "tab\there\n"])
def test_text_that_cannot_be_a_note_is_not_signed(text: str) -> None:
    with pytest.raises(MalformedNote):
        sign_note(text, "name", PETER_KEY)


@pytest.mark.parametrize("name", ["", "a+b", "a b", "a\u2003b"])
def test_a_key_name_with_spaces_or_plus_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="key_name"):
        verifier_for(name, PETER_KEY)


@pytest.mark.parametrize("passphrase", [None, b"correct horse battery staple"])
def test_a_private_key_round_trips_through_pkcs8_pem(passphrase: bytes | None) -> None:
    pem = private_key_to_pem(PETER_KEY, passphrase)
    assert pem.startswith(
        b"-----BEGIN " + (b"ENCRYPTED " if passphrase else b"") + b"PRIVATE KEY-----"
    )
    loaded = private_key_from_pem(pem, passphrase)
    assert public_key_bytes(loaded) == public_key_bytes(PETER_KEY)


def test_a_pem_with_a_wrong_passphrase_or_another_key_type_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(InvalidInput, match="cannot load"):
        private_key_from_pem(private_key_to_pem(PETER_KEY, b"right"), b"wrong")
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(InvalidInput, match="not an Ed25519 key"):
        private_key_from_pem(ec_pem)


note_lines = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n", min_codepoint=0x20),
    min_size=1,
    max_size=30,
)


@given(st.lists(note_lines, min_size=1, max_size=5))
def test_any_valid_text_round_trips_through_sign_and_open(lines: list[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    opened, signatures = open_note(sign_note(text, "PeterNeumann", PETER_KEY), [parse_vkey(VKEY)])
    assert opened == text
    assert [s.label for s in signatures] == ["PeterNeumann+c74f20a3"]
