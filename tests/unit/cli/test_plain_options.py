"""Plain options (text, flags, whole numbers, paths) are read without Pydantic, exactly as
Typer's own adapters read them: the same value, or the same refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from kuznia.cli.common import _Deferred
from kuznia.cli.main import app, run


def _params(*path: str) -> dict[str, Any]:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.get_command(typer.Context(command), name)
    return {p.name: p for p in command.get_params(typer.Context(command))}


def _read(reader: Any, param: Any, value: Any) -> Any:
    try:
        return ("value", reader.coerce(value, param=param, ctx=None))
    except BadParameter as refused:
        return ("refused", refused.message)


@pytest.mark.parametrize("value", ["5", "0", " 7 ", "-1", "x", "1.5", ""])
def test_a_whole_number_with_bounds_reads_as_typers_adapter_reads_it(value: str) -> None:
    seq = _params("log", "proof")["seq"]
    assert isinstance(seq._runtime_param, _Deferred)
    assert _read(seq._runtime_param, seq, value) == _read(
        build_runtime_param(seq.type_descriptor), seq, value
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("out", "proof/dir"), ("out", Path("proof")), ("record", "sites/site-1")],  # a default too
)
def test_paths_and_text_read_as_typers_adapter_reads_them(name: str, value: str) -> None:
    param = _params("log", "proof")[name]
    assert isinstance(param._runtime_param, _Deferred)
    ours = _read(param._runtime_param, param, value)
    assert ours == _read(build_runtime_param(param.type_descriptor), param, value)
    assert isinstance(ours[1], Path if name == "out" else str)


def test_a_number_out_of_bounds_is_a_usage_error_naming_the_option(capsys: Any) -> None:
    assert run(["log", "proof", "--seq", "-1"]) == 2
    assert "--seq" in capsys.readouterr().err
