"""C2SP signed notes with Ed25519 keys (https://c2sp.org/signed-note), and key handling.

A signed note is a text ending in a newline, a blank line, then signature lines
``— <key name> <base64(key ID || signature)>`` (U+2014 em dash, space). The signature covers the
text including its final newline. The key ID is SHA-256(key name || 0x0A || 0x01 || public key)
truncated to 4 bytes, 0x01 being the Ed25519 signature type. A verifier key is distributed as
``<name>+<hex key ID>+<base64(0x01 || public key)>`` (the "vkey"); this is the only thing an
auditor needs to check checkpoints offline. Output is byte-identical to Go's sumdb/note.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kuznia.errors import InvalidInput
from kuznia.transparency.errors import BadSignature, MalformedNote, UnknownKey

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "
MAX_SIGNATURES = 100
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


def is_valid_key_name(name: str) -> bool:
    """Non-empty, no Unicode space and no '+' (C2SP signed-note, "Signatures")."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, public_key: bytes) -> bytes:
    """First 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def decode_base64(text: str, what: str) -> bytes:
    """Strict standard base64 (RFC 4648 section 4); non-canonical encodings are refused."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedNote(f"{what} is not valid base64") from None
    if base64.b64encode(raw).decode() != text:
        raise MalformedNote(f"{what} is not canonical base64")
    return raw


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    """A trusted public key: its name, 4-byte key ID and raw 32-byte Ed25519 public key."""

    name: str
    key_id: bytes
    public_key: bytes

    @property
    def vkey(self) -> str:
        """``<name>+<hex key ID>+<base64(0x01 || public key)>``."""
        encoded = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True if ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def parse_vkey(vkey: str) -> NoteVerifier:
    """Parse ``<name>+<hex key ID>+<base64(0x01 || key)>``, checking the key ID matches the key."""
    name, sep, rest = vkey.partition("+")
    hex_id, sep2, encoded = rest.partition("+")
    if not sep or not sep2 or not is_valid_key_name(name):
        raise MalformedNote(f"verifier key {vkey!r} is not <name>+<key id>+<key>")
    if not _KEY_ID.fullmatch(hex_id):
        raise MalformedNote(
            f"verifier key {name!r}: key id {hex_id!r} is not 8 lowercase hex digits"
        )
    raw = decode_base64(encoded, f"verifier key {name!r}")
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise MalformedNote(f"verifier key {name!r} is not an Ed25519 key (0x01 + 32 bytes)")
    public_key = raw[1:]
    if key_id(name, public_key) != bytes.fromhex(hex_id):
        raise MalformedNote(f"verifier key {name!r}: key id {hex_id} does not match the key")
    return NoteVerifier(name, bytes.fromhex(hex_id), public_key)


def generate_private_key() -> Ed25519PrivateKey:
    """A new Ed25519 signing key from the operating system's CSPRNG."""
    return Ed25519PrivateKey.generate()


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32-byte Ed25519 public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def verifier_for(name: str, key: Ed25519PrivateKey | Ed25519PublicKey) -> NoteVerifier:
    """The verifier (and so the vkey string) for a key under a name."""
    if not is_valid_key_name(name):
        raise InvalidInput.single("key_name", f"{name!r} is empty or holds a space or '+'")
    raw = public_key_bytes(key)
    return NoteVerifier(name, key_id(name, raw), raw)


def private_key_to_pem(key: Ed25519PrivateKey, passphrase: bytes | None = None) -> bytes:
    """PKCS #8 PEM, encrypted with the best available scheme when a passphrase is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def private_key_from_pem(pem: bytes, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Load a PKCS #8 PEM Ed25519 private key; refuse other key types and bad passphrases."""
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (ValueError, TypeError) as error:
        raise InvalidInput.single("private_key", f"cannot load the PEM key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput.single("private_key", f"{type(key).__name__} is not an Ed25519 key")
    return key


def check_note_text(text: str) -> None:
    """Note text: non-empty, ends in a newline, no ASCII control characters except newline."""
    if not text.endswith("\n"):
        raise MalformedNote("the note text must end with a newline")
    if _CONTROL.search(text):
        raise MalformedNote("the note text holds an ASCII control character other than newline")


def sign_note(text: str, name: str, key: Ed25519PrivateKey) -> str:
    """The signed note: ``text``, a blank line and ``— name base64(key ID || signature)``."""
    check_note_text(text)
    verifier = verifier_for(name, key)
    signature = key.sign(text.encode("utf-8"))
    encoded = base64.b64encode(verifier.key_id + signature).decode()
    return f"{text}\n{SIGNATURE_PREFIX}{name} {encoded}\n"


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: key name, key ID and the signature bytes."""

    name: str
    key_id: bytes
    signature: bytes

    @property
    def label(self) -> str:
        """``name+hexkeyid``, how keys are named in messages (as Go's note package does)."""
        return f"{self.name}+{self.key_id.hex()}"


def _parse_signature_line(line: str, number: int) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise MalformedNote(f"signature line {number} does not start with '— ' (U+2014, space)")
    name, sep, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not sep or not is_valid_key_name(name) or " " in encoded:
        raise MalformedNote(f"signature line {number} is not '— <key name> <base64>'")
    raw = decode_base64(encoded, f"signature line {number}")
    if len(raw) < 5:
        raise MalformedNote(f"signature line {number} is too short for a key id and signature")
    return NoteSignature(name, raw[:4], raw[4:])


def parse_note(note: str | bytes) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its text and signatures, checking syntax only (no crypto).

    The text ends at the last blank line: signature lines are never empty.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNote("the signed note is not valid UTF-8") from None
    if _CONTROL.search(note):
        raise MalformedNote("the signed note holds an ASCII control character other than newline")
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise MalformedNote("the signed note has no blank line followed by signature lines")
    text, block = note[: split + 1], note[split + 2 : -1]
    lines = block.split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote(f"the note has {len(lines)} signatures; at most {MAX_SIGNATURES}")
    return text, [_parse_signature_line(line, i + 1) for i, line in enumerate(lines)]


def open_note(
    note: str | bytes, verifiers: Iterable[NoteVerifier]
) -> tuple[str, list[NoteSignature]]:
    """Verify a note; return its text and the signatures made by ``verifiers``.

    Signatures by unknown keys are ignored (C2SP: a note may be co-signed by witnesses), but one
    by a known key that fails rejects the note, and so does a note with no known signature.
    """
    text, signatures = parse_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    message = text.encode("utf-8")
    verified: list[NoteSignature] = []
    for signature in signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None or signature in verified:
            continue
        if not verifier.verify(message, signature.signature):
            raise BadSignature(f"invalid signature for key {signature.label}")
        verified.append(signature)
    if not verified:
        raise UnknownKey(_no_known_signature(signatures, known.values()))
    return text, verified


def _no_known_signature(signatures: Sequence[NoteSignature], known: Iterable[NoteVerifier]) -> str:
    found = ", ".join(s.label for s in signatures)
    trusted = ", ".join(f"{v.name}+{v.key_id.hex()}" for v in known) or "none"
    return f"no signature by a trusted key (trusted: {trusted}; signed by: {found})"
