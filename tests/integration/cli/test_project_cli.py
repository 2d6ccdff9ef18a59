"""``kuznia project status`` and ``kuznia investment balance`` (issue 17), end to end."""

from __future__ import annotations

import pytest

from kuznia.cli.main import run
from kuznia.db import registries as db
from kuznia.services.wiring import database_at


@pytest.fixture
def kuznia(database_url, capsys):
    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _status(database_url: str, project: str) -> str:
    database = database_at(database_url)
    try:
        with database.reading() as session:
            row = session.get(db.CapacityProject, project)
            assert row is not None
            return str(row.status)
    finally:
        database.dispose()


def test_a_project_is_reviewed_and_built_from_the_command_line(kuznia, database_url):
    assert kuznia("demo", "load", "--scale", "small")[0] == 0
    code, out, _ = kuznia("list", "capacity_projects")
    assert code == 0
    assert "capacity_projects: 4 of 4" in out
    for status in ("vetted", "financed", "under_construction"):
        code, out, err = kuznia("project", "status", "proj-0001", "--to", status)
        assert code == 0, err
        assert f"is {status}" in out
    code, out, _ = kuznia("project", "status", "proj-0001", "--to", "producing")
    assert code == 0
    assert "its line: proposal proj-0001-line" in out
    code, out, _ = kuznia("list", "proposals", "--search", "proj-0001-line")
    assert "proposals: 1 of 1" in out


def test_a_step_the_lifecycle_refuses_exits_with_the_status_named(kuznia, database_url):
    kuznia("demo", "load", "--scale", "small")
    code, _, err = kuznia("project", "status", "proj-0001", "--to", "producing")
    assert code != 0
    assert "status" in err
    assert "submitted" in err
    assert _status(database_url, "proj-0001") == "submitted"


def test_the_investment_balance_prints_each_pair_of_countries(kuznia):
    kuznia("demo", "load", "--scale", "small")
    code, out, _ = kuznia("investment", "balance")
    assert code == 0
    assert "/ UA" in out
