"""Forms: a bad value is named next to its field; a good record is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_pledge_with_a_bad_amount_and_month_shows_a_message_next_to_each_field(
    page: Page, site: Site
) -> None:
    log_in(page, site, "partner")
    page.goto(site.url + "/registries/pledges/new")
    expect(page.get_by_label("Partner")).to_have_value(site.partner_id)
    page.get_by_label("Amount").fill("twelve million")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Valid from").fill("2026-13")
    page.get_by_label("Valid to").fill("2026-12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator("#error-amount")).to_contain_text("Enter an amount such as 1250000.00")
    expect(page.locator("#error-valid_from")).to_contain_text("Enter a month as YYYY-MM")
    expect(page.get_by_label("Amount")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "form-errors")


def test_a_rule_of_the_service_comes_back_next_to_its_field_and_a_good_pledge_is_saved(
    page: Page, site: Site
) -> None:
    log_in(page, site, "partner")
    page.goto(site.url + "/registries/pledges/new")
    page.get_by_label("Id", exact=False).first.fill("pl-browser-test")
    page.get_by_label("Amount").fill("12500000")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Valid from").fill("2026-09")
    page.get_by_label("Valid to").fill("2026-06")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-valid_to")).to_contain_text("Must not be before the first month")
    page.get_by_label("Valid from").fill("2026-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The record was saved")
    expect(page.locator("table.records tbody tr")).to_have_count(1)
    expect(page.locator("table.records")).to_contain_text("pl-browser-test")


def test_a_company_proposes_a_capacity_project_and_a_wrong_kind_is_named_next_to_it(
    page: Page, site: Site
) -> None:
    log_in(page, site, "company")
    page.goto(site.url + "/registries/capacity_projects/new")
    expect(page.get_by_label("Company")).to_have_value(site.company_id)
    page.get_by_label("Id", exact=False).first.fill("proj-browser-test")
    page.get_by_label("Site country").fill("DK")
    page.get_by_label("Capability").select_option(index=1)
    page.get_by_label("Kind").select_option("foreign_in_ukraine")
    page.get_by_label("Capital cost").fill("12000000")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Earliest start").fill("2026-04")
    page.get_by_label("Build time (months)").fill("9")
    page.get_by_label("Unit cost once built").fill("450")
    page.get_by_label("Monthly capacity once built").fill("8000")
    page.get_by_label("Ramp-up (months)").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-kind")).to_contain_text("not foreign_in_ukraine")
    page.get_by_label("Output to Ukraine until").fill("2030-12")
    page.get_by_label("Share to Ukraine (%)").fill("100")
    screenshot(page, "project-form-errors")
    page.get_by_label("Kind").select_option("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The record was saved")
    expect(page.locator("table.records")).to_contain_text("proj-browser-test")
    screenshot(page, "project-saved")
