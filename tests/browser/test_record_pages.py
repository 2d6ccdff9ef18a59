"""Record pages: editing with If-Match (a stale form says what changed), the ministry's review
with a reason, a pledge confirmed and withdrawn; each form's happy and error path, in English
and Ukrainian. Screenshots go to a temporary folder (``screens``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries import records
from tests.browser.conftest import Site, log_in
from tests.browser.shots import log_in_any_language, shot

pytestmark = pytest.mark.browser
COORDINATOR = Actor(role=Role.COORDINATOR, label="browser-tests")


def _submitted_proposal(site: Site, ident: str) -> str:
    """A proposal of the company login's firm, waiting for review (no plan uses it)."""
    with site.database.reading() as session:
        country = session.get(db.Company, site.company_id).country  # type: ignore[union-attr]
    capability = "fpv-10in"  # in the small demo; its Ukrainian name is checked below
    company = Actor(role=Role.COMPANY, label="company", company_id=site.company_id)
    line = {"id": ident, "company_id": site.company_id, "site_country": country,
            "capability_id": capability, "unit_cost_cents": 1_000_00, "currency": "EUR",
            "monthly_capacity": 10, "lead_time_months": 0, "ramp_up_months": 1}  # fmt: skip
    with site.database.unit_of_work(company) as uow:
        return str(records.create_record(uow, "proposals", line)["id"])


def _offered_pledge(site: Site, ident: str) -> str:
    body = {"id": ident, "partner_id": site.partner_id, "amount_cents": 1_000_000_00,
            "currency": "EUR", "valid_from": "2026-01", "valid_to": "2026-12"}  # fmt: skip
    partner = Actor(role=Role.PARTNER, label="partner", partner_id=site.partner_id)
    with site.database.unit_of_work(partner) as uow:
        return str(records.create_record(uow, "pledges", body)["id"])


def _first_need(site: Site) -> str:
    with site.database.reading() as session:
        need = session.scalars(select(db.Requirement.id).order_by(db.Requirement.id)).first()
    assert need is not None
    return need


def test_a_registry_row_links_to_its_record_page_which_names_what_it_refers_to(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/registries/requirements")
    page.locator("table.records tbody tr").first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Need")
    with site.database.reading() as session:
        need = session.get(db.Requirement, page.url.rsplit("/", 1)[1])
        assert need is not None
        capability_id = need.capability_id
    capability = page.locator('dd[data-field="capability_id"]')
    expect(capability).to_have_attribute("title", capability_id)
    expect(capability).not_to_have_text(capability_id)  # the name, with the id on hover
    shot(page, "record-need")


def test_a_need_edited_with_bad_values_shows_every_error_in_place_then_saves(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/requirements/{_first_need(site)}/edit")
    expect(page.get_by_label("Quantity")).not_to_have_value("")
    page.get_by_label("Quantity").fill("0")
    page.get_by_label("Due month").fill("2026-13")
    page.get_by_label("Priority").fill("much")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator("#error-due_month")).to_contain_text("YYYY-MM")
    expect(page.locator("#error-priority")).to_contain_text("Enter a number")
    shot(page, "edit-need-errors")
    page.get_by_label("Quantity").fill("4321")
    page.get_by_label("Due month").fill("2026-06")
    page.get_by_label("Priority").fill("1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The record was saved")
    expect(page.locator('dd[data-field="quantity"]')).to_contain_text("4,321")


def test_a_stale_edit_form_says_what_changed_and_keeps_the_input(page: Page, site: Site) -> None:
    need = _first_need(site)
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/requirements/{need}/edit")
    with site.database.unit_of_work(COORDINATOR) as uow:  # someone else, meanwhile
        records.update_record(uow, "requirements", need, {"priority": 7.25}, None)
    page.get_by_label("Quantity").fill("1234")
    page.get_by_role("button", name="Save").click()
    alert = page.locator(".error-summary.stale")
    expect(alert).to_contain_text("Someone changed this record")
    expect(alert.locator("table.changes")).to_contain_text("7.25")
    expect(page.get_by_label("Quantity")).to_have_value("1234")
    shot(page, "edit-need-stale")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The record was saved")


def test_the_ministry_must_give_a_reason_to_reject_a_proposal(page: Page, site: Site) -> None:
    proposal = _submitted_proposal(site, "pr-browser-review")
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/proposals/{proposal}")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#error-reason")).to_contain_text("Say why")
    shot(page, "review-no-reason")
    page.locator("#reason").fill("The unit cost is three times the market price.")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("status")).to_contain_text("The proposal is rejected")
    expect(page.locator('dd[data-field="review_reason"]')).to_contain_text("three times")
    expect(page.locator('dd[data-field="status"]')).to_contain_text("rejected")


def test_a_partner_confirms_and_withdraws_its_pledge_and_a_replay_changes_nothing(
    page: Page, site: Site
) -> None:
    pledge = _offered_pledge(site, "pl-browser-steps")
    log_in(page, site, "partner")
    page.goto(f"{site.url}/registries/pledges/{pledge}")
    expect(page.get_by_role("button", name="Confirm the pledge")).to_be_visible()
    form = page.locator("form.pledge-steps")
    sent = {name: form.locator(f"input[name={name}]").get_attribute("value") or ""
            for name in ("csrf_token", "version")}  # fmt: skip
    page.get_by_role("button", name="Confirm the pledge").click()
    expect(page.get_by_role("status")).to_contain_text("The pledge is confirmed")
    # the same form sent again (a double click, a replay): found stale, nothing done twice
    replay = page.request.post(f"{site.url}/registries/pledges/{pledge}/status",
                               form={**sent, "step": "confirm"}, max_redirects=0)  # fmt: skip
    assert replay.status == 409
    assert "Someone changed this record" in replay.text()
    page.reload()
    page.get_by_role("button", name="Withdraw the pledge").click()
    expect(page.locator('dd[data-field="status"]')).to_contain_text("withdrawn")
    expect(page.get_by_role("button", name="Confirm the pledge")).to_have_count(0)
    shot(page, "pledge-withdrawn")


def test_in_ukrainian_a_record_names_its_capability_in_ukrainian_and_reports_errors(
    browser_uk: Page, site: Site
) -> None:
    page = browser_uk
    proposal = _submitted_proposal(site, "pr-browser-uk")
    log_in_any_language(page, site.url, *site.logins["coordinator"])
    page.goto(f"{site.url}/registries/proposals/{proposal}")
    expect(page.locator('dd[data-field="capability_id"]')).to_contain_text(
        "Ударний FPV-дрон"
    )  # the first capability by id is fpv-10in
    page.locator("button[name=step][value=reject]").click()
    expect(page.locator("#error-reason")).to_be_visible()
    shot(page, "review-no-reason-uk")
    page.goto(f"{site.url}/registries/requirements/{_first_need(site)}/edit")
    page.locator("#quantity").fill("many")
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#error-quantity")).to_be_visible()
    shot(page, "edit-need-errors-uk")


def test_the_record_page_lays_out_on_a_tablet(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, site, "partner")
    page.goto(f"{site.url}/registries/pledges")
    page.locator("table.records tbody tr").first.get_by_role("link").click()
    expect(page.locator("dl.record-fields")).to_be_visible()
    shot(page, "record-pledge-tablet")
    context.close()
