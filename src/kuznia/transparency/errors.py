"""Errors of the transparency core: each failed check is a ``VerificationFailed``, precisely worded.

The shell maps ``VerificationFailed`` once (to HTTP 409 and a CLI exit code); the subclasses let a
caller tell a malformed input from a forged one without parsing messages.
"""

from __future__ import annotations

from kuznia.errors import KuzniaError


class VerificationFailed(KuzniaError):
    """A proof, signature, note, checkpoint or stored leaf does not check out."""

    title = "Verification failed"


class MalformedNote(VerificationFailed):
    """A signed note, checkpoint body or verifier key is not well formed (C2SP syntax)."""

    title = "Malformed signed note"


class UnknownKey(VerificationFailed):
    """The note carries no signature by any key the verifier trusts."""

    title = "No signature by a trusted key"


class BadSignature(VerificationFailed):
    """A signature by a trusted key does not verify: the note was altered or forged."""

    title = "Invalid signature"


class InvalidProof(VerificationFailed):
    """An inclusion or consistency proof does not lead to the expected root hash."""

    title = "Invalid proof"
