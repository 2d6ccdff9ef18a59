"""A one-time password changed after the first login, API tokens, and a spreadsheet imported
through a preview; each form's happy and error path. Screenshots to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.db.identity import Organisation
from kuznia.services.identity import users
from kuznia.services.kernel.actors import Actor
from tests.browser.conftest import Site, log_in
from tests.browser.shots import log_in_any_language, shot

pytestmark = pytest.mark.browser
HEADER = ("id,company,company_country,site_country,capability,unit_cost,currency,"
          "monthly_capacity,lead_time_months,ramp_up_months,setup_cost,min_total_units,"
          "ship_lag_months,kind\n")  # fmt: skip


def _new_user(site: Site, email: str) -> str:
    """A user the ministry added, with the one-time password it was given."""
    password = "given-once-1234"
    with site.database.unit_of_work(Actor.system("browser-tests")) as uow:
        ministry = uow.session.scalars(select(Organisation)).first()
        assert ministry is not None
        users.create_user(uow, organisation_id=ministry.id, email=email, name="New planner",
                          password=password)  # fmt: skip
    return password


def test_a_user_with_a_one_time_password_is_sent_to_change_it_and_errors_show_at_once(
    page: Page, site: Site
) -> None:
    given = _new_user(site, "new.planner@demo.kuznia.test")
    page.goto(f"{site.url}/login")
    page.get_by_label("Email").fill("new.planner@demo.kuznia.test")
    page.get_by_label("Password").fill(given)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/password?first=1*")
    expect(page.get_by_role("status")).to_contain_text("one-time password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("other")
    page.get_by_role("button", name="Change the password").click()
    expect(page.locator("#error-current_password")).to_be_visible()
    expect(page.locator("#error-new_password")).to_contain_text("at least 12")
    expect(page.locator("#error-repeat_password")).to_contain_text("differ")
    shot(page, "password-errors")
    page.get_by_label("Current password").fill(given)
    page.get_by_label("New password", exact=True).fill("three unrelated words")
    page.get_by_label("New password again").fill("three unrelated words")
    page.get_by_role("button", name="Change the password").click()
    page.wait_for_url(f"{site.url}/")


def test_a_token_is_shown_once_a_second_of_the_same_name_is_refused_and_it_is_revoked(
    page: Page, site: Site
) -> None:
    log_in(page, site, "auditor")
    page.goto(f"{site.url}/account/tokens")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#error-name")).to_be_visible()
    page.get_by_label("Name").fill("nightly check")
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("#new-token")
    expect(token).to_contain_text("kz")
    shot(page, "token-made")
    page.get_by_label("Name").fill("nightly check")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#error-name")).to_contain_text("live token of this name")
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke nightly check").click()
    expect(page.get_by_role("status")).to_contain_text("The token is revoked")
    expect(page.locator("table.tokens")).to_contain_text("revoked")


def _lines_csv(site: Site, tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "proposals.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_an_import_with_bad_cells_lists_each_by_row_and_column_and_writes_nothing(
    page: Page, site: Site, tmp_path: Path
) -> None:
    bad = _lines_csv(site, tmp_path, [
        f"imp-bad-1,{site.company_id},UA,UA,fpv-10in,lots,EUR,10,0,1,0,0,0,in_ukraine",
        f"imp-bad-2,{site.company_id},UA,UA,no-such-thing,10.00,EUR,10,0,1,0,0,0,in_ukraine",
    ])  # fmt: skip
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/import")
    page.get_by_label("What the file holds").select_option("proposals")
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    problems = page.locator("table.import-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(page.locator("table.import-problems")).to_contain_text("unit_cost")
    expect(page.locator("table.import-problems")).to_contain_text("no-such-thing")
    shot(page, "import-errors")
    with site.database.reading() as session:
        assert session.get(db.Proposal, "imp-bad-1") is None


def test_an_import_previewed_then_confirmed_writes_exactly_the_preview_once(
    page: Page, site: Site, tmp_path: Path
) -> None:
    good = _lines_csv(site, tmp_path, [
        f"imp-line-1,{site.company_id},UA,UA,fpv-10in,480.00,EUR,100,0,1,0,0,0,in_ukraine",
        f"imp-line-2,{site.company_id},UA,UA,ew-trench,1200.00,EUR,40,1,2,0,0,0,in_ukraine",
    ])  # fmt: skip
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/import")
    page.get_by_label("What the file holds").select_option("proposals")
    page.get_by_label("File", exact=True).set_input_files(str(good))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("table.import-changes tbody tr")).to_have_count(2)
    shot(page, "import-preview")
    with site.database.reading() as session:
        assert session.get(db.Proposal, "imp-line-1") is None  # a preview writes nothing
    form = page.locator("form.confirm-import")
    sent = {
        n: form.locator(f"input[name={n}]").get_attribute("value") or ""
        for n in ("csrf_token", "kind", "filename", "payload", "fingerprint", "signature")
    }
    page.get_by_role("button", name="Import 2 changes").click()
    expect(page.get_by_role("status")).to_contain_text("Imported")
    shot(page, "import-done")
    replay = page.request.post(f"{site.url}/registries/import/confirm", form=sent)
    assert replay.status == 409  # the same confirmation again imports nothing twice
    with site.database.reading() as session:
        line = session.get(db.Proposal, "imp-line-1")
        assert line is not None
        assert line.status == "submitted"  # imported records wait for review


def test_the_registry_page_offers_its_downloads_and_a_partner_gets_its_csv(
    page: Page, site: Site
) -> None:
    log_in(page, site, "partner")
    page.goto(f"{site.url}/registries/pledges")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this registry (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("id,partner_id,amount_cents")
    assert all(site.partner_id in line for line in text.splitlines()[1:])
    expect(page.get_by_role("link", name="Import a spreadsheet")).to_have_count(0)


def test_the_plan_page_offers_the_plan_as_json_and_workbook(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/plan")
    with page.expect_download() as download:
        page.get_by_role("link", name="The plan with its inputs (workbook)").click()
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    answer = page.request.get(f"{site.url}/downloads/plan.json")
    assert answer.status == 200
    assert answer.json()["plan"]["format"].startswith("kuznia.plan")


def test_in_ukrainian_the_import_page_reports_bad_cells(
    browser_uk: Page, site: Site, tmp_path: Path
) -> None:
    page = browser_uk
    bad = _lines_csv(site, tmp_path, [
        f"imp-uk-1,{site.company_id},UA,UA,fpv-10in,10.00,EUR,many,0,1,0,0,0,in_ukraine",
    ])  # fmt: skip
    log_in_any_language(page, site.url, *site.logins["coordinator"])
    page.goto(f"{site.url}/registries/import")
    page.locator("#kind").select_option("proposals")
    page.locator("#file").set_input_files(str(bad))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("table.import-problems tbody tr")).to_have_count(1)
    shot(page, "import-errors-uk")
