"""``kuznia log ...`` (checkpoints, proofs, export, audit) and the offline ``kuznia verify``.

They print plain text (``typer.echo``): rich is imported only to report an error, so a command
that reads the log loads no more than the log, the database and its key."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuznia.cli.common import MARKUP, LightGroup, state
from kuznia.errors import InvalidInput

# The log, the database and the key are imported by the command that runs: `--help` needs none.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kuznia.services.kernel.actors import Actor
    from kuznia.services.transparency import log
    from kuznia.services.transparency.checkpoints import RecordProof
    from kuznia.transparency import Checkpoint, NoteVerifier

log_app = typer.Typer(
    help="The transparency log: signed checkpoints, proofs, export and audit.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


def _operator() -> Actor:
    from kuznia.services.kernel.actors import Actor

    return Actor.system("cli")


def _public() -> Actor:
    from kuznia.services.kernel.actors import Actor, Role

    return Actor(role=Role.PUBLIC, label="public")


@log_app.command("vkey")
def vkey_command(ctx: typer.Context) -> None:
    """Print the log's public verifier key: all an auditor needs for `kuznia verify`.

    Example: kuznia log vkey > log.vkey
    """
    from kuznia.services.transparency.checkpoints import load_signer

    typer.echo(load_signer(state(ctx).settings).verifier.vkey)


@log_app.command("checkpoint")
def checkpoint_command(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Also write the signed checkpoint here.")] = None,
) -> None:
    """Sign the current tree head (size and root hash) and store it; print the signed note.

    Example: kuznia log checkpoint --out checkpoint.txt
    """
    from kuznia.services.transparency.checkpoints import create_checkpoint, load_signer

    signer = load_signer(state(ctx).settings)
    with state(ctx).database().transaction() as session:
        row = create_checkpoint(session, _operator(), signer)
    if out is not None:
        out.write_text(row.note, encoding="utf-8")
    typer.echo(row.note, nl=False)


def _parse_record(record: str) -> tuple[str, str]:
    entity, sep, record_id = record.partition("/")
    if not sep or not entity or not record_id:
        raise InvalidInput.single(
            "--record", f"expected ENTITY/ID (e.g. sites/site-1), got {record!r}"
        )
    return entity, record_id


def write_proof_files(proof: RecordProof, out: Path) -> tuple[Path, Path, Path]:
    """checkpoint.txt (signed note), leaf.json (the leaf's exact bytes), proof.json."""
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / "checkpoint.txt", out / "leaf.json", out / "proof.json")
    paths[0].write_text(proof.checkpoint, encoding="utf-8")
    if proof.leaf.leaf is None:  # withheld from this reader: its hash is what the tree holds
        raise InvalidInput.single("--record", "you may not read this leaf's content")
    paths[1].write_bytes(proof.leaf.leaf)
    paths[2].write_text(json.dumps(proof.proof_document(), indent=2) + "\n", encoding="utf-8")
    return paths


@log_app.command("proof")
def proof_command(
    ctx: typer.Context,
    record: Annotated[
        str | None, typer.Option(help="ENTITY/ID: the record's newest leaf, e.g. sites/site-1.")
    ] = None,
    seq: Annotated[int | None, typer.Option(min=0, help="Or a leaf by its index.")] = None,
    out: Annotated[Path, typer.Option(help="Directory for the three files.")] = Path("proof"),
) -> None:
    """Write a leaf, its inclusion proof and the newest checkpoint holding it, for `kuznia verify`.

    Example: kuznia log proof --record contracts/contract-1 --out proof/
    """
    from kuznia.services.transparency.checkpoints import prove_leaf, prove_record

    if (record is None) == (seq is None):
        raise InvalidInput.single("--record", "give exactly one of --record ENTITY/ID and --seq N")
    with state(ctx).database().reading() as session:
        if record is not None:
            proof = prove_record(session, _operator(), *_parse_record(record))
        else:
            proof = prove_leaf(session, _operator(), int(seq or 0))
    checkpoint, leaf, proof_path = write_proof_files(proof, out)
    typer.echo(
        f"leaf {proof.leaf.seq} ({proof.leaf.entity}/{proof.leaf.record_id}) in a tree of "
        f"{proof.tree_size}: wrote {checkpoint}, {leaf}, {proof_path}\n"
        f"check it: kuznia verify --key VKEY --checkpoint {checkpoint} --leaf {leaf} "
        f"--proof {proof_path}",
    )


@log_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="JSON Lines file to write.")] = Path("log.jsonl"),
    public: Annotated[
        bool, typer.Option(help="Only what anyone may receive: hashes, no leaf content.")
    ] = False,
) -> None:
    """Export every leaf and checkpoint as JSON Lines: secrets stay committed.

    Lines are {"type": "leaf", "seq", "leaf_hash" (hex), "leaf" (the exact canonical JSON text,
    left out with --public)} and {"type": "checkpoint", "note"}. The hashes alone reproduce
    every checkpoint's root. Example: kuznia log export --out log.jsonl
    """
    from kuznia.services.access.policy import Viewer
    from kuznia.services.transparency import log, store
    from kuznia.services.transparency.checkpoints import stored_checkpoints

    count = 0
    reader = _public() if public else _operator()
    with state(ctx).database().reading() as session, out.open("w", encoding="utf-8") as file:
        viewer = Viewer.of(session, reader)
        size = store.log_size(session)
        for start in range(0, size, store.CHUNK):
            chunk = list(store.iter_leaves(session, start, min(size, start + store.CHUNK)))
            for leaf in log.views_of(viewer, chunk):
                file.write(json.dumps(_export_line(leaf), ensure_ascii=False) + "\n")
                count += 1
        for row in stored_checkpoints(session):
            file.write(json.dumps({"type": "checkpoint", "note": row.note}) + "\n")
    typer.echo(f"wrote {count} leaves to {out}")


def _export_line(leaf: log.LeafView) -> dict[str, Any]:
    line: dict[str, Any] = {"type": "leaf", "seq": leaf.seq, "leaf_hash": leaf.leaf_hash.hex()}
    if leaf.leaf is not None:
        line["leaf"] = leaf.leaf.decode()
    return line


def _audit_verifier(ctx: typer.Context, key: str | None) -> NoteVerifier | None:
    """The public key to check checkpoint signatures with: ``--key``, else the configured
    signing key if it exists (never a new one), else None."""
    from kuznia.services.transparency.checkpoints import existing_verifier
    from kuznia.transparency import parse_vkey

    if key is not None:
        return parse_vkey(_read_text(Path(key), "--key").strip() if Path(key).is_file() else key)
    return existing_verifier(state(ctx).settings)


def _unverified(session: Session) -> list[Checkpoint]:
    """The stored checkpoints' sizes and roots, their signatures not checked."""
    from kuznia.services.transparency.checkpoints import stored_checkpoints
    from kuznia.transparency import Checkpoint

    return [
        Checkpoint(row.origin, row.size, bytes(row.root_hash))
        for row in stored_checkpoints(session)
    ]


@log_app.command("audit")
def audit_command(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Option("--key", help="The log's vkey (`kuznia log vkey`), or a file holding it."),
    ] = None,
) -> None:
    """Check that the log vouches for the database: the tree against the signed checkpoints,
    every live logged row against its last leaf, every opening against its commitment, every
    stored node against the leaves. Names each row, leaf and node that differs.

    Needs only the public key (--key, or the configured key file if there is one; none is ever
    created). Exit code 1 if anything is wrong or the signatures could not be checked.
    Example: kuznia log audit --key log.vkey
    """
    from kuznia.services.transparency import store
    from kuznia.services.transparency.checkpoints import verified_checkpoints
    from kuznia.services.transparency.live_audit import live_findings
    from kuznia.transparency import VerificationFailed

    verifier = _audit_verifier(ctx, key)
    with state(ctx).database().reading() as session:
        if verifier is not None:
            checkpoints = verified_checkpoints(session, verifier)
        else:
            checkpoints = _unverified(session)
        result = store.audit(session, checkpoints)
        findings = live_findings(session)
    if not result.ok:
        bad = result.first_bad_leaf
        where = f" First bad leaf: {bad}." if bad is not None else ""
        findings.insert(0, f"{result.problem}.{where}")
    for finding in findings:
        typer.echo(finding, err=True)
    if findings:
        raise VerificationFailed(
            f"{len(findings)} problem(s): the log does not vouch for this database"
        )
    if verifier is None:
        raise VerificationFailed(
            f"cannot verify the {len(checkpoints)} checkpoints' signatures: no public key. Pass "
            "--key with the log's vkey (`kuznia log vkey` prints it); everything else checked out"
        )
    typer.echo(
        f"ok: {result.leaves_checked} leaves, {len(checkpoints)} checkpoints signed by "
        f"{verifier.name}, every logged row, opening and node matches; root "
        f"{result.root_hash.hex()}",
    )


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput.single(what, f"cannot read {path}: {error}") from None


def _load_proof(path: Path) -> tuple[int, int, list[bytes]]:
    try:
        document: Any = json.loads(_read_text(path, "--proof"))
        hashes = [base64.b64decode(h, validate=True) for h in document["hashes"]]
        return int(document["index"]), int(document["tree_size"]), hashes
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidInput.single(
            "--proof", f'expected {{"index", "tree_size", "hashes": [base64]}}: {error}'
        ) from None


def verify_command(
    key: Annotated[str, typer.Option("--key", help="The log's vkey, or a file holding it.")],
    checkpoint: Annotated[Path, typer.Option(help="The signed checkpoint (C2SP note).")],
    leaf: Annotated[Path, typer.Option(help="The leaf's exact bytes (canonical JSON).")],
    proof: Annotated[Path, typer.Option(help='{"index", "tree_size", "hashes"} JSON.')],
) -> None:
    """Check offline, with nothing but the public key, that a record is in the signed log.

    Example: kuznia verify --key log.vkey --checkpoint proof/checkpoint.txt
             --leaf proof/leaf.json --proof proof/proof.json
    """
    from kuznia.transparency import VerificationFailed, parse_vkey, verify_record_inclusion

    vkey = _read_text(Path(key), "--key").strip() if Path(key).is_file() else key.strip()
    verifier = parse_vkey(vkey)
    index, tree_size, hashes = _load_proof(proof)
    data = leaf.read_bytes()
    verified = verify_record_inclusion(
        verifier, _read_text(checkpoint, "--checkpoint"), data, index, hashes
    )
    if verified.size != tree_size:
        raise VerificationFailed(
            f"the proof is for a tree of {tree_size} leaves, the checkpoint has {verified.size}"
        )
    _check_leaf_index(data, index)
    typer.echo(
        f"ok: the leaf is entry {index} of {verified.origin!r}, tree size {verified.size}, "
        f"signed by {verifier.name}+{verifier.key_id.hex()}",
    )


def _check_leaf_index(data: bytes, index: int) -> None:
    """kuznia leaves carry their own index: a proof for another position is refused."""
    from kuznia.transparency import VerificationFailed

    try:
        seq = json.loads(data).get("seq")
    except (ValueError, AttributeError):
        return
    if seq is not None and seq != index:
        raise VerificationFailed(f"the leaf says it is entry {seq}, the proof is for {index}")
