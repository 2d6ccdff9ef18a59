"""``kuznia invest gaps`` and ``kuznia invest projects`` (issue 17, item 4), end to end on the
small demo with its capacity projects vetted and a stored plan."""

from __future__ import annotations

import pytest

from kuznia.cli.main import run
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.runs import run_plan
from kuznia.services.wiring import database_at


@pytest.fixture
def kuznia(database_url, capsys):
    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _plan(database_url: str) -> None:
    database = database_at(database_url)
    try:
        run_plan(database, Actor.system("test"), label="invest")
    finally:
        database.dispose()


@pytest.fixture
def planned(kuznia, database_url):
    assert kuznia("demo", "load", "--scale", "small")[0] == 0
    for project in ("proj-0001", "proj-0002"):
        assert kuznia("project", "status", project, "--to", "vetted")[0] == 0
    _plan(database_url)
    return kuznia


def test_the_gaps_list_each_capability_with_its_unmet_need(planned):
    code, out, err = planned("invest", "gaps", "--limit", "50")
    assert code == 0, err
    assert "Where capacity is missing" in out
    assert "unmet" in out


def test_the_projects_are_ranked_by_value_per_million_of_capex(planned):
    code, out, err = planned("invest", "projects")
    assert code == 0, err
    assert "proj-0001" in out
    assert "proj-0002" in out
    assert "proj-0003" not in out  # still submitted: not in the plan


def test_the_public_sees_no_project(planned):
    code, out, _ = planned("invest", "projects", "--public")
    assert code == 0
    assert "proj-0001" not in out
    assert "the public sees aggregates only" in out


def test_without_a_stored_plan_the_command_says_so(kuznia):
    assert kuznia("demo", "load", "--scale", "small")[0] == 0
    code, _, err = kuznia("invest", "gaps")
    assert code == 1
    assert "no plan is stored yet" in err
