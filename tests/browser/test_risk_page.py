"""The resilience page in a real browser: fan charts, nominal beside robust, dispersal, and the
most costly sites named only to who may see their locations."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect
from sqlalchemy import select

from kuznia.db.planning import StoredPlan
from kuznia.db.registries import Partner
from kuznia.db.registries import Site as SiteRow
from kuznia.db.resilience import EvaluationKind, RiskEvaluation
from kuznia.demo import generate
from kuznia.services.kernel.actors import Actor
from kuznia.services.resilience.inputs import load_demo_risk
from kuznia.services.resilience.jobs import submit_risk_job
from tests.browser.conftest import Site, log_in, screenshot
from tests.browser.shots import log_in_any_language

SYSTEM = Actor.system("browser-tests")


def _robust_evaluation(site: Site) -> str:
    with site.database.unit_of_work(SYSTEM) as uow:
        load_demo_risk(uow, generate("small", 1))
    with site.database.transaction() as session:
        plan = session.scalars(select(StoredPlan.id).order_by(StoredPlan.number.desc())).first()
        assert plan is not None
        submit_risk_job(session, SYSTEM, plan_id=plan, kind=EvaluationKind.ROBUST, paths=40,
                        seed=1, sample_paths=10)  # fmt: skip
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        with site.database.reading() as session:
            found = session.scalars(select(RiskEvaluation.id)).first()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError("the risk job did not finish in time")


def _sites_of_the_partners_country(site: Site) -> list[str]:
    with site.database.reading() as session:
        partner = session.get(Partner, site.partner_id)
        assert partner is not None
        stmt = select(SiteRow.id).where(SiteRow.country == partner.country)
        return sorted(session.scalars(stmt))


def test_the_risk_page_shows_fans_side_by_side_and_hides_site_names_from_partners(
    page: Page, site: Site
) -> None:
    _robust_evaluation(site)
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/risk")
    expect(page.locator("h1")).to_have_text("Resilience")
    expect(page.locator("#risk-legend")).to_contain_text("the value reached in 90% of paths")
    expect(page.locator("#risk-value")).to_contain_text("Robust plan")
    expect(page.locator("#risk-value")).to_contain_text("Robust minus nominal")
    for row in page.locator(".fan-row:has(figure.chart-figure)").all():
        assert row.locator("figure.chart-figure").count() == 2  # nominal beside robust
    assert page.locator("figure.chart-figure").count() >= 2
    expect(page.locator("#risk-sites-nominal")).to_contain_text("site-")
    expect(page.locator("#risk-sites-robust")).to_be_visible()
    screenshot(page, "risk-coordinator")
    page.context.clear_cookies()
    log_in(page, site, "partner")
    page.goto(f"{site.url}/risk")
    expect(page.locator("#risk-sites-nominal")).to_contain_text("site A")
    own = _sites_of_the_partners_country(site)
    assert own
    listed = page.locator("#risk-site-classes tbody th").all_inner_texts()
    assert [text.rsplit("(", 1)[1].rstrip(")") for text in listed] == own
    assert "Coordinator" not in page.locator("main").inner_text()
    screenshot(page, "risk-partner")
    page.context.clear_cookies()
    log_in(page, site, "auditor")
    page.goto(f"{site.url}/risk")
    expect(page.locator("#risk-sites-nominal")).to_contain_text("site A")
    expect(page.locator("main")).to_contain_text("You see no site's risk class")
    assert page.locator("#risk-site-classes").count() == 0


def test_the_risk_page_in_ukrainian_for_the_coordinator_and_a_partner(
    browser_uk: Page, site: Site
) -> None:
    with site.database.reading() as session:
        evaluated = session.scalars(select(RiskEvaluation.id)).first()
    if evaluated is None:
        _robust_evaluation(site)
    for role in ("coordinator", "partner"):
        browser_uk.context.clear_cookies()
        log_in_any_language(browser_uk, site.url, *site.logins[role])
        browser_uk.goto(f"{site.url}/risk")
        expect(browser_uk.locator("html")).to_have_attribute("lang", "uk")
        expect(browser_uk.locator("#risk-value")).to_be_visible()
        screenshot(browser_uk, f"risk-{role}-uk")
