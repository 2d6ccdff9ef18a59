from datetime import date, datetime
from decimal import Decimal

import pytest

from kuznia.spreadsheets.cells import (
    CellError,
    read_cell,
    read_integer,
    read_list,
    read_money,
    read_month,
)
from kuznia.spreadsheets.tables import table


def cell_date(year, month, day):
    """A date as openpyxl reads it from a cell: naive, spreadsheets have no time zones."""
    return datetime(year, month, day)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("550.00", Decimal("550.00")),
        (" 1250000.5 ", Decimal("1250000.5")),
        (550, Decimal(550)),
        (550.5, Decimal("550.50")),
        (0.1, Decimal("0.10")),
        (1234567890123.45, Decimal("1234567890123.45")),
    ],
)
def test_money_is_read_exactly_from_text_and_from_numbers_that_stand_for_cents(raw, expected):
    assert read_money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("12.345", "at most 2 decimals"),
        ("1,000.00", "not a money amount"),
        ("1e3", "not a money amount"),
        ("EUR 5", "not a money amount"),
        (0.30000000000000004, "more than 2 decimals"),
        (12.3456, "more than 2 decimals"),
        (12345678901234.56, "more than 15 digits"),
        (True, "logical value TRUE"),
        (cell_date(2026, 1, 1), "the date 2026-01-01"),
    ],
)
def test_money_that_is_not_exact_to_the_cent_is_refused_with_the_reason(raw, reason):
    with pytest.raises(CellError, match=reason):
        read_money(raw)


def test_a_date_on_the_first_of_a_month_is_that_month_and_any_other_day_is_refused():
    assert read_month(cell_date(2026, 3, 1)) == "2026-03"
    assert read_month(date(2026, 3, 1)) == "2026-03"
    assert read_month("2026-03") == "2026-03"
    with pytest.raises(CellError, match="is a day, not a month"):
        read_month(cell_date(2026, 3, 15))


def test_whole_numbers_come_from_integers_integral_floats_and_digit_text():
    assert read_integer(400) == 400
    assert read_integer(400.0) == 400
    assert read_integer(" 12 ") == 12
    for bad in (12.5, "12.5", "twelve", False):
        with pytest.raises(CellError, match="not a whole number"):
            read_integer(bad)


def test_lists_are_split_on_commas_or_semicolons_and_an_empty_cell_is_no_restriction():
    assert read_list("UA, DK;PL") == ("UA", "DK", "PL")
    assert read_cell(table("pledges").column("site_countries"), "  ") is None


def test_an_id_typed_as_a_number_is_read_as_its_digits():
    assert read_cell(table("proposals").column("id"), 1234.0) == "1234"
