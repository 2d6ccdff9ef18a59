"""Plans run as background jobs from the browser: the coordinator queues one from the plan
page, watches its progress on the jobs page, and the pages keep showing a plan meanwhile."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, log_in, screenshot

pytestmark = pytest.mark.browser


def test_the_coordinator_runs_a_plan_as_a_job_and_sees_it_stored(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/plan")
    page.get_by_label("Label").fill("browser run")
    page.get_by_role("button", name="Run a new plan").click()
    page.wait_for_url(f"{site.url}/jobs")
    row = page.locator("#jobs tbody tr").filter(has_text="browser run")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("done", timeout=90_000)
    expect(row.get_by_role("link")).to_contain_text("stored")
    screenshot(page, "jobs-coordinator")
    page.goto(site.url + "/plan")
    expect(page.get_by_role("heading", name="Plan", level=1)).to_be_visible()


def test_a_partner_sees_no_jobs_menu_and_cannot_queue_a_plan(page: Page, site: Site) -> None:
    log_in(page, site, "partner")
    expect(page.get_by_role("link", name="Jobs")).to_have_count(0)
    page.goto(site.url + "/plan")
    expect(page.get_by_role("button", name="Run a new plan")).to_have_count(0)
    page.goto(site.url + "/jobs")
    expect(page.get_by_text("No jobs yet.")).to_be_visible()
