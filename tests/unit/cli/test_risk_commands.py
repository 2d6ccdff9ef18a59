"""``kuznia risk ...`` on files, as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.cli.main import run
from kuznia.demo import generate
from kuznia.risk.report import Evaluation
from kuznia.scenario import dump_scenario, scenario_sha256
from kuznia.scenario.plan import dump_plan


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    world = generate("small", 1)
    data = dump_scenario(world.scenario)
    plan = plan_scenario(world.scenario, scenario_sha256(data), SolverOptions(threads=1)).plan
    paths = {name: tmp_path / f"{name}.json" for name in ("scenario", "plan", "risk", "out")}
    paths["scenario"].write_bytes(data)
    paths["plan"].write_bytes(dump_plan(plan))
    assert (
        run(["risk", "demo", "--scale", "small", "--seed", "1", "--out", str(paths["risk"])]) == 0
    )
    return paths


def test_evaluate_writes_the_figures_and_prints_the_convention(files, capsys) -> None:
    f = files
    code = run(["risk", "evaluate", str(f["plan"]), "-s", str(f["scenario"]), "-r", str(f["risk"]),
                "--paths", "6", "--workers", "0", "--out", str(f["out"])])  # fmt: skip
    assert code == 0
    figures = Evaluation.model_validate_json(f["out"].read_text())
    assert figures.paths == 6
    printed = capsys.readouterr().out
    assert "P90 is the value reached in 90 % of paths" in printed
    assert "CVaR at 10 %" in printed


def test_a_plan_of_another_scenario_is_refused_naming_the_scenario(files, capsys) -> None:
    f = files
    other = generate("small", 2).scenario
    f["scenario"].write_bytes(dump_scenario(other))
    code = run(["risk", "evaluate", str(f["plan"]), "-s", str(f["scenario"]), "-r", str(f["risk"]),
                "--paths", "2", "--workers", "0"])  # fmt: skip
    assert code == 2
    assert "another scenario" in " ".join(capsys.readouterr().err.split())
