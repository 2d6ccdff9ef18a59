"""Signed checkpoints of the transparency log, the signing key, and proofs of single records.

The key signs C2SP checkpoints (signed notes) naming the log by its origin; auditors need only
the public key (the vkey printed by ``kuznia log vkey``) to check them offline. It comes from
``KUZNIA_LOG_KEY_FILE`` (PKCS #8 PEM, optionally encrypted with ``KUZNIA_LOG_KEY_PASSPHRASE``);
outside production a development key is generated once, with a loud warning. The private key is
never logged or printed.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerCheckpoint
from kuznia.errors import Conflict, Forbidden, KuzniaError, NotFound
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.transparency.log import LeafView, leaf_at, leaves_of
from kuznia.services.transparency.store import encode_proof, inclusion, log_size, root_hash
from kuznia.settings import Environment, EnvSettings, Settings
from kuznia.transparency import (
    Checkpoint,
    NoteVerifier,
    generate_private_key,
    open_checkpoint,
    private_key_from_pem,
    private_key_to_pem,
    sign_checkpoint,
    verifier_for,
)

DEVELOPMENT_ORIGIN = "kuznia.invalid/development-log"
DEVELOPMENT_KEY_FILE = Path("var") / "transparency-log-key.pem"
logger = logging.getLogger(__name__)


class LogSettings(EnvSettings):
    """The log's settings, from ``KUZNIA_LOG_*`` variables (key file, its passphrase, origin)."""

    ENV_PREFIX: ClassVar[str] = "KUZNIA_LOG_"

    key_file: Path | None = None
    key_passphrase: SecretStr | None = None
    origin: str = DEVELOPMENT_ORIGIN


@dataclass(frozen=True)
class LogSigner:
    """The log's name (checkpoint origin and key name) and its private key (never printed)."""

    origin: str
    key: Ed25519PrivateKey = field(repr=False)

    @property
    def verifier(self) -> NoteVerifier:
        return verifier_for(self.origin, self.key)


def load_signer(settings: Settings, log: LogSettings | None = None) -> LogSigner:
    """The signing key from the key file; outside production, a generated development key."""
    log = log or LogSettings()
    production = settings.environment is Environment.PRODUCTION
    if production and (log.key_file is None or log.origin == DEVELOPMENT_ORIGIN):
        raise KuzniaError("set KUZNIA_LOG_KEY_FILE and KUZNIA_LOG_ORIGIN in production")
    path = log.key_file or DEVELOPMENT_KEY_FILE
    passphrase = log.key_passphrase.get_secret_value().encode() if log.key_passphrase else None
    if log.key_file is None and not path.exists():
        _write_development_key(path, log.origin)
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise KuzniaError(f"cannot read the log signing key {path}: {error.strerror}") from None
    return LogSigner(log.origin, private_key_from_pem(pem, passphrase))


def existing_verifier(settings: Settings, log: LogSettings | None = None) -> NoteVerifier | None:
    """The public key of the configured signing key, or of the development key if one was
    generated here before; None if there is none (this never creates a key)."""
    log = log or LogSettings()
    path = log.key_file or DEVELOPMENT_KEY_FILE
    if log.key_file is None and not path.exists():
        return None
    return load_signer(settings, log).verifier


def _write_development_key(path: Path, origin: str) -> None:
    key = generate_private_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_key_to_pem(key))
    logger.warning(
        "generated a DEVELOPMENT signing key for the transparency log at %s (public key %s); "
        "never use it in production: set KUZNIA_LOG_KEY_FILE and KUZNIA_LOG_ORIGIN",
        path,
        verifier_for(origin, key).vkey,
    )


def create_checkpoint(session: Session, actor: Actor, signer: LogSigner) -> LedgerCheckpoint:
    """Sign the current tree head and store it; the coordinator publishes checkpoints."""
    if actor.role is not Role.COORDINATOR:
        raise Forbidden("only the coordinator signs checkpoints of the log")
    size = log_size(session)
    checkpoint = Checkpoint(signer.origin, size, root_hash(session, size))
    row = LedgerCheckpoint(
        origin=signer.origin,
        size=size,
        root_hash=checkpoint.root_hash,
        note=sign_checkpoint(checkpoint, signer.key),
    )
    session.add(row)
    session.flush()
    return row


class NoCheckpoint(NotFound, Conflict):
    """No checkpoint was ever signed: not found (HTTP 404), and a ``Conflict`` as well for
    callers that catch "no checkpoint covers it yet" and "none at all" alike."""


def latest_checkpoint(session: Session, covering: int = 0) -> LedgerCheckpoint:
    """The newest checkpoint of a tree with more than ``covering`` leaves.

    ``NoCheckpoint`` when none was ever signed; ``Conflict`` when none covers that leaf yet.
    """
    row = session.scalars(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.size > covering)
        .order_by(LedgerCheckpoint.size.desc(), LedgerCheckpoint.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return row
    hint = "sign one (`kuznia log checkpoint`)"
    if session.scalar(select(LedgerCheckpoint.id).limit(1)) is None:
        raise NoCheckpoint(f"no checkpoint has been signed yet: {hint}")
    raise Conflict(f"no checkpoint covers leaf {covering} yet: {hint}")


def stored_checkpoints(session: Session) -> list[LedgerCheckpoint]:
    return list(session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.id)))


def verified_checkpoints(session: Session, verifier: NoteVerifier) -> list[Checkpoint]:
    """Every stored checkpoint, its signature checked with the log's public key."""
    return [
        open_checkpoint(row.note, verifier, verifier.name) for row in stored_checkpoints(session)
    ]


@dataclass(frozen=True, slots=True)
class RecordProof:
    """What ``kuznia verify`` needs for one leaf: the leaf (its content withheld from a reader
    who may not read the record: its hash still proves it), a signed checkpoint and the path."""

    leaf: LeafView
    checkpoint: str
    tree_size: int
    hashes: list[bytes]

    def proof_document(self) -> dict[str, Any]:
        return {
            "index": self.leaf.seq,
            "tree_size": self.tree_size,
            "hashes": encode_proof(self.hashes),
        }


def prove_leaf(session: Session, actor: Actor, seq: int) -> RecordProof:
    """Leaf ``seq`` with its inclusion proof in the newest checkpoint that holds it (anyone may
    have the proof; the leaf's content only who may read its record)."""
    leaf = leaf_at(session, actor, seq)
    checkpoint = latest_checkpoint(session, covering=seq)
    return RecordProof(
        leaf, checkpoint.note, checkpoint.size, inclusion(session, seq, checkpoint.size)
    )


def prove_record(session: Session, actor: Actor, entity: str, record_id: str) -> RecordProof:
    """The newest leaf of a record, proven against the newest checkpoint (404 for a reader who
    may not read the record)."""
    return prove_leaf(session, actor, leaves_of(session, actor, entity, record_id)[-1].seq)
