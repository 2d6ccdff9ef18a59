"""English and Ukrainian: the switcher changes every text and the choice is remembered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_switching_to_ukrainian_translates_the_pages_and_is_remembered(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.get_by_role("link", name="Українська").click()
    expect(page.get_by_role("heading", name="Огляд", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("note")).to_contain_text("умовні")
    screenshot(page, "overview-uk")
    page.get_by_role("link", name="План", exact=True).click()
    expect(page.get_by_role("heading", name="План", level=1)).to_be_visible()
    screenshot(page, "plan-uk")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Plan", level=1)).to_be_visible()


def test_a_ukrainian_browser_gets_ukrainian_before_choosing(site: Site, browser_uk: Page) -> None:
    browser_uk.goto(site.url + "/login")
    expect(browser_uk.get_by_role("heading", name="Увійти", level=1)).to_be_visible()
