"""The main pages, seen by each role in a real browser."""

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
    screenshot(page, "overview-public")


def test_a_coordinator_logs_in_and_sees_every_registry_with_site_locations(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    screenshot(page, "overview-coordinator")
    page.get_by_role("link", name="Registries").click()
    page.get_by_role("link", name="Sites").click()
    expect(page.locator("table.records tbody tr").first).to_be_visible()
    expect(page.locator("[data-secret]")).to_have_count(0)
    screenshot(page, "registry-sites-coordinator")


def test_a_company_sees_only_its_own_sites_and_no_other_firms_coordinates(
    page: Page, site: Site
) -> None:
    log_in(page, site, "company")
    page.goto(site.url + "/registries/sites")
    rows = page.locator("table.records tbody tr")
    expect(rows.first).to_be_visible()
    company_cells = page.locator("table.records tbody tr td:nth-child(2)")
    owners = set(company_cells.all_inner_texts())
    assert len(owners) == 1, owners
    screenshot(page, "registry-sites-company")


def test_an_auditor_sees_other_firms_sites_with_their_location_hidden(
    page: Page, site: Site
) -> None:
    log_in(page, site, "auditor")
    page.goto(site.url + "/registries/sites")
    expect(page.locator("[data-secret]").first).to_have_text("hidden")
    screenshot(page, "registry-sites-auditor")
