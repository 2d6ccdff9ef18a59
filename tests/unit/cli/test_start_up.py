"""The CLI starts at once: importing it, or asking for help, loads no web or database stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from kuznia.cli.main import COMMANDS, app, load_command

HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "openpyxl", "highspy", "numpy")


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


@pytest.mark.parametrize("argv", [["--help"], ["plan", "--help"], ["plan", "run", "--help"]])
def test_help_loads_no_web_database_spreadsheet_or_solver_stack(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from kuznia.cli.main import run\n"
        f"with contextlib.redirect_stdout(io.StringIO()): run({argv!r})"
    )
    loaded = _modules_after(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_root_help_lists_each_command_with_its_own_first_paragraph(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert (command.help or "").split("\n\n")[0].strip() == COMMANDS[name].summary


def test_the_root_lists_every_command_in_order() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    assert root.list_commands(typer.Context(root)) == list(COMMANDS)
