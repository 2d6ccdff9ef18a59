"""The plan sub-app on files (through CliRunner), and re-planning from an earlier plan."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kuznia.allocation import warm_start_from
from kuznia.cli.plan import plan_app
from kuznia.plancheck import check_plan
from kuznia.scenario.io import dump_scenario
from tests.support.factory import random_scenario
from tests.support.planning import plan_checked

runner = CliRunner()


def write_scenario(tmp_path: Path, seed: int = 3) -> Path:
    path = tmp_path / "scenario.json"
    path.write_bytes(dump_scenario(random_scenario(seed)))
    return path


def test_plan_with_a_scenario_path_first_writes_a_valid_plan(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "plan.json"
    result = runner.invoke(plan_app, [str(scenario), "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    check = runner.invoke(plan_app, ["check", str(scenario), str(out)])
    assert check.exit_code == 0, check.output
    assert "valid" in check.output


def test_a_missing_or_malformed_scenario_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "kuznia.scenario/1"}')
    for path in (bad, tmp_path / "missing.json"):
        result = runner.invoke(plan_app, [str(path), "--out", str(tmp_path / "p.json")])
        assert result.exit_code == 2, result.output


def test_check_exits_1_on_a_plan_that_breaks_a_rule_and_2_on_a_malformed_one(
    tmp_path: Path,
) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "plan.json"
    runner.invoke(plan_app, [str(scenario), "--out", str(out)])
    doc = json.loads(out.read_text())
    doc["value"] += 1000
    out.write_text(json.dumps(doc))
    assert runner.invoke(plan_app, ["check", str(scenario), str(out)]).exit_code == 1
    out.write_text("{")
    assert runner.invoke(plan_app, ["check", str(scenario), str(out)]).exit_code == 2


def test_every_command_has_help_with_an_example() -> None:
    for args in ([], ["run"], ["check"], ["diff"]):
        result = runner.invoke(plan_app, [*args, "--help"])
        assert result.exit_code == 0
        assert "Example: kuznia plan" in result.output


def test_diff_lists_changes_per_requirement_pledge_and_capability(tmp_path: Path) -> None:
    a, b = write_scenario(tmp_path, 3), tmp_path / "b.json"
    b.write_bytes(dump_scenario(random_scenario(3).model_copy(update={"pledges": ()})))
    runner.invoke(plan_app, [str(a), "--out", str(tmp_path / "pa.json")])
    runner.invoke(plan_app, [str(b), "--out", str(tmp_path / "pb.json")])
    result = runner.invoke(
        plan_app,
        ["diff", str(tmp_path / "pa.json"), str(tmp_path / "pb.json"), "--scenario", str(a)],
    )
    assert result.exit_code == 0, result.output
    for title in ("requirements", "pledges", "capabilities"):
        assert title in result.output


def test_replanning_after_changing_one_pledge_starts_from_the_earlier_plan() -> None:
    s = random_scenario(11, lines=10, needs=6, pledges=4)
    first = plan_checked(s)
    cut = s.pledges[0].model_copy(update={"amount": s.pledges[0].amount / 2})
    changed = s.model_copy(update={"pledges": (cut, *s.pledges[1:])})
    again = plan_checked(changed, warm=first.warm).plan
    from_file = plan_checked(changed, warm=warm_start_from(first.plan, s)).plan
    assert check_plan(changed, again) == []
    assert check_plan(changed, from_file) == []
    assert again.value <= first.plan.solver.bound + 1e-6
