"""The CLI starts at once: importing it, or asking for help of any command, loads no web,
database, Pydantic, rich, spreadsheet or solver stack (checked in a fresh interpreter's
``sys.modules``, not timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import typer

from kuznia.cli.choices import Kind, ProjectStep, RegistryName, Tier
from kuznia.cli.main import COMMANDS, app, load_command

HEAVY = (
    *("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jinja2"),
    *("pydantic", "pydantic_core", "pydantic_settings", "rich", "markdown_it"),
    *("openpyxl", "highspy", "numpy"),
)


def _modules_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


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
    from kuznia.db.registries import ProjectStatus
    from kuznia.services.open_data import ocds_processes
    from kuznia.services.registries.catalogue import REGISTRIES
    from kuznia.spreadsheets.tables import TABLE_KINDS

    assert [r.value for r in RegistryName] == list(REGISTRIES)
    assert [k.value for k in Kind] == list(TABLE_KINDS)
    assert [t.value for t in Tier] == [t.value for t in ocds_processes.Tier]
    assert {s.value for s in ProjectStep} == {s.value for s in ProjectStatus}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_root_help_lists_each_command_with_its_own_first_paragraph(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert (command.help or "").split("\n\n")[0].strip() == COMMANDS[name].summary


def test_the_root_lists_every_command_in_order() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    assert root.list_commands(typer.Context(root)) == list(COMMANDS)
