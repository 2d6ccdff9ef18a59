"""``kuznia log ...`` and the offline ``kuznia verify``, end to end on both engines."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from kuznia.cli.main import run
from kuznia.db.registries import Company, Site
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency.checkpoints import LogSigner
from kuznia.services.wiring import database_at
from kuznia.transparency import generate_private_key, private_key_to_pem
from tests.integration.transparency.conftest import ORIGIN, log_changes, triggers_dropped


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "log-key.pem"
    key = generate_private_key()
    path.write_bytes(private_key_to_pem(key))
    monkeypatch.setenv("KUZNIA_LOG_KEY_FILE", str(path))
    monkeypatch.setenv("KUZNIA_LOG_ORIGIN", ORIGIN)
    return LogSigner(ORIGIN, key)


@pytest.fixture
def kuznia(database_url, capsys, key_file):
    """Run ``kuznia`` against the test database; return (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def logged(database_url):
    database = database_at(database_url)
    log_changes(database, 12, with_rows=True)
    with database.unit_of_work(Actor.system("test")) as uow:
        uow.session.add(Company(id="co-1", name="c", country="UA", version=1))
        uow.session.add(
            Site(
                id="site-1", company_id="co-1", name="s", country="UA", address="secret", version=1
            )
        )
        uow.record("sites", "site-1", "create", None, {"id": "site-1", "address": "secret"})
    yield database
    database.dispose()


def test_a_record_proven_from_the_cli_verifies_offline_with_the_vkey_alone(
    kuznia, logged, tmp_path, key_file
):
    code, out, _ = kuznia("log", "vkey")
    assert code == 0
    vkey = out.strip()
    assert vkey == key_file.verifier.vkey
    assert kuznia("log", "checkpoint")[0] == 0
    out_dir = tmp_path / "proof"
    code, out, err = kuznia("log", "proof", "--record", "sites/site-1", "--out", str(out_dir))
    assert code == 0, err
    assert b"secret" not in (out_dir / "leaf.json").read_bytes()
    args = ["--checkpoint", str(out_dir / "checkpoint.txt"), "--leaf", str(out_dir / "leaf.json")]
    code, out, err = kuznia("verify", "--key", vkey, *args, "--proof", str(out_dir / "proof.json"))
    assert code == 0, err
    assert "entry 12" in out


def test_verify_refuses_a_leaf_that_was_altered_after_the_proof_was_written(
    kuznia, logged, tmp_path, key_file
):
    kuznia("log", "checkpoint")
    kuznia("log", "proof", "--seq", "3", "--out", str(tmp_path))
    leaf = tmp_path / "leaf.json"
    leaf.write_bytes(leaf.read_bytes().replace(b"cap-3", b"cap-4"))
    vkey_file = tmp_path / "log.vkey"
    vkey_file.write_text(key_file.verifier.vkey + "\n")
    code, _, err = kuznia(
        "verify",
        "--key",
        str(vkey_file),
        "--checkpoint",
        str(tmp_path / "checkpoint.txt"),
        "--leaf",
        str(leaf),
        "--proof",
        str(tmp_path / "proof.json"),
    )
    assert code == 1
    assert "not leaf 3" in err


def test_a_proof_before_any_checkpoint_says_to_sign_one(kuznia, logged, tmp_path):
    code, _, err = kuznia("log", "proof", "--seq", "0", "--out", str(tmp_path))
    assert code == 1
    assert "kuznia log checkpoint" in err


def test_export_writes_every_leaf_and_checkpoint_as_json_lines(kuznia, logged, tmp_path):
    kuznia("log", "checkpoint")
    out = tmp_path / "log.jsonl"
    assert kuznia("log", "export", "--out", str(out))[0] == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["seq"] for line in lines if line["type"] == "leaf"] == list(range(13))
    assert [line["type"] for line in lines].count("checkpoint") == 1
    assert "secret" not in out.read_text()


def test_the_audit_passes_then_names_the_first_leaf_altered_behind_its_back(kuznia, logged):
    kuznia("log", "checkpoint")
    code, out, _ = kuznia("log", "audit")
    assert code == 0
    assert "ok: 13 leaves" in out
    with triggers_dropped(logged), logged.engine.begin() as conn:
        for seq in (5, 9):
            forged = {"f": '{"forged":true}', "s": seq}
            conn.execute(text("UPDATE ledger_leaves SET leaf = :f WHERE seq = :s"), forged)
    code, _, err = kuznia("log", "audit")
    assert code == 1
    assert "First bad leaf: 5." in " ".join(err.split())
