"""The done-when test: a file with 30 kinds of bad rows gets 30 precise messages and leaves the
database untouched (row 2 is good, rows 3 to 32 each have one problem)."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from kuznia.db import registries as db
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.spreadsheet_import import import_table
from kuznia.spreadsheets.problems import SpreadsheetInvalid
from tests.integration.spreadsheets.workbooks import (
    PROPOSAL_HEADER,
    load_base_scenario,
    proposal,
    xlsx,
)

NAIVE_DAY = datetime(2026, 1, 15)  # noqa: DTZ001 (spreadsheet cells have no time zone)
WIDE = [*proposal("line-stray"), "stray"]

BAD_ROWS = [
    (proposal(""), "A (id): is required but empty"),
    (proposal("line 2"), "A (id): 'line 2' is not an identifier (no spaces)"),
    (proposal("x" * 101), "A (id): is longer than 100 characters"),
    (proposal("line-good"), "A (id): duplicate id 'line-good': already on row 2"),
    (proposal("b-5", company="co ua"), "B (company): 'co ua' is not an identifier (no spaces)"),
    (
        proposal("b-6", company_country="ua"),
        "C (company_country): 'ua' is not a country code (ISO 3166-1 alpha-2, e.g. UA)",
    ),
    (
        proposal("b-7", company_country="PL"),
        "C (company_country): company 'co-ua-1' is registered in UA, not PL",
    ),
    (
        proposal("b-8", company="co-new", company_country="DK"),
        "B (company): unknown company 'co-new': register it first",
    ),
    (
        proposal("b-9", site_country="Ukraine"),
        "D (site_country): 'Ukraine' is not a country code (ISO 3166-1 alpha-2, e.g. UA)",
    ),
    (proposal("b-10", capability="radar"), "E (capability): unknown capability 'radar'"),
    (proposal("b-11", capability=None), "E (capability): is required but empty"),
    (proposal("b-12", unit_cost="-5.00"), "F (unit_cost): must be at least 0, got -5.00"),
    (
        proposal("b-13", unit_cost="12.345"),
        "F (unit_cost): '12.345' is not a money amount (digits, at most 2 decimals, e.g. 550.00)",
    ),
    (
        proposal("b-14", unit_cost=12.3456),
        "F (unit_cost): the number 12.3456 has more than 2 decimals: type the amount as text, "
        "e.g. 550.00",
    ),
    (
        proposal("b-15", unit_cost="1,000.00"),
        "F (unit_cost): '1,000.00' is not a money amount (digits, at most 2 decimals, e.g. 550.00)",
    ),
    (
        proposal("b-16", unit_cost=True),
        "F (unit_cost): the logical value TRUE is not a money amount",
    ),
    (
        proposal("b-17", unit_cost=12345678901234.56),
        "F (unit_cost): the number 12345678901234.56 has more than 15 digits, more than a "
        "spreadsheet number holds exactly: type the amount as text",
    ),
    (
        proposal("b-18", currency="EUX"),
        "G (currency): unknown currency 'EUX' (expected an ISO 4217 code such as EUR)",
    ),
    (
        proposal("b-19", currency="JPY"),
        "G (currency): no exchange rate for JPY in the planning frame (it has DKK, EUR, USD)",
    ),
    (proposal("b-20", monthly_capacity=-1), "H (monthly_capacity): must be at least 0, got -1"),
    (proposal("b-21", monthly_capacity=12.5), "H (monthly_capacity): 12.5 is not a whole number"),
    (
        proposal("b-22", monthly_capacity=NAIVE_DAY),
        "H (monthly_capacity): the date 2026-01-15 is not a whole number",
    ),
    (
        proposal("b-23", lead_time_months="soon"),
        "I (lead_time_months): 'soon' is not a whole number",
    ),
    (proposal("b-24", ramp_up_months=0), "J (ramp_up_months): must be at least 1, got 0"),
    (proposal("b-25", setup_cost=None), "K (setup_cost): is required but empty"),
    (proposal("b-26", min_total_units=-3), "L (min_total_units): must be at least 0, got -3"),
    (proposal("b-27", ship_lag_months=-1), "M (ship_lag_months): must be at least 0, got -1"),
    (
        proposal("b-28", kind="offshore"),
        "N (kind): 'offshore' is not one of: 'in_ukraine', 'ukrainian_abroad', "
        "'foreign_in_ukraine' or 'partner_domestic'",
    ),
    (WIDE, "O: a value in a column without a header"),
    (proposal(NAIVE_DAY), "A (id): the date 2026-01-15 is not an id"),
]


def test_the_file_has_thirty_kinds_of_bad_rows():
    assert len({message for _, message in BAD_ROWS}) == 30


def test_thirty_bad_rows_get_thirty_precise_messages_and_the_database_is_untouched(database):
    load_base_scenario(database)
    good = proposal("line-good")
    data = xlsx({"proposals": [PROPOSAL_HEADER, good, *(row for row, _ in BAD_ROWS)]})
    with database.reading() as session:
        before = session.scalar(select(func.count()).select_from(db.Proposal))
        companies = session.scalar(select(func.count()).select_from(db.Company))
    with pytest.raises(SpreadsheetInvalid) as caught, database.unit_of_work(Actor.system()) as uow:
        import_table(uow, "proposals", "bad.xlsx", data)
    expected = [f"row {n}, column {message}" for n, (_, message) in enumerate(BAD_ROWS, start=3)]
    assert [f"{p.where}: {p.message}" for p in caught.value.row_problems] == expected
    assert "30 problem(s) in 30 row(s); nothing was changed" in str(caught.value)
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(db.Proposal)) == before
        assert session.scalar(select(func.count()).select_from(db.Company)) == companies
        assert session.get(db.Proposal, "line-good") is None
