"""Checkpoints: signed tree heads in the C2SP tlog-checkpoint format (https://c2sp.org/tlog-checkpoint).

The body is the origin line (the log's unique name), the tree size in decimal, the root hash in
base64 and optional non-empty extension lines, each ending in a newline. It is published as a
signed note (``note.py``) whose key name is, by convention, the origin.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kuznia.errors import InvalidInput
from kuznia.transparency.errors import MalformedNote, VerificationFailed
from kuznia.transparency.merkle import HASH_SIZE
from kuznia.transparency.note import (
    NoteVerifier,
    check_note_text,
    decode_base64,
    open_note,
    parse_vkey,
    sign_note,
)

MAX_TREE_SIZE = 2**64 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head: the log's origin, its size and MTH of its leaves, and extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise InvalidInput.single("origin", "must be one non-empty line")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise InvalidInput.single("size", f"{self.size} is not a 64-bit unsigned size")
        if len(self.root_hash) != HASH_SIZE:
            raise InvalidInput.single("root_hash", f"{len(self.root_hash)} bytes, not 32")
        for i, line in enumerate(self.extensions):
            if not line or "\n" in line:
                raise InvalidInput.single(f"extensions[{i}]", "must be one non-empty line")

    def body(self) -> str:
        """The checkpoint text: origin, size, base64 root hash, extensions; newline-terminated."""
        root = base64.b64encode(self.root_hash).decode()
        return "".join(
            f"{line}\n" for line in (self.origin, str(self.size), root, *self.extensions)
        )


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body (not its signatures); ``MalformedNote`` says what is wrong."""
    check_note_text(text)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedNote("a checkpoint has an origin, a tree size and a root hash line")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise MalformedNote("the checkpoint origin line is empty")
    if not _DECIMAL.fullmatch(size_text) or int(size_text) > MAX_TREE_SIZE:
        raise MalformedNote(f"the checkpoint tree size {size_text!r} is not a decimal uint64")
    root_hash = decode_base64(root_text, "the checkpoint root hash")
    if len(root_hash) != HASH_SIZE:
        raise MalformedNote(f"the checkpoint root hash has {len(root_hash)} bytes, not 32")
    if any(not line for line in extensions):
        raise MalformedNote("a checkpoint extension line is empty")
    return Checkpoint(origin, int(size_text), root_hash, tuple(extensions))


def sign_checkpoint(
    checkpoint: Checkpoint, key: Ed25519PrivateKey, key_name: str | None = None
) -> str:
    """The checkpoint as a signed note; the key name defaults to the origin."""
    return sign_note(checkpoint.body(), key_name or checkpoint.origin, key)


def open_checkpoint(
    signed: str | bytes,
    verifiers: str | NoteVerifier | Sequence[NoteVerifier],
    origin: str | None = None,
) -> Checkpoint:
    """Verify a signed checkpoint against trusted keys (vkey strings or verifiers) and parse it.

    If ``origin`` is given the checkpoint must come from that log: a valid signature on another
    log's checkpoint proves nothing about this one.
    """
    if isinstance(verifiers, str):
        verifiers = [parse_vkey(verifiers)]
    elif isinstance(verifiers, NoteVerifier):
        verifiers = [verifiers]
    text, _ = open_note(signed, verifiers)
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint.origin != origin:
        raise VerificationFailed(
            f"the checkpoint is for log {checkpoint.origin!r}, not for {origin!r}"
        )
    return checkpoint
