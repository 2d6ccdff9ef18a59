import pytest
from sqlalchemy import func, select

from kuznia.db import registries as db
from kuznia.errors import Forbidden, InvalidInput
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries.review import review_in_bulk
from kuznia.services.registries.spreadsheet_import import import_table
from kuznia.spreadsheets.problems import SpreadsheetInvalid
from tests.integration.spreadsheets.workbooks import (
    PROPOSAL_HEADER,
    csv_bytes,
    load_base_scenario,
    proposal,
    xlsx,
)


def run(database, kind, filename, data, dry_run=False, actor=None):
    with database.unit_of_work(actor or Actor.system("test")) as uow:
        return import_table(uow, kind, filename, data, dry_run)


def count(database, model):
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def loaded(database):
    load_base_scenario(database)
    return database


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_new_rows_are_created_and_the_same_file_again_changes_nothing(loaded, file_format):
    rows = [PROPOSAL_HEADER, proposal("line-9"), proposal("line-10", unit_cost="12.50")]
    data = csv_bytes(rows) if file_format == "csv" else xlsx({"proposals": rows})
    first = run(loaded, "proposals", f"p.{file_format}", data)
    assert first.counts == {"create": 2, "update": 0, "unchanged": 0}
    again = run(loaded, "proposals", f"p.{file_format}", data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    with loaded.reading() as session:
        line = session.get(db.Proposal, "line-10")
        assert (line.unit_cost_cents, line.status, line.version) == (1250, "submitted", 1)


def test_a_dry_run_reports_field_differences_and_writes_nothing(loaded):
    data = csv_bytes(
        [PROPOSAL_HEADER, proposal("line-1", unit_cost="560.00", currency="USD"), proposal()]
    )
    report = run(loaded, "proposals", "p.csv", data, dry_run=True)
    assert report.dry_run
    update, create = report.records
    assert (update.row, update.record_id, update.action) == (2, "line-1", "update")
    changed = {f.field: (f.old, f.new) for f in update.fields}
    assert changed["unit_cost"] == ("550.00", "560.00")
    assert changed["monthly_capacity"] == (400, 100)
    assert (create.record_id, create.action) == ("line-9", "create")
    assert count(loaded, db.Proposal) == 2
    with loaded.reading() as session:
        assert session.get(db.Proposal, "line-1").unit_cost_cents == 55_000


def test_an_update_bumps_the_version_but_keeps_review_status_and_site(loaded):
    with loaded.transaction() as session:
        session.add(db.Site(id="site-1", company_id="co-ua-1", name="s", country="UA"))
        line = session.get(db.Proposal, "line-1")
        line.status, line.site_id = "rejected", "site-1"
    run(loaded, "proposals", "p.csv", csv_bytes([PROPOSAL_HEADER, proposal("line-1")]))
    with loaded.reading() as session:
        line = session.get(db.Proposal, "line-1")
        assert (line.status, line.site_id, line.version) == ("rejected", "site-1", 2)


def test_unknown_companies_and_partners_are_errors_reported_with_the_format_errors(loaded):
    rows = [
        PROPOSAL_HEADER,
        proposal(company="co-new", company_country="PL", site_country="PL"),
        proposal("line-8", company="co-other", capability="radar", unit_cost="-1.00"),
    ]
    with pytest.raises(SpreadsheetInvalid) as caught:
        run(loaded, "proposals", "p.csv", csv_bytes(rows))
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column B (company): unknown company 'co-new': register it first",
        "row 3, column B (company): unknown company 'co-other': register it first",
        "row 3, column E (capability): unknown capability 'radar'",
        "row 3, column F (unit_cost): must be at least 0, got -1.00",
    ]
    pledges = [
        ["id", "partner", "amount", "currency", "valid_from", "valid_to", "capabilities"],
        ["pledge-se", "se", "1000000.00", "EUR", "2026-01", "2026-06", "fpv; shell-155"],
    ]
    with pytest.raises(SpreadsheetInvalid, match="unknown partner 'se': register it first"):
        run(loaded, "pledges", "g.csv", csv_bytes(pledges))
    with loaded.reading() as session:
        assert session.get(db.Company, "co-new") is None
        assert session.get(db.Partner, "se") is None
        assert session.get(db.Pledge, "pledge-se") is None


def test_imported_records_are_unreviewed_until_the_coordinator_reviews_them(loaded):
    pledges = [
        ["id", "partner", "amount", "currency", "valid_from", "valid_to"],
        ["pledge-dk-2", "dk", "1000000.00", "EUR", "2026-01", "2026-06"],
    ]
    run(loaded, "pledges", "g.csv", csv_bytes(pledges))
    run(loaded, "proposals", "p.csv", csv_bytes([PROPOSAL_HEADER, proposal("line-9")]))
    with loaded.reading() as session:
        assert session.get(db.Pledge, "pledge-dk-2").status == "offered"
        assert session.get(db.Proposal, "line-9").status == "submitted"
    coordinator = Actor(role=Role.COORDINATOR, user_id="olena", label="olena@ministry")
    with loaded.unit_of_work(coordinator) as uow:
        done = review_in_bulk(uow)
        actors = {c.record_id: uow.actor.name for c in uow.changes}
    assert (done.proposals, done.pledges) == (("line-9",), ("pledge-dk-2",))
    assert actors == {"line-9": "olena@ministry", "pledge-dk-2": "olena@ministry"}
    with loaded.reading() as session:
        assert session.get(db.Pledge, "pledge-dk-2").status == "confirmed"
        assert session.get(db.Proposal, "line-9").status == "vetted"
    company = Actor(role=Role.COMPANY, user_id="ivan", company_id="co-ua-1", label="ivan")
    with pytest.raises(Forbidden), loaded.unit_of_work(company) as uow:
        review_in_bulk(uow)


def test_references_are_checked_against_the_database_and_nothing_is_written(loaded):
    rows = [
        PROPOSAL_HEADER,
        proposal("line-9"),
        proposal("line-10", capability="radar"),
        proposal("line-11", currency="JPY"),
        proposal("line-12", company_country="PL"),
    ]
    with pytest.raises(SpreadsheetInvalid) as caught:
        run(loaded, "proposals", "p.csv", csv_bytes(rows))
    assert [str(p) for p in caught.value.problems] == [
        "row 3, column E (capability): unknown capability 'radar'",
        "row 4, column G (currency): no exchange rate for JPY in the planning frame "
        "(it has DKK, EUR, USD)",
        "row 5, column C (company_country): company 'co-ua-1' is registered in UA, not PL",
    ]
    assert count(loaded, db.Proposal) == 2


def test_without_a_planning_frame_money_rows_say_what_to_import_first(database):
    with database.transaction() as session:
        session.add(db.Capability(id="fpv", name="FPV", unit="drone"))
    with pytest.raises(SpreadsheetInvalid, match="no planning frame yet"):
        run(database, "proposals", "p.csv", csv_bytes([PROPOSAL_HEADER, proposal()]))


def test_requirements_and_capabilities_import_without_a_planning_frame(database):
    caps = [["id", "name", "unit", "category"], ["fpv", "FPV drone", "drone", ""]]
    run(database, "capabilities", "c.csv", csv_bytes(caps))
    needs = [
        ["id", "capability", "quantity", "due_month", "priority"],
        ["req-1", "fpv", 100, "2026-05", 1.5],
    ]
    report = run(database, "requirements", "r.xlsx", xlsx({"Requirements": needs}))
    assert report.counts["create"] == 1
    with database.reading() as session:
        assert session.get(db.Capability, "fpv").category is None


def test_only_a_coordinator_may_import(loaded):
    partner = Actor(role=Role.PARTNER, partner_id="dk")
    with pytest.raises(Forbidden):
        run(loaded, "proposals", "p.csv", csv_bytes([PROPOSAL_HEADER]), actor=partner)


def test_a_file_that_is_not_csv_or_xlsx_is_bad_input(loaded):
    with pytest.raises(InvalidInput, match=r"expected a \.csv or \.xlsx"):
        run(loaded, "proposals", "p.ods", b"")
    with pytest.raises(InvalidInput, match=r"not a readable \.xlsx"):
        run(loaded, "proposals", "p.xlsx", b"not a zip")
