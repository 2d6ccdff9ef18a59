import csv
import io

import pytest
from openpyxl import load_workbook

from kuznia.scenario.model import Capability, Pledge, Proposal, Requirement
from kuznia.spreadsheets.parsing import is_units_row, parse_table
from kuznia.spreadsheets.reading import read_table
from kuznia.spreadsheets.tables import KINDS, MEANINGS, ValueKind, table
from kuznia.spreadsheets.workbook import template

MODELS = {
    "capabilities": Capability,
    "requirements": Requirement,
    "proposals": Proposal,
    "pledges": Pledge,
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_has_exactly_the_fields_of_its_scenario_model_in_order(kind):
    assert table(kind).names == tuple(MODELS[kind].model_fields)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_says_what_its_numbers_mean(kind):
    for column in table(kind).columns:
        assert column.name in MEANINGS
        assert column.unit.startswith("(")
        assert column.unit.endswith(")")


def test_column_kinds_come_from_the_model_schema():
    proposals = table("proposals")
    assert proposals.column("unit_cost").kind is ValueKind.MONEY
    assert proposals.column("monthly_capacity").kind is ValueKind.INTEGER
    assert proposals.column("ramp_up_months").minimum == 1
    assert proposals.column("kind").choices == (
        "in_ukraine",
        "ukrainian_abroad",
        "foreign_in_ukraine",
        "partner_domestic",
    )
    assert not proposals.column("kind").required
    assert table("pledges").column("site_countries").item_kind is ValueKind.COUNTRY
    assert table("requirements").column("due_month").kind is ValueKind.MONTH


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_template_reads_back_as_its_example_record_and_nothing_else(kind, file_format):
    data = template(kind, file_format)
    parsed = parse_table(table(kind), read_table(f"t.{file_format}", data, kind))
    assert parsed.problems == []
    assert [record for _, record in parsed.records] == [table(kind).example]
    assert parsed.records[0][0] == 3


def test_an_xlsx_template_has_notes_a_units_row_and_frozen_panes():
    sheet = load_workbook(io.BytesIO(template("proposals", "xlsx")))["proposals"]
    assert sheet["A1"].value == "id"
    assert "required" in sheet["F1"].comment.text
    assert is_units_row(tuple(c.value for c in sheet[2]))
    assert sheet.freeze_panes == "B3"
    assert sheet["F3"].number_format == "#,##0.00"
    assert sheet["H3"].number_format == "#,##0"


def test_a_csv_template_is_utf8_with_a_bom_for_excel():
    data = template("pledges", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "id"
    assert rows[2][2] == "25000000.00"
