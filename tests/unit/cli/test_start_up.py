"""The CLI starts at once: importing it, or asking for help of any command, loads no web,
database, Pydantic, rich, spreadsheet or solver stack (checked in a fresh interpreter's
``sys.modules``, not timed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from kuznia.cli.choices import Kind, RegistryName, Tier
from kuznia.cli.main import COMMANDS, app, load_command

HEAVY = (
    *("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jinja2"),
    *("pydantic", "pydantic_core", "pydantic_settings", "rich", "markdown_it"),
    *("openpyxl", "highspy", "numpy"),
)


def _modules_after(
    code: str, env: dict[str, str] | None = None, *, whole: bool = False
) -> set[str]:
    """The top-level packages (every module, with ``whole``) a fresh interpreter holds after
    running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    names = json.loads(done.stdout.splitlines()[-1])
    return set(names) if whole else {name.split(".")[0] for name in names}


def test_importing_the_cli_loads_no_web_database_spreadsheet_or_solver_stack() -> None:
    loaded = _modules_after("import kuznia.cli.main")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def _command_paths(command: Any, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    if isinstance(command, typer.core.TyperGroup):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            yield from _command_paths(command.get_command(ctx, name), [*prefix, name])


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_of_every_command_loads_no_heavy_stack(name: str) -> None:
    """``kuznia NAME --help`` and the help of each of its subcommands, in one interpreter."""
    root = typer.main.get_command(app)
    paths = (
        [[]]
        if not name
        else list(_command_paths(root.get_command(typer.Context(root), name), [name]))
    )
    code = (
        "import contextlib, io\n"
        "from kuznia.cli.main import run\n"
        f"for path in {paths!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert run([*path, '--help']) == 0, path"
    )
    loaded = _modules_after(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_choices_the_commands_offer_are_the_services_own() -> None:
    from kuznia.cli import investment_commands
    from kuznia.db.registries import ProjectStatus
    from kuznia.services.open_data import ocds_processes
    from kuznia.services.registries.catalogue import REGISTRIES
    from kuznia.spreadsheets.tables import TABLE_KINDS

    assert [r.value for r in RegistryName] == list(REGISTRIES)
    assert [k.value for k in Kind] == list(TABLE_KINDS)
    assert [t.value for t in Tier] == [t.value for t in ocds_processes.Tier]
    to = typing.get_type_hints(investment_commands.status_command, include_extras=True)["to"]
    assert to.__origin__ is ProjectStatus


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_root_help_lists_each_command_with_its_own_first_paragraph(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert (command.help or "").split("\n\n")[0].strip() == COMMANDS[name].summary


def test_the_root_lists_every_command_in_order() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    assert root.list_commands(typer.Context(root)) == list(COMMANDS)


# What a command that reads the log never needs: the web, the solver, spreadsheets, migrations,
# rich (it prints plain text), Typer's Pydantic adapters (its options are plain) and, on SQLite,
# the PostgreSQL driver.
NOT_FOR_THE_LOG = (
    *("alembic", "fastapi", "starlette", "uvicorn", "jinja2", "httpx", "multipart"),
    *("openpyxl", "highspy", "numpy", "dask", "distributed", "rich", "pg8000"),
)
NOT_FOR_THE_LOG_MODULES = (
    *("typer._adapters", "kuznia.web", "kuznia.api", "kuznia.allocation"),
    "kuznia.services.kernel.commit_sequence",  # the writers' tables: a reader takes no number
)
SCENARIO_RULES = {"kuznia.scenario", "kuznia.scenario.kinds", "kuznia.scenario.bounds"}
"""What of the scenario the tables may load: plain enums and bounds, none of its Pydantic
models (``scenario.model``, ``scenario.io``, the risk section)."""
REGISTRY_TABLES = ("kuznia.db.registries", "kuznia.db.tables", "kuznia.db.identity")
"""Tables of every registry: only the audit, which reads every logged table, loads them."""


@pytest.fixture(scope="module")
def logged_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An SQLite database at the head of the schema with a few logged changes, a signing key
    and a checkpoint; the environment that points a command at them."""
    from kuznia.cli.main import run
    from kuznia.db.registries import Capability
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.wiring import database_at
    from kuznia.transparency import generate_private_key, private_key_to_pem

    folder = tmp_path_factory.mktemp("log")
    (folder / "key.pem").write_bytes(private_key_to_pem(generate_private_key()))
    env = {
        **os.environ,
        "KUZNIA_DATABASE_URL": f"sqlite:///{folder / 'log.sqlite3'}",
        "KUZNIA_LOG_KEY_FILE": str(folder / "key.pem"),
        "KUZNIA_LOG_ORIGIN": "kuznia.test/start-up",
    }
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        database = database_at(env["KUZNIA_DATABASE_URL"])
        database.upgrade()
        with database.unit_of_work(Actor.system("test")) as uow:
            for i in range(3):
                uow.session.add(Capability(id=f"cap-{i}", name="c", unit="u", version=1))
                uow.record("capabilities", f"cap-{i}", "create", None, {"id": f"cap-{i}"})
        database.dispose()
        assert run(["log", "checkpoint"]) == 0
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return env


@pytest.mark.parametrize(
    "args",
    [
        ["log", "proof", "--seq", "1", "--out", "{folder}/proof"],
        ["log", "proof", "--seq", "1"],  # --out left at its default, a Path (no adapter either)
        ["log", "audit"],
        ["log", "vkey"],
    ],
)
def test_the_log_commands_load_no_web_solver_spreadsheet_or_migration_stack(
    logged_env: dict[str, str], args: list[str]
) -> None:
    """They run (exit code 0) with only the log, the database and the key loaded: no model of
    the scenario and, but for the audit, no table of the registries."""
    folder = str(Path(logged_env["KUZNIA_LOG_KEY_FILE"]).parent)
    argv = [arg.format(folder=folder) for arg in args]
    code = (
        f"import contextlib, io, os\nos.chdir({folder!r})\n"
        "from kuznia.cli.main import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run({argv!r}) == 0\n"
    )
    loaded = _modules_after(code, logged_env, whole=True)
    packages = {name.split(".")[0] for name in loaded}
    assert packages.isdisjoint(NOT_FOR_THE_LOG), sorted(packages & set(NOT_FOR_THE_LOG))
    heavy = {m for m in loaded if m.startswith(NOT_FOR_THE_LOG_MODULES)}
    assert not heavy, sorted(heavy)
    scenario = {m for m in loaded if m.startswith("kuznia.scenario")}
    assert scenario <= SCENARIO_RULES, sorted(scenario - SCENARIO_RULES)
    if args[1] != "audit":
        tables = {m for m in loaded if m.startswith(REGISTRY_TABLES)}
        assert not tables, sorted(tables)


def test_the_plan_workbook_of_two_files_loads_no_database_or_solver(tmp_path: Path) -> None:
    """``kuznia export plan-xlsx`` reads two files and writes one: no SQLAlchemy, no HiGHS."""
    from kuznia.scenario.plan import dump_plan
    from tests.unit.spreadsheets.plans import SCENARIO, small_plan

    (tmp_path / "scenario.json").write_bytes(SCENARIO)
    (tmp_path / "plan.json").write_bytes(dump_plan(small_plan()))
    argv = ["export", "plan-xlsx", *(str(tmp_path / n) for n in ("scenario.json", "plan.json"))]
    code = (
        "import contextlib, io\n"
        "from kuznia.cli.main import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run([*{argv!r}, '--out', {str(tmp_path / 'plan.xlsx')!r}]) == 0\n"
    )
    loaded = _modules_after(code)
    unwanted = {"sqlalchemy", "alembic", "highspy", "fastapi", "starlette", "jinja2", "dask"}
    assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)
    assert (tmp_path / "plan.xlsx").read_bytes().startswith(b"PK")
