"""Each role sees what it may, and no more: secret fields, other organisations' records."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def column(page: Page, name: str) -> list[str]:
    headers = page.locator("table.records thead th").all_inner_texts()
    index = next(i for i, h in enumerate(headers) if h.strip().startswith(name)) + 1
    return page.locator(f"table.records tbody td:nth-child({index})").all_inner_texts()


def column_ids(page: Page, name: str) -> list[str]:
    """The ids behind a column of names (each cell shows a name, its id on hover)."""
    headers = page.locator("table.records thead th").all_inner_texts()
    index = next(i for i, h in enumerate(headers) if h.strip().startswith(name)) + 1
    cells = page.locator(f"table.records tbody td:nth-child({index})")
    return [cells.nth(i).get_attribute("title") or "" for i in range(cells.count())]


def test_the_coordinator_sees_site_coordinates(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.get_by_role("link", name="Registries").click()
    page.get_by_role("link", name="Sites").click()
    expect(page.locator("table.records tbody tr").first).to_be_visible()
    expect(page.locator("[data-secret]")).to_have_count(0)
    assert all(value not in ("", "–") for value in column(page, "Latitude"))
    screenshot(page, "registry-sites-coordinator")


def test_a_company_sees_only_its_own_sites_and_no_other_firms_coordinates(
    page: Page, site: Site
) -> None:
    log_in(page, site, "company")
    page.goto(site.url + "/registries/sites")
    expect(page.locator("table.records tbody tr").first).to_be_visible()
    assert set(column_ids(page, "Company")) == {site.company_id}
    expect(page.locator("[data-secret]")).to_have_count(0)
    expect(page.get_by_role("link", name="Plan", exact=True)).to_have_count(0)
    screenshot(page, "registry-sites-company")


def test_an_auditor_sees_every_site_with_its_location_hidden_and_cannot_add_records(
    page: Page, site: Site
) -> None:
    log_in(page, site, "auditor")
    page.goto(site.url + "/registries/sites")
    expect(page.locator("[data-secret]").first).to_have_text("hidden")
    assert len(set(column(page, "Company"))) > 1
    screenshot(page, "registry-sites-auditor")
    page.goto(site.url + "/registries/pledges")
    expect(page.get_by_role("link", name="Add a record")).to_have_count(0)
    screenshot(page, "registry-pledges-auditor")


def test_a_partner_sees_its_own_pledges_only(page: Page, site: Site) -> None:
    log_in(page, site, "partner")
    page.goto(site.url + "/registries/pledges")
    expect(page.locator("table.records tbody tr").first).to_be_visible()
    assert set(column_ids(page, "Partner")) == {site.partner_id}
    expect(page.get_by_role("link", name="Investments")).to_have_count(0)
    screenshot(page, "registry-pledges-partner")


def test_a_partner_sees_its_contracts_but_not_where_deliveries_go(page: Page, site: Site) -> None:
    log_in(page, site, "partner")
    page.get_by_role("link", name="Contracts").click()
    expect(page.get_by_role("link", name="Notional contract c-demo-dk")).to_be_visible()
    expect(page.get_by_role("link", name="Notional contract c-demo-de")).to_have_count(0)
    page.get_by_role("link", name="Notional contract c-demo-dk").click()
    expect(page.locator("[data-secret]")).to_have_text("hidden")
    screenshot(page, "contract-partner")


def test_the_delivering_company_sees_the_destination_of_its_delivery(
    page: Page, site: Site
) -> None:
    log_in(page, site, "company")
    page.goto(site.url + "/contracts/c-demo-dk")
    expect(page.get_by_text("Notional depot 7, Kharkiv region")).to_be_visible()
    page.goto(site.url + "/contracts/c-demo-de")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_the_coordinator_sees_every_contract(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/contracts")
    expect(page.get_by_role("link", name="Notional contract c-demo-de")).to_be_visible()
    expect(page.get_by_role("link", name="Notional contract c-demo-dk")).to_be_visible()
    screenshot(page, "contracts")
    page.get_by_role("link", name="Notional contract c-demo-dk").click()
    screenshot(page, "contract-coordinator")
