"""``kuznia import ...`` and ``kuznia export xlsx`` end to end, on both engines."""

import pytest

from kuznia.cli.main import run
from kuznia.scenario.plan import dump_plan
from tests.factories import scenario_bytes
from tests.integration.spreadsheets.workbooks import PROPOSAL_HEADER, cells, csv_bytes, proposal
from tests.unit.spreadsheets.plans import small_plan


@pytest.fixture
def kuznia(database_url, capsys):
    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def loaded(kuznia, tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_bytes(scenario_bytes())
    assert kuznia("scenario", "import", str(scenario))[0] == 0
    return kuznia


def test_a_template_is_written_in_either_format(kuznia, tmp_path):
    for file_format in ("xlsx", "csv"):
        out = tmp_path / f"t.{file_format}"
        code, _, _ = kuznia(
            "import", "template", "pledges", "--format", file_format, "--out", str(out)
        )
        assert code == 0
        assert out.stat().st_size > 0


def test_a_dry_run_lists_what_would_change_and_a_real_run_writes_it(loaded, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([PROPOSAL_HEADER, proposal("line-1", monthly_capacity=450)]))
    code, out, _ = loaded("import", "proposals", str(path), "--dry-run")
    assert code == 0
    assert "0 created, 1 updated, 0 unchanged" in out
    assert "monthly_capacity: 400 -> 450" in out
    assert "dry run" in out
    assert "1 updated" in loaded("import", "proposals", str(path))[1]
    assert "1 unchanged" in loaded("import", "proposals", str(path))[1]


def test_bad_rows_exit_with_code_2_and_every_problem_listed(loaded, tmp_path):
    path = tmp_path / "p.csv"
    rows = [PROPOSAL_HEADER, *(proposal(f"l-{i}", unit_cost="x") for i in range(60))]
    path.write_bytes(csv_bytes(rows))
    code, _, err = loaded("import", "proposals", str(path))
    assert code == 2
    assert err.count("(unit_cost): 'x' is not a money amount") == 60
    assert "60 problem(s) in 60 row(s); nothing was changed" in " ".join(err.split())


def test_the_registries_export_reads_back_as_a_workbook_import(loaded, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert loaded("export", "xlsx", "--out", str(first))[0] == 0
    code, out, _ = loaded("import", "workbook", str(first))
    assert code == 0
    assert "proposals: 2 rows; 0 created, 0 updated, 2 unchanged" in out
    assert loaded("export", "xlsx", "--out", str(second))[0] == 0
    assert cells(second.read_bytes()) == cells(first.read_bytes())


def test_a_missing_file_is_bad_input(kuznia, tmp_path):
    code, _, err = kuznia("import", "requirements", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "cannot read" in err


def test_a_plan_is_exported_as_a_workbook_and_a_foreign_plan_exits_2(kuznia, tmp_path):
    scenario, plan, out = tmp_path / "s.json", tmp_path / "p.json", tmp_path / "plan.xlsx"
    scenario.write_bytes(scenario_bytes())
    plan.write_bytes(dump_plan(small_plan()))
    assert kuznia("export", "plan-xlsx", str(scenario), str(plan), "--out", str(out))[0] == 0
    assert set(cells(out.read_bytes())) >= {"summary", "production", "unmet"}
    plan.write_bytes(dump_plan(small_plan(scenario_sha256="1" * 64)))
    code, _, err = kuznia("export", "plan-xlsx", str(scenario), str(plan), "--out", str(out))
    assert code == 2
    assert "another scenario file" in err
