"""Backups of the whole database, and restoring one: SQLite through its online backup API,
PostgreSQL through ``pg_dump``/``pg_restore`` (the client tools, when installed).

A backup is taken while kuznia runs: SQLite's backup API copies a consistent snapshot page by
page (writers are not stopped), ``pg_dump`` reads in one repeatable-read transaction. A backup
is written to a temporary file beside the target and renamed into place once complete, so a
failed or interrupted backup never leaves a half-written file under the name asked for.

Restoring replaces everything in the database with the backup's content; on SQLite the database
as it was is kept beside it first (``<file>.before-restore-<time>``). The backup must be a
kuznia database: an SQLite file with an ``alembic_version`` table that passes SQLite's integrity
check, or a ``pg_dump`` custom-format archive. The transparency log comes back as it was, leaves
and signed checkpoints together, so ``kuznia log audit`` verifies it after a restore.

PostgreSQL passwords go to the tools through ``PGPASSWORD``, never on the command line (which
other users of the host can read).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kuznia.errors import InvalidInput, KuzniaError


class BackupFailed(KuzniaError):
    title = "Backup failed"


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    kept: Path | None = None
    """On restore: where the database as it was before is kept (SQLite)."""


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial-{os.getpid()}")


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _check_kuznia_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
            has_version = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InvalidInput.single("FILE", f"{path} is not an SQLite database ({exc})") from None
    finally:
        connection.close()
    if integrity != "ok":
        raise InvalidInput.single("FILE", f"{path} fails SQLite's integrity check: {integrity}")
    if not has_version:
        raise InvalidInput.single("FILE", f"{path} is not a kuznia database (no schema version)")


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup from ``source`` into ``target`` (replacing its content)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _sqlite_backup(engine: Engine, out: Path) -> BackupResult:
    partial = _temporary(out)
    partial.unlink(missing_ok=True)
    try:
        _copy_sqlite(_sqlite_file(engine), partial)
        with sqlite3.connect(partial) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        connection.close()
        _check_kuznia_sqlite(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(out, out.stat().st_size)


def _sqlite_restore(engine: Engine, backup: Path) -> BackupResult:
    _check_kuznia_sqlite(backup)
    live = _sqlite_file(engine)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = live.with_name(f"{live.name}.before-restore-{stamp}")
    if live.exists():
        _copy_sqlite(live, kept)
    engine.dispose()  # no pooled connection keeps the old pages cached
    _copy_sqlite(backup, live)
    return BackupResult(backup, backup.stat().st_size, kept if live.exists() else None)


# ---------------------------------------------------------------------------------- PostgreSQL


def postgres_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_major, reverse=True)
    if installed:
        return str(installed[0])
    raise BackupFailed(
        f"{name} is not installed: install the PostgreSQL client tools (Debian: "
        "apt install postgresql-client, the same major version as the server) and try again"
    )


def _major(path: Path) -> int:
    part = path.parent.parent.name
    return int(part) if part.isdigit() else 0


def _connection(engine: Engine) -> tuple[list[str], dict[str, str]]:
    url = make_url(engine.url.render_as_string(hide_password=False))
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BackupFailed(f"{what} failed (exit {done.returncode}): {' '.join(detail)}")


def _postgres_backup(engine: Engine, out: Path) -> BackupResult:
    args, env = _connection(engine)
    partial = _temporary(out)
    try:
        command = [postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"]
        _run([*command, *args], env, "pg_dump")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(out, out.stat().st_size)


def _postgres_restore(engine: Engine, backup: Path) -> BackupResult:
    with backup.open("rb") as file:
        if file.read(5) != b"PGDMP":
            raise InvalidInput.single("FILE", f"{backup} is not a pg_dump custom-format archive")
    args, env = _connection(engine)
    engine.dispose()
    command = [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
               "--single-transaction", "--exit-on-error"]  # fmt: skip
    _run([*command, *args, str(backup)], env, "pg_restore")
    return BackupResult(backup, backup.stat().st_size)


# ---------------------------------------------------------------------------------- both


def back_up(engine: Engine, out: Path, *, overwrite: bool = False) -> BackupResult:
    """Write a backup of the database behind ``engine`` to ``out``."""
    if out.exists() and not overwrite:
        raise InvalidInput.single("FILE", f"{out} exists; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        return _sqlite_backup(engine, out)
    return _postgres_backup(engine, out)


def restore(engine: Engine, backup: Path) -> BackupResult:
    """Replace the content of the database behind ``engine`` with the backup ``backup``."""
    if not backup.is_file():
        raise InvalidInput.single("FILE", f"cannot read {backup}: no such file")
    if engine.dialect.name == "sqlite":
        return _sqlite_restore(engine, backup)
    return _postgres_restore(engine, backup)
