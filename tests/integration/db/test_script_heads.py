"""The schema heads kuznia reads without Alembic are Alembic's own, and a database already at
them is not migrated again (so a command on an up-to-date file imports no Alembic)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from kuznia.db.migrate import alembic_config, current_revision, script_heads, upgrade
from kuznia.services.wiring import database_at


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert script_heads() == ",".join(sorted(heads))


def test_a_command_on_an_up_to_date_database_imports_no_alembic_job_worker_or_web(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    database = database_at(url)
    upgrade(database.engine)
    assert current_revision(database.engine) == script_heads()
    database.dispose()
    code = (
        "import json, sys\n"
        "from kuznia.cli.main import run\n"
        f"assert run(['--database-url', {url!r}, 'log', 'proof', '--seq', '0', "
        f"'--out', {str(tmp_path / 'p')!r}]) != 0\n"  # an empty log: no leaf 0 (bad input)
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    unwanted = {"alembic", "fastapi", "jinja2", "kuznia.services.jobs.worker"}
    unwanted |= {"kuznia.db.jobs", "kuznia.db.planning", "kuznia.db.contracting"}
    assert not loaded & unwanted, sorted(loaded & unwanted)
