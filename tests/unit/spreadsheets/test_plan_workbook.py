import io

import pytest
from openpyxl import load_workbook

from kuznia.errors import InvalidInput
from kuznia.scenario.io import parse_scenario
from kuznia.scenario.plan import dump_plan
from kuznia.spreadsheets.plan_files import export_plan_workbook
from kuznia.spreadsheets.plan_sheets import plan_workbook, sheet_titles
from tests.unit.spreadsheets.plans import SCENARIO, small_plan


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def rows(sheet):
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def test_the_plan_workbook_has_every_sheet_with_a_frozen_formatted_header():
    book = opened(plan_workbook(parse_scenario(SCENARIO), small_plan()))
    assert book.sheetnames == list(sheet_titles())
    for sheet in book:
        assert sheet["A1"].font.bold
        assert sheet.freeze_panes in {"A2", "B2"}


def test_money_is_in_the_base_currency_with_two_decimals_and_units_are_whole_numbers():
    book = opened(plan_workbook(parse_scenario(SCENARIO), small_plan()))
    production = book["production"]
    assert rows(production)[0][-2:] == ("unit cost (EUR)", "cost (EUR)")
    assert production["H2"].value == pytest.approx(506.00)  # 550 USD at 0.92
    assert production["H2"].number_format == "#,##0.00"
    assert production["G2"].number_format == "#,##0"
    funding = rows(book["funding"])
    assert funding[-1] == ("pledge-dk", "dk", "line-2", "co-ua-2", "setup", None, None, 250000)


def test_unmet_needs_carry_their_reason_in_words_and_what_was_delivered():
    unmet = rows(opened(plan_workbook(parse_scenario(SCENARIO), small_plan()))["unmet"])
    assert unmet[1][:8] == (
        "req-1",
        "fpv",
        "2026-03",
        2.0,
        1000,
        200,
        800,
        "insufficient_budget",
    )
    assert unmet[1][8] == "capacity was left unused because the money ran out"


def test_marginal_values_show_what_each_pledge_used_and_has_left():
    marginal = rows(
        opened(plan_workbook(parse_scenario(SCENARIO), small_plan()))["marginal values"]
    )
    by_pledge = {r[0]: r for r in marginal[1:]}
    assert by_pledge["pledge-dk"][2:6] == (2010000, 295000, 1715000, pytest.approx(295 / 2010))
    assert by_pledge["pledge-ua"][6] == 12.5


def test_the_summary_compares_with_the_greedy_baseline():
    summary = {
        r[0]: r[1]
        for r in rows(opened(plan_workbook(parse_scenario(SCENARIO), small_plan()))["summary"])
    }
    assert summary["status"] == "optimal"
    assert summary["value gained over baseline"] == pytest.approx(0.2345)
    assert summary["units needed"] == 1500
    assert summary["units delivered"] == 210


def test_an_infeasible_plan_still_gives_a_readable_workbook():
    plan = small_plan(
        status="infeasible",
        production=[],
        funding=[],
        setup=[],
        deliveries=[],
        unmet=[],
        notes=["no pledge is valid"],
        baseline=None,
    )
    book = opened(plan_workbook(parse_scenario(SCENARIO), plan))
    summary = rows(book["summary"])
    assert summary[1] == ("status", "infeasible", "no valid plan exists: see the notes")
    assert ("note", "no pledge is valid", None) in summary
    assert len(rows(book["production"])) == 1


def test_a_plan_of_another_scenario_is_refused():
    plan = dump_plan(small_plan(scenario_sha256="0" * 64))
    with pytest.raises(InvalidInput, match="another scenario file"):
        export_plan_workbook(SCENARIO, plan)
    assert export_plan_workbook(SCENARIO, dump_plan(small_plan())).startswith(b"PK")
