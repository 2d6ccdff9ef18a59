"""``kuznia risk ...`` on files, as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.cli.main import run
from kuznia.demo import generate
from kuznia.risk.report import Evaluation
from kuznia.scenario.io import dump_scenario, scenario_sha256
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


@pytest.fixture
def risky(files: dict[str, Path]) -> dict[str, Path]:
    """The scenario with the risk file as its own section, and the plan made from that file."""
    from kuznia.risk import load_risk
    from kuznia.scenario.io import parse_scenario
    from kuznia.scenario.plan import load_plan

    f = files
    scenario = parse_scenario(f["scenario"].read_bytes())
    data = dump_scenario(scenario.model_copy(update={"risk": load_risk(f["risk"])}))
    plan = load_plan(f["plan"])
    f["risky"] = f["scenario"].with_name("risky.json")
    f["risky"].write_bytes(data)
    f["risky_plan"] = f["plan"].with_name("risky_plan.json")
    f["risky_plan"].write_bytes(
        dump_plan(plan.model_copy(update={"scenario_sha256": scenario_sha256(data)}))
    )
    return f


def test_evaluate_reads_the_scenarios_own_section_as_it_reads_the_risk_file(risky) -> None:
    f = risky
    args = ["--paths", "5", "--seed", "3", "--workers", "0", "--out", str(f["out"])]
    assert run(["risk", "evaluate", str(f["plan"]), "-s", str(f["scenario"]),
                "-r", str(f["risk"]), *args]) == 0  # fmt: skip
    by_file = Evaluation.model_validate_json(f["out"].read_text())
    assert run(["risk", "evaluate", str(f["risky_plan"]), "-s", str(f["risky"]), *args]) == 0
    by_section = Evaluation.model_validate_json(f["out"].read_text())
    assert by_section.struck_paths > 0
    assert by_section == by_file


def test_a_section_and_a_risk_file_together_are_refused_naming_both(risky, capsys) -> None:
    f = risky
    code = run(["risk", "robust", str(f["risky_plan"]), "-s", str(f["risky"]),
                "-r", str(f["risk"]), "--paths", "2", "--workers", "0"])  # fmt: skip
    assert code == 2
    err = "".join(capsys.readouterr().err.split())  # the terminal may wrap inside a path
    assert "risky.jsoncarriesarisksectionand--risk" in err
    assert "risk.json" in err


def test_without_a_section_or_a_risk_file_the_command_says_what_is_missing(files, capsys) -> None:
    f = files
    code = run(["risk", "evaluate", str(f["plan"]), "-s", str(f["scenario"]), "--workers", "0"])
    assert code == 2
    assert "has no risk section: give a kuznia.risk/1 file with --risk" in " ".join(
        capsys.readouterr().err.split()
    )
