"""The main pages in a real browser, as the public and as the coordinator; a screenshot each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_visitor_who_is_not_logged_in_sees_the_public_overview_labelled_notional(
    page: Page, site: Site
) -> None:
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("notional")
    expect(page.get_by_role("img", name="Needs coverage by capability over time")).to_be_visible()
    expect(page.get_by_role("link", name="Registries")).to_have_count(0)
    expect(page.locator("#money")).to_contain_text("All partners")
    screenshot(page, "overview-public")


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_form_for_the_registries(
    page: Page, site: Site
) -> None:
    page.goto(site.url + "/registries/sites")
    expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
    screenshot(page, "login")


def test_the_coordinator_sees_the_overview_with_every_partner_and_the_ledger_figures(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    expect(page.locator("#money")).to_contain_text("Denmark")
    expect(page.locator("#money")).to_contain_text("Germany")
    expect(page.locator("#money .legend")).to_contain_text("Committed")
    expect(page.locator("#capacity .legend")).to_contain_text("Delivered")
    screenshot(page, "overview-coordinator")


def test_the_funding_flows_page_draws_a_sankey_diagram_with_a_table_of_its_figures(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.get_by_role("link", name="Funding flows").click()
    figure = page.locator("#flows")
    expect(figure.get_by_role("img")).to_be_visible()
    expect(figure.locator("path.link").first).to_be_attached()
    figure.get_by_text("Show the figures as a table").click()
    expect(figure.locator("table tbody tr").first).to_be_visible()
    screenshot(page, "flows")


def test_the_plan_page_compares_with_the_baseline_and_explains_unmet_needs(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(
        page.get_by_role("img", name="Value of the plan against the greedy baseline")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Needs not fully met, and why")).to_be_visible()
    expect(
        page.get_by_role("img", name="What one more million would buy, per pledge")
    ).to_be_visible()
    page.get_by_label("Capability").select_option(index=1)
    expect(page.locator("#production-chart")).to_contain_text("Production and deliveries over time")
    screenshot(page, "plan")


def test_a_registry_is_searched_sorted_and_paged_in_place(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/registries/proposals")
    rows = page.locator("table.records tbody tr")
    expect(page.get_by_role("link", name="Next page")).to_be_visible()
    page.get_by_role("link", name="Unit cost").click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Unit cost")
    page.get_by_label("Search by id or name").fill("pr-0000")
    expect(rows).to_have_count(9)
    screenshot(page, "registry-proposals")


def test_the_layout_fits_a_tablet_screen(browser_tablet: Page, site: Site) -> None:
    browser_tablet.goto(site.url + "/")
    expect(browser_tablet.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    width = browser_tablet.evaluate("document.documentElement.scrollWidth")
    assert width <= 820, width
    screenshot(browser_tablet, "overview-tablet")


def test_the_keyboard_reaches_the_skip_link_first_and_it_jumps_to_the_content(
    page: Page, site: Site
) -> None:
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
