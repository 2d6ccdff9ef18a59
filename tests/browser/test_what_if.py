"""What-if: change a pledge, re-plan, and see the difference beside the current plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_coordinator_raises_a_pledge_and_sees_the_plan_change_side_by_side(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.get_by_role("link", name="What-if").click()
    page.get_by_label("Start from").select_option(label="pl-nl-purl (Netherlands)")
    expect(page.locator("legend").first).to_contain_text("pl-nl-purl")
    page.get_by_label("Amount").fill("60000000.00")
    page.get_by_label("Earmarked site countries").fill("")  # lift the earmark on where
    page.get_by_role("button", name="Re-plan and compare").click()
    comparison = page.locator("#comparison")
    expect(comparison).to_be_visible(timeout=120_000)
    value_row = comparison.locator("table.comparison tr", has_text="Value points")
    expect(value_row.locator("td.up")).to_be_visible()
    expect(
        page.get_by_role("img", name="Needs met by capability: current plan and what-if")
    ).to_be_visible()
    screenshot(page, "what-if")


def test_a_partner_may_model_its_own_pledges_only(page: Page, site: Site) -> None:
    log_in(page, site, "partner")
    page.goto(site.url + "/what-if")
    options = page.get_by_label("Start from").locator("option").all_inner_texts()
    assert options
    assert all("Denmark" in o or o == "A new pledge" for o in options), options
    expect(page.get_by_label("Partner")).to_have_value(site.partner_id)


def test_a_what_if_with_an_unknown_currency_says_so_next_to_the_field(
    page: Page, site: Site
) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/what-if")
    page.get_by_label("Amount").fill("1.234")
    page.get_by_role("button", name="Re-plan and compare").click()
    expect(page.locator("#error-amount")).to_contain_text("at most two decimals")
