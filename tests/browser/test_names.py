"""Names instead of ids, in the reader's language, and Sankey labels drawn whole."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from tests.browser.shots import log_in_any_language, shot

pytestmark = pytest.mark.browser


def test_the_ukrainian_flows_page_names_partners_in_ukrainian_and_cuts_no_label(
    browser_uk: Page, site: Site
) -> None:
    page = browser_uk
    log_in_any_language(page, site.url, *site.logins["coordinator"])
    page.goto(f"{site.url}/flows")
    labels = page.locator("figure svg text.label")
    expect(labels.first).to_be_visible()
    texts = labels.all_text_contents()
    assert not [t for t in texts if "…" in t]
    assert any("Данія" in t or "Європейський Союз" in t for t in texts)
    shot(page, "flows-uk")


def test_a_ukrainian_registry_table_shows_ukrainian_names_with_the_id_on_hover(
    browser_uk: Page, site: Site
) -> None:
    page = browser_uk
    log_in_any_language(page, site.url, *site.logins["coordinator"])
    page.goto(f"{site.url}/registries/requirements")
    first = page.locator("table.records tbody tr").first.locator("td").nth(1)
    expect(first).to_have_attribute("title", "fpv-10in")
    expect(first).to_contain_text("Ударний FPV-дрон")
    page.goto(f"{site.url}/registries/pledges/new")
    expect(page.locator("#partner_id")).to_contain_text("Данія")
    shot(page, "pledge-form-uk")
