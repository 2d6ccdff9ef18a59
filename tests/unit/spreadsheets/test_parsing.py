import io
from datetime import datetime

from openpyxl import Workbook

from kuznia.spreadsheets.parsing import parse_table
from kuznia.spreadsheets.reading import read_table
from kuznia.spreadsheets.tables import table

HEADER = "id,capability,quantity,due_month,priority"


def parse_csv(text, kind="requirements"):
    return parse_table(table(kind), read_table("f.csv", text.encode(), kind))


def messages(parsed):
    return [f"{p.where}: {p.message}" for p in parsed.problems]


def test_every_bad_cell_of_every_row_is_reported_with_row_column_and_reason():
    parsed = parse_csv(
        f"{HEADER}\nr-1,fpv,0,2026-13,2\nr-2,fpv,10,2026-01,-1\nr 3,fpv,ten,2026-01,1\n"
    )
    assert messages(parsed) == [
        "row 2, column C (quantity): must be at least 1, got 0",
        "row 2, column D (due_month): '2026-13' is not a month (YYYY-MM, e.g. 2026-01)",
        "row 3, column E (priority): must be more than 0.0, got -1.0",
        "row 4, column C (quantity): 'ten' is not a whole number",
        "row 4, column A (id): 'r 3' is not an identifier (no spaces)",
    ]
    assert parsed.records == []


def test_good_rows_are_kept_with_their_row_numbers_and_blank_rows_are_skipped():
    parsed = parse_csv(f"{HEADER}\nr-1,fpv,10,2026-01,2\n,,,,\nr-2,fpv,5,2026-02,1.5\n")
    assert [(n, r.id) for n, r in parsed.records] == [(2, "r-1"), (4, "r-2")]
    assert parsed.rows_read == 2


def test_headers_are_matched_loosely_but_unknown_and_missing_columns_are_reported():
    parsed = parse_csv("ID,Capability,Quantity,Due month,Priority\nr-1,fpv,1,2026-01,1\n")
    assert parsed.problems == []
    parsed = parse_csv("id,capability,qty,due_month\nr-1,fpv,1,2026-01\n")
    assert messages(parsed) == [
        "row 1, column C: unknown column 'qty'; expected id, capability, quantity, due_month, "
        "priority",
        "row 1 (quantity): missing column 'quantity'",
        "row 1 (priority): missing column 'priority'",
    ]


def test_a_duplicate_id_points_at_the_row_that_had_it_first():
    parsed = parse_csv(f"{HEADER}\nr-1,fpv,10,2026-01,2\nr-1,fpv,11,2026-01,2\n")
    assert messages(parsed) == ["row 3, column A (id): duplicate id 'r-1': already on row 2"]


def test_a_pledge_window_that_ends_before_it_starts_is_refused():
    parsed = parse_csv(
        "id,partner,amount,currency,valid_from,valid_to\np-1,dk,100.00,EUR,2026-05,2026-04\n",
        "pledges",
    )
    assert messages(parsed) == ["row 2, column F (valid_to): 2026-04 is before valid_from 2026-05"]


def test_a_semicolon_separated_csv_as_excel_writes_it_in_some_locales_is_read():
    parsed = parse_csv("id;capability;quantity;due_month;priority\nr-1;fpv;10;2026-01;2\n")
    assert parsed.problems == []


def test_a_value_beyond_the_last_header_is_reported():
    parsed = parse_csv(f"{HEADER}\nr-1,fpv,10,2026-01,2,oops\n")
    assert messages(parsed) == ["row 2, column F: a value in a column without a header"]


def test_xlsx_cells_keep_their_types_and_a_date_month_is_accepted():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "requirements"
    sheet.append(HEADER.split(","))
    sheet.append(["r-1", "fpv", 10, datetime(2026, 4, 1), 2.5])  # noqa: DTZ001 (cells are naive)
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_table(
        table("requirements"), read_table("f.xlsx", buffer.getvalue(), "requirements")
    )
    assert parsed.problems == []
    assert parsed.records[0][1].due_month == "2026-04"
