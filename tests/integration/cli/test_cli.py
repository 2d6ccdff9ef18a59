"""The command line end to end, on both database engines."""

import json

import jsonschema
import pytest
import typer
from sqlalchemy import func, select
from typer.core import TyperGroup as Group

from kuznia.cli.main import app, run
from kuznia.db.jobs import Job
from kuznia.db.planning import StoredPlan
from kuznia.scenario.schemas import shipped
from kuznia.services.wiring import database_at
from tests.factories import scenario_bytes, scenario_document


@pytest.fixture
def kuznia(database_url, capsys):
    """Run ``kuznia`` against the test database; return (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_national_demo_validates_and_import_then_export_gives_the_same_bytes(kuznia, tmp_path):
    demo, again = tmp_path / "national.json", tmp_path / "exported.json"
    assert (
        kuznia("demo", "scenario", "--scale", "national", "--seed", "1", "--out", str(demo))[0] == 0
    )
    document = json.loads(demo.read_bytes())
    jsonschema.Draft202012Validator(shipped("scenario.schema.json")).validate(document)
    assert len(document["proposals"]) >= 2500
    assert kuznia("scenario", "import", str(demo))[0] == 0
    assert kuznia("scenario", "export", "--out", str(again))[0] == 0
    assert again.read_bytes() == demo.read_bytes()


def _broken(path, mutate):
    doc = scenario_document()
    mutate(doc)
    path.write_text(json.dumps(doc))
    return str(path)


BAD_FILES = {
    "wrong type": (
        lambda d: d["proposals"][0].update(monthly_capacity="many"),
        "proposals[0].monthly_capacity",
    ),
    "unknown id": (
        lambda d: d["requirements"][1].update(capability="tank"),
        "requirements[1].capability",
    ),
    "duplicate id": (lambda d: d["pledges"][1].update(id="pledge-ua"), "pledges[1].id"),
    "negative quantity": (
        lambda d: d["requirements"][0].update(quantity=-3),
        "requirements[0].quantity",
    ),
    "malformed month": (
        lambda d: d["pledges"][0].update(valid_from="Jan 2026"),
        "pledges[0].valid_from",
    ),
    "malformed money": (
        lambda d: d["proposals"][1].update(unit_cost="4,500"),
        "proposals[1].unit_cost",
    ),
    "unknown currency": (lambda d: d["pledges"][1].update(currency="ABC"), "pledges[1].currency"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_scenario_file_exits_2_names_the_path_and_leaves_the_database_untouched(
    kuznia, tmp_path, case
):
    good = tmp_path / "good.json"
    good.write_bytes(scenario_bytes())
    assert kuznia("scenario", "import", str(good))[0] == 0
    before = kuznia("scenario", "export")[1]
    mutate, path = BAD_FILES[case]
    code, _, err = kuznia("scenario", "import", _broken(tmp_path / "bad.json", mutate))
    assert code == 2
    assert path in err
    assert kuznia("scenario", "export")[1] == before


def test_a_missing_file_is_bad_input(kuznia, tmp_path):
    code, _, err = kuznia("scenario", "import", str(tmp_path / "nope.json"))
    assert code == 2
    assert "cannot read" in err


def test_demo_load_fills_every_registry_and_lists_filter_them(kuznia):
    assert kuznia("demo", "load", "--scale", "small", "--seed", "3")[0] == 0
    for registry in (
        "capabilities",
        "requirements",
        "partners",
        "companies",
        "sites",
        "proposals",
        "pledges",
        "investments",
    ):
        code, out, _ = kuznia("list", registry, "--limit", "5")
        assert code == 0, registry
        assert "of " in out
    code, out, _ = kuznia("list", "companies", "--where", "country=UA", "--limit", "500")
    assert code == 0
    assert "│ UA" in out
    assert "│ DK " not in out


def test_site_locations_are_hidden_unless_asked_for(kuznia):
    kuznia("demo", "load", "--scale", "small")
    assert "latitude" not in kuznia("list", "sites")[1]
    assert "latitude" in kuznia("list", "sites", "--show-secret")[1]


def test_listing_by_an_unknown_field_is_bad_input(kuznia):
    kuznia("demo", "load", "--scale", "small")
    code, _, err = kuznia("list", "proposals", "--where", "colour=red")
    assert code == 2
    assert "colour" in err


def test_summary_shows_needs_capacity_and_money_by_capability(kuznia):
    kuznia("demo", "load", "--scale", "small")
    code, out, _ = kuznia("summary")
    assert code == 0
    assert "of capacity can be funded" in out


def test_usage_errors_exit_2(kuznia):
    assert kuznia("list", "nonsense")[0] == 2


def _commands(group: Group, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_has_help_with_an_example():
    root = typer.main.get_command(app)
    assert isinstance(root, Group)
    missing = [name for name, cmd in _commands(root) if "Example" not in (cmd.help or "")]
    assert missing == []


def test_start_loads_the_demo_once_and_prints_a_login_for_every_role(kuznia, database_url):
    code, out, _ = kuznia("start", "--scale", "small", "--no-serve")
    assert code == 0
    for role in ("coordinator", "partner", "company", "auditor"):
        assert f"{role}@demo.kuznia.test" in out
    assert "notional" in out
    again = kuznia("list", "proposals", "--limit", "1")[1]
    code, _, _ = kuznia("start", "--scale", "small", "--no-serve")
    assert code == 0
    assert kuznia("list", "proposals", "--limit", "1")[1] == again
    # Without a server there is no worker to queue for: the first plan was computed in place.
    database = database_at(database_url)
    with database.reading() as session:
        assert session.scalars(select(StoredPlan.label)).all() == ["initial plan of the demo"]
        assert session.scalar(select(func.count()).select_from(Job)) == 0
    database.dispose()
