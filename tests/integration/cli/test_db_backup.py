"""``kuznia db backup`` and ``kuznia db restore`` on both engines (issue 18, finding 9): what was
backed up comes back, what came after is gone, and the transparency log still audits."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from kuznia.cli.main import run
from kuznia.db.transparency import LedgerLeaf
from kuznia.services.wiring import database_at
from kuznia.transparency import generate_private_key, private_key_to_pem
from tests.integration.transparency.conftest import ORIGIN, log_changes


@pytest.fixture
def kuznia(database_url, capsys, tmp_path, monkeypatch):
    key = tmp_path / "log-key.pem"
    key.write_bytes(private_key_to_pem(generate_private_key()))
    monkeypatch.setenv("KUZNIA_LOG_KEY_FILE", str(key))
    monkeypatch.setenv("KUZNIA_LOG_ORIGIN", ORIGIN)

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _leaves(database_url: str) -> int:
    database = database_at(database_url)
    with database.reading() as session:
        count = session.scalar(select(func.count()).select_from(LedgerLeaf)) or 0
    database.dispose()
    return count


def test_a_restored_backup_brings_back_the_log_as_it_was_and_it_audits(
    kuznia, database_url, tmp_path
):
    database = database_at(database_url)
    log_changes(database, 8, with_rows=True)
    assert kuznia("log", "checkpoint")[0] == 0
    backup = tmp_path / "backups" / "kuznia.backup"
    code, out, err = kuznia("db", "backup", str(backup))
    assert code == 0, err
    assert "backup written" in " ".join(out.split())
    log_changes(database, 5, prefix="later", with_rows=True)
    database.dispose()
    assert _leaves(database_url) == 13
    code, out, err = kuznia("db", "restore", str(backup))
    assert code == 0, err
    assert _leaves(database_url) == 8
    code, out, err = kuznia("log", "audit")
    assert code == 0, err
    assert "ok: 8 leaves, 1 checkpoints" in out


def test_a_backup_does_not_overwrite_a_file_unless_forced(kuznia, tmp_path):
    target = tmp_path / "there.backup"
    target.write_bytes(b"precious")
    code, _, err = kuznia("db", "backup", str(target))
    assert code == 2
    assert "--force" in err
    assert target.read_bytes() == b"precious"
    assert kuznia("db", "backup", str(target), "--force")[0] == 0
    assert target.read_bytes() != b"precious"


def test_restore_refuses_a_file_that_is_not_a_kuznia_backup(kuznia, database_url, tmp_path):
    database = database_at(database_url)
    log_changes(database, 2)
    database.dispose()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for path in (junk, other, tmp_path / "missing.backup"):
        code, _, err = kuznia("db", "restore", str(path))
        assert code == 2, err
    assert _leaves(database_url) == 2  # nothing was touched
