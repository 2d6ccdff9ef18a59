"""The transparency log: an entry's inclusion in the signed tree is checked in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_an_auditor_checks_a_log_entry_against_the_signed_checkpoint(
    page: Page, site: Site
) -> None:
    log_in(page, site, "auditor")
    page.get_by_role("link", name="Log", exact=True).click()
    expect(page.get_by_role("heading", name="Transparency log")).to_be_visible()
    first = page.locator("button[data-proof]:not([disabled])").first
    seq = first.get_attribute("data-seq")
    first.click()
    expect(page.locator(f"#proof-{seq}")).to_contain_text("Included in the signed tree")
    expect(page.locator("#leaf-content code")).to_contain_text('"entity"')
    screenshot(page, "log")


def test_a_tampered_proof_is_reported_as_not_checking_out(page: Page, site: Site) -> None:
    log_in(page, site, "auditor")
    page.goto(site.url + "/log")

    def tamper(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        proof = response.json()
        proof["hashes"][0] = "A" * 43 + "="
        route.fulfill(response=response, json=proof)  # type: ignore[attr-defined]

    page.route("**/log/proof/*", tamper)
    first = page.locator("button[data-proof]:not([disabled])").first
    seq = first.get_attribute("data-seq")
    first.click()
    expect(page.locator(f"#proof-{seq}")).to_contain_text("does not check out")
