"""The reference registries' edit forms and the contract pages' names, in English and
Ukrainian: a capability's Ukrainian name set in the browser (its error path first), the
contract list and a contract page naming partners, firms, capabilities and lines (the ids on
hover). Screenshots go to ``artifacts/screenshots``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.money import Money
from tests.browser.conftest import Site, log_in, screenshot
from tests.browser.shots import log_in_any_language

pytestmark = pytest.mark.browser
CAPABILITY = "fpv-10in"  # in the small demo, with a Ukrainian name (kept as it is here)


def test_the_coordinator_edits_a_capability_with_its_ukrainian_name(page: Page, site: Site):
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/registries/capabilities/{CAPABILITY}")
    page.get_by_role("link", name="Change this record").click()
    expect(page.locator("#name_uk")).to_have_value(re.compile("^Ударний FPV-дрон"))
    expect(page.locator("#hint-name_uk")).to_contain_text("Ukrainian readers")
    page.locator("#name").fill("")
    page.locator("#category_uk").fill("дрони-тест")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-name")).to_contain_text("Enter a value.")
    expect(page.locator("#category_uk")).to_have_value("дрони-тест")  # what was typed stays
    screenshot(page, "capability-edit-errors-en")
    with site.database.reading() as session:
        capability = session.get(db.Capability, CAPABILITY)
        assert capability is not None
        name, category_uk = capability.name, capability.category_uk
    page.locator("#name").fill(name)
    page.locator("#category_uk").fill(category_uk or "")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Ударний FPV-дрон")


def test_a_ukrainian_coordinator_sees_the_edit_form_in_ukrainian(
    browser_uk: Page, site: Site
) -> None:
    page = browser_uk
    log_in_any_language(page, site.url, *site.logins["coordinator"])
    page.goto(f"{site.url}/registries/partners/{site.partner_id}/edit")
    expect(page.locator("#name_uk")).to_be_visible()
    screenshot(page, "partner-edit-uk")
    page.goto(f"{site.url}/registries/capabilities/{CAPABILITY}/edit")
    screenshot(page, "capability-edit-uk")


def _contract_pages(page: Page, site: Site, lang: str) -> None:
    page.goto(f"{site.url}/contracts")
    row = page.locator("table tbody tr").filter(has=page.locator('a[href="/contracts/c-demo-dk"]'))
    partner = row.locator("td").nth(2)
    expect(partner).to_have_attribute("title", "partner-dk")
    expect(partner).to_have_text("Данія" if lang == "uk" else "Denmark")
    expect(row.locator("td").nth(4)).not_to_have_text("fpv-10in")
    screenshot(page, f"contracts-{lang}")
    page.goto(f"{site.url}/contracts/c-demo-dk")
    expect(page.locator("#contract-partner")).to_have_attribute("title", "partner-dk")
    expect(page.locator("#contract-company")).to_have_attribute("title", site.company_id)
    expect(page.locator("#contract-company")).not_to_have_text(site.company_id)
    screenshot(page, f"contract-{lang}")


def test_the_contract_list_and_page_name_the_parties_in_both_languages(
    browser: Browser, site: Site
) -> None:
    for lang, locale in (("en", "en-GB"), ("uk", "uk-UA")):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
        page = context.new_page()
        log_in_any_language(page, site.url, *site.logins["coordinator"])
        _contract_pages(page, site, lang)
        context.close()


def test_a_funded_line_above_its_pledges_free_money_is_offered_for_the_free_money(
    page: Page, site: Site
) -> None:
    """The demo plan ignores what c-demo-de committed from Germany's pledge: its line there
    costs more than the pledge has free, so the plan page offers it by hand for the free money."""
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/plan#funded-lines")
    offer = page.get_by_role("link", name=re.compile("Draw it up for the free money"))
    row = page.locator("#funded tbody tr").filter(has=offer).first
    offer = row.get_by_role("link", name=re.compile("Draw it up for the free money"))
    expect(row).to_contain_text("free; this line's contract would be")
    screenshot(page, "plan-funded-line-above-free-money")
    pledge_id = row.get_attribute("data-pledge") or ""
    offer.click()
    expect(page.locator("#pledge_id")).to_have_value(pledge_id)
    with site.database.reading() as session:
        pledge = session.get(db.Pledge, pledge_id)
        assert pledge is not None
        free = Money(pledge.amount_cents, pledge.currency) - _committed(session, pledge_id)
    expect(page.locator("#amount")).to_have_value(str(free.amount))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("The draft contract was drawn up.")
    screenshot(page, "contract-drawn-for-the-free-money")


def _committed(session: Session, pledge_id: str) -> Money:
    pledge = session.get(db.Pledge, pledge_id)
    assert pledge is not None
    cents = session.scalar(
        select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
            MoneyFlow.pledge_id == pledge_id, MoneyFlow.kind == FlowKind.COMMITMENT
        )
    )
    return Money(int(cents or 0), pledge.currency)
